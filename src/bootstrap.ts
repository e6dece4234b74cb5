/**
 * Start-up shared by every entry point (bot, console, CLI): settings, logger,
 * knowledge. Problems are reported the same way everywhere.
 */
import dotenv from 'dotenv';
import { loadConfig, type Config } from './config.ts';
import type { Engine } from './engine.ts';
import { loadEngineCached } from './index-cache.ts';
import type { Logger } from './logger.ts';
import type { CommandContext } from './commands.ts';
import { createCooldown } from './cooldown.ts';
import type { KnowledgeLibrary } from './library.ts';
import type { Store } from './store/store.ts';

/** Reads .env (without overriding the real environment) and validates settings. */
export function readConfig(): Config {
  // quiet: dotenv would otherwise print a banner to stdout, where --json output goes.
  dotenv.config({ quiet: true });
  return loadConfig();
}

export class NoKnowledgeError extends Error {
  override readonly name = 'NoKnowledgeError';
}

/**
 * Loads the knowledge folder. Each bad file is logged with its name and
 * problem; if no article loads at all, throws with the full list.
 */
export async function openEngine(config: Config, logger: Logger): Promise<Engine> {
  const started = performance.now();
  const { engine, cache } = await loadEngineCached(config.knowledgeDir, config.dataDir, logger);
  for (const { file, problem } of engine.problems) {
    logger.warn(
      { file, dir: config.knowledgeDir },
      `Skipped knowledge file ${file}: it ${problem}`,
    );
  }
  if (engine.articles.length === 0) {
    const list = engine.problems.map(({ file, problem }) => `  ${file}: ${problem}`).join('\n');
    throw new NoKnowledgeError(
      `No article could be loaded from ${config.knowledgeDir}.` +
        (list ? `\n${list}` : '\nThe folder has no .md or .txt article files.') +
        '\nSee knowledge/README.md for the file format.',
    );
  }
  logger.info(
    {
      articles: engine.articles.length,
      sentences: engine.sentenceCount,
      indexCache: cache,
      ms: Math.round(performance.now() - started),
    },
    'Knowledge loaded',
  );
  return engine;
}

/** Prints a start-up failure in words and exits non-zero. */
export function exitWithError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Everything a command may use in the Discord bot (the console gets less). */
export function botContext(
  config: Config,
  logger: Logger,
  library: KnowledgeLibrary,
  store: Store,
): CommandContext {
  return {
    engine: library.current,
    config,
    logger,
    library,
    store,
    cooldowns: { ask: createCooldown(config.askCooldownSeconds) },
  };
}
