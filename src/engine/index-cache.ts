/**
 * The on-disk index cache: building the index is the slow part of start-up,
 * so the built index is saved under DATA_DIR, keyed by a fingerprint of the
 * knowledge files, the answer options and the engine's own source.
 * `openEngine` loads it when the fingerprint matches and rebuilds (rewriting
 * it atomically) when it does not. A damaged cache is ignored with a warning.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from './engine.ts';
import { writeFileAtomically } from '../files.ts';
import { isArticleFile, type KnowledgeBase } from '../knowledge/load.ts';
import type { Article, KnowledgeProblem, Sentence } from '../knowledge/types.ts';
import { loadVocabulary, VOCABULARY_FILE } from '../knowledge/vocabulary.ts';
import type { Logger } from '../logger.ts';
import type { AnswerOptions } from '../search/options.ts';
import { restoreIndex, serializeIndex, type SerializedIndex } from '../search/index.ts';
import { createTermPipeline } from '../search/terms.ts';

export const INDEX_CACHE_FILE = 'index-cache.json';
const FORMAT = 2;
/** The engine code whose changes must invalidate a cached index. */
const ENGINE_SOURCE_DIRS = ['knowledge', 'search', 'engine'].map((dir) =>
  fileURLToPath(new URL(`../${dir}/`, import.meta.url)),
);

interface CacheFile {
  readonly format: number;
  readonly fingerprint: string;
  readonly articles: readonly Article[];
  readonly sentences: readonly Sentence[];
  readonly problems: readonly KnowledgeProblem[];
  readonly index: SerializedIndex;
}

export type CacheOutcome = 'hit' | 'miss' | 'ignored-corrupt';

async function filesIn(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  return (await readdir(dir)).filter(keep).sort();
}

/** Hash of everything the built index depends on. */
export async function indexFingerprint(
  knowledgeDir: string,
  options: AnswerOptions,
): Promise<string> {
  const hash = createHash('sha256').update(`format ${FORMAT}\n${JSON.stringify(options)}\n`);
  const add = async (dir: string, name: string) => {
    hash.update(`${name}\n`);
    hash.update(await readFile(join(dir, name)).catch(() => Buffer.from('(unreadable)')));
  };
  for (const dir of ENGINE_SOURCE_DIRS) {
    for (const name of await filesIn(dir, (n) => n.endsWith('.ts'))) await add(dir, name);
  }
  for (const name of await filesIn(
    knowledgeDir,
    (n) => isArticleFile(n) || n === VOCABULARY_FILE,
  )) {
    await add(knowledgeDir, name);
  }
  return hash.digest('hex');
}

async function readCache(
  path: string,
  fingerprint: string,
  logger: Logger,
): Promise<CacheFile | 'stale' | 'corrupt'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'stale';
    logger.warn({ err: error, path }, 'Index cache unreadable; rebuilding the index');
    return 'corrupt';
  }
  try {
    const data = JSON.parse(text) as CacheFile;
    if (data.format !== FORMAT || data.fingerprint !== fingerprint) return 'stale';
    if (!Array.isArray(data.sentences) || !Array.isArray(data.articles) || !data.index)
      throw new Error('missing parts');
    return data;
  } catch (error) {
    logger.warn(
      { err: error, path },
      'Index cache is damaged; ignoring it and rebuilding the index',
    );
    return 'corrupt';
  }
}

/** Restores the engine from a matching cache; `undefined` when there is none (or it is stale). */
export async function restoreEngine(
  path: string,
  fingerprint: string,
  knowledgeDir: string,
  options: AnswerOptions,
  logger: Logger,
): Promise<Engine | 'corrupt' | undefined> {
  const cached = await readCache(path, fingerprint, logger);
  if (typeof cached !== 'object') return cached === 'corrupt' ? 'corrupt' : undefined;
  try {
    const vocabulary = await loadVocabulary(join(knowledgeDir, VOCABULARY_FILE));
    const pipeline = createTermPipeline(vocabulary);
    const knowledge = {
      articles: cached.articles,
      sentences: cached.sentences,
      problems: cached.problems,
      vocabulary,
      pipeline,
    };
    return createEngine(knowledge, options, restoreIndex(cached.index, pipeline));
  } catch (error) {
    logger.warn({ err: error, path }, 'Index cache could not be restored; rebuilding the index');
    return 'corrupt';
  }
}

/** Saves a freshly built engine's index; a failure only costs the next start-up a rebuild. */
export async function saveEngine(
  path: string,
  fingerprint: string,
  knowledge: KnowledgeBase,
  engine: Engine,
  logger: Logger,
): Promise<void> {
  const data: CacheFile = {
    format: FORMAT,
    fingerprint,
    articles: knowledge.articles,
    sentences: knowledge.sentences,
    problems: knowledge.problems,
    index: serializeIndex(engine.index),
  };
  await mkdir(dirname(path), { recursive: true })
    .then(() => writeFileAtomically(path, JSON.stringify(data)))
    .catch((error: unknown) =>
      logger.warn(
        { err: error, path },
        'Could not write the index cache; start-up will rebuild next time',
      ),
    );
}
