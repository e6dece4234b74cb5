/**
 * The context commands run with, built in one place for each runtime: the
 * Discord bot gets everything; the console gets the engine and only the
 * commands that need nothing more (no Discord, store or knowledge changes).
 */
import type { Config } from '../config.ts';
import type { Engine } from '../engine/engine.ts';
import type { KnowledgeLibrary } from '../engine/library.ts';
import type { Logger } from '../logger.ts';
import { LOCAL_SCOPE } from '../store/store.ts';
import type { Store } from '../store/store.ts';
import { createCooldown } from './cooldown.ts';
import type { CommandContext } from './module.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { CommandRegistry } from './registry.ts';

const definitionsOf = (registry: CommandRegistry) => () =>
  registry.all.map((command) => command.definition);

/** Everything a command may use in the Discord bot. */
export function botContext(parts: {
  config: Config;
  logger: Logger;
  library: KnowledgeLibrary;
  store: Store;
  registry: CommandRegistry;
  metrics?: Metrics;
}): CommandContext {
  const { config, logger, library, store, registry, metrics } = parts;
  return {
    engine: library.current,
    config,
    logger,
    library,
    store,
    commands: definitionsOf(registry),
    cooldowns: { ask: createCooldown(config.askCooldownSeconds) },
    ...(metrics && { metrics }),
  };
}

/**
 * The local console: the same commands over the engine, and the answers
 * confirmed in the local scope (`npm run knowledge -- teach`), nothing else.
 */
export function consoleContext(parts: {
  config: Config;
  logger: Logger;
  engine: () => Engine;
  registry: CommandRegistry;
  store?: Store;
}): CommandContext {
  const { config, logger, engine, registry, store } = parts;
  const here = registry.all.filter((command) => command.console === true);
  return {
    engine,
    config,
    logger,
    commands: () => here.map((command) => command.definition),
    ...(store && { store, localScope: LOCAL_SCOPE }),
  };
}
