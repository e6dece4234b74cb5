/** Running command modules directly, as the console does, without Discord. */
import pino from 'pino';
import { consoleContext } from '../../src/runtime/context.ts';
import type { CommandContext } from '../../src/runtime/module.ts';
import { createRegistry, type CommandRegistry } from '../../src/runtime/registry.ts';
import { loadConfig } from '../../src/config.ts';
import type { Engine } from '../../src/engine/engine.ts';

/** A console-like context: default settings, silent logs, no store or Discord. */
export function testContext(
  engine: () => Engine,
  registry: CommandRegistry = createRegistry([]),
): CommandContext {
  return consoleContext({
    config: loadConfig({}),
    logger: pino({ level: 'silent' }),
    engine,
    registry,
  });
}
