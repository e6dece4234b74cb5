/**
 * Opening an engine over a knowledge folder: the one way every entry point
 * (bot, console, CLI, live knowledge changes, tests, benchmarks) gets one.
 * With a cache folder it restores the index when the knowledge is unchanged
 * and saves a freshly built one; skipped files are logged with their problem.
 */
import { join } from 'node:path';
import pino from 'pino';
import { loadKnowledge, type KnowledgeBase } from '../knowledge/load.ts';
import type { Logger } from '../logger.ts';
import { ANNOUNCE_FROM_ARTICLES, buildingMessage } from './build-progress.ts';
import { answerOptions, type AnswerOptions } from '../search/answer/options.ts';
import { createEngine, type Engine } from './engine.ts';
import { INDEX_CACHE_FILE, indexFingerprint, restoreEngine, saveEngine } from './index-cache.ts';

export interface OpenEngineOptions {
  /** Folder for the index cache (DATA_DIR); without it the index is always built. */
  readonly cacheDir?: string;
  /** Where skipped files and cache problems are reported; silent by default. */
  readonly logger?: Logger;
  /** Tuning overrides (see src/search/answer/options.ts); part of the cache key. */
  readonly answerOptions?: Partial<AnswerOptions>;
}

/** How the index was obtained: restored, built (cache stale or off), or rebuilt past a damaged cache. */
export type IndexOrigin = 'cache' | 'built' | 'built-past-damaged-cache';

export interface OpenedEngine {
  readonly engine: Engine;
  readonly index: IndexOrigin;
}

/** No article loaded at all: the message lists every file's problem. */
export class NoKnowledgeError extends Error {
  override readonly name = 'NoKnowledgeError';
  constructor(
    message: string,
    /** "file: problem" for each file that was skipped. */
    readonly problems: readonly string[],
  ) {
    super(message);
  }
}

const SILENT = pino({ level: 'silent' });

export async function openEngine(
  knowledgeDir: string,
  options: OpenEngineOptions = {},
): Promise<OpenedEngine> {
  const started = performance.now();
  const logger = options.logger ?? SILENT;
  const tuning = answerOptions(options.answerOptions);
  const opened = await restoreOrBuild(knowledgeDir, options.cacheDir, tuning, logger);
  return acceptOpened(knowledgeDir, opened, logger, started);
}

/**
 * The last step of opening, wherever the engine was built (here or in a build
 * worker): reports skipped files, refuses an engine without articles, and
 * logs the final "Knowledge loaded" line with the time since `started`.
 */
export function acceptOpened(
  knowledgeDir: string,
  opened: OpenedEngine,
  logger: Logger,
  started: number,
): OpenedEngine {
  const { engine } = opened;
  for (const { file, problem } of engine.problems) {
    logger.warn({ file, dir: knowledgeDir }, `Skipped knowledge file ${file}: it ${problem}`);
  }
  if (engine.articles.length === 0) {
    const problems = engine.problems.map(({ file, problem }) => `${file}: ${problem}`);
    throw new NoKnowledgeError(
      `No article could be loaded from ${knowledgeDir}.` +
        (problems.length > 0
          ? `\n${problems.map((p) => `  ${p}`).join('\n')}`
          : '\nThe folder has no .md or .txt article files.') +
        '\nSee knowledge/README.md for the file format.',
      problems,
    );
  }
  logger.info(
    {
      articles: engine.articles.length,
      sentences: engine.sentenceCount,
      index: opened.index,
      ms: Math.round(performance.now() - started),
    },
    'Knowledge loaded',
  );
  return opened;
}

async function restoreOrBuild(
  knowledgeDir: string,
  cacheDir: string | undefined,
  tuning: AnswerOptions,
  logger: Logger,
): Promise<OpenedEngine> {
  if (cacheDir === undefined) {
    return {
      engine: createEngine(await loadAndAnnounce(knowledgeDir, logger), tuning),
      index: 'built',
    };
  }
  const path = join(cacheDir, INDEX_CACHE_FILE);
  const fingerprint = await indexFingerprint(knowledgeDir, tuning);
  const restored = await restoreEngine(path, fingerprint, knowledgeDir, tuning, logger);
  if (typeof restored === 'object') return { engine: restored, index: 'cache' };

  const knowledge = await loadAndAnnounce(knowledgeDir, logger);
  const engine = createEngine(knowledge, tuning);
  if (engine.articles.length > 0) await saveEngine(path, fingerprint, knowledge, engine, logger);
  return { engine, index: restored === 'corrupt' ? 'built-past-damaged-cache' : 'built' };
}

/** Loads the folder and, when indexing it will block this thread for a while, says so first. */
async function loadAndAnnounce(knowledgeDir: string, logger: Logger): Promise<KnowledgeBase> {
  const knowledge = await loadKnowledge(knowledgeDir);
  const articles = knowledge.articles.length;
  if (articles >= ANNOUNCE_FROM_ARTICLES) {
    logger.info({ dir: knowledgeDir, articles }, buildingMessage(articles));
  }
  return knowledge;
}
