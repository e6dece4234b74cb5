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
import type { Engine } from './engine.ts';
import {
  decodeSnapshot,
  DamagedSnapshotError,
  encodeSnapshot,
  SNAPSHOT_FORMAT,
} from './snapshot.ts';
import { writeFileAtomically } from '../files.ts';
import { isArticleFile, type KnowledgeBase } from '../knowledge/load.ts';
import { loadVocabulary, VOCABULARY_FILE } from '../knowledge/vocabulary.ts';
import type { Logger } from '../logger.ts';
import type { AnswerOptions } from '../search/answer/options.ts';

export const INDEX_CACHE_FILE = 'index-cache.bin';
/** The engine code whose changes must invalidate a cached index. */
const ENGINE_SOURCE_DIRS = ['knowledge', 'search', 'engine'].map((dir) =>
  fileURLToPath(new URL(`../${dir}/`, import.meta.url)),
);

/** Running compiled (dist/): the engine code's hash was taken from its sources at build time. */
const COMPILED = import.meta.url.endsWith('.js');
/** Where `npm run build` writes the hash, beside this module in dist/. */
export const ENGINE_CODE_HASH_FILE = new URL('./engine-code.sha256', import.meta.url);

async function filesIn(
  dir: string,
  keep: (name: string) => boolean,
  recursive = false,
): Promise<string[]> {
  return (await readdir(dir, { recursive })).filter(keep).sort();
}

/**
 * Hash of the engine's TypeScript sources (every file under src/knowledge,
 * src/search and src/engine). `npm run build` stores it in dist/, so the
 * compiled engine and the sources share one index cache.
 */
export async function engineSourceHash(
  dirs: readonly string[] = ENGINE_SOURCE_DIRS,
): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of dirs) {
    // Sub-folders too (search/index, search/answer…): every source file counts.
    for (const name of await filesIn(dir, (n) => n.endsWith('.ts'), true)) {
      hash.update(`${name}\n`);
      hash.update(await readFile(join(dir, name)).catch(() => Buffer.from('(unreadable)')));
    }
  }
  return hash.digest('hex');
}

async function engineCode(): Promise<string> {
  if (!COMPILED) return engineSourceHash();
  // Without the build's hash (a hand-made dist), every start rebuilds rather than trust a cache.
  return readFile(ENGINE_CODE_HASH_FILE, 'utf8').catch(() => `unknown ${Date.now()}`);
}

/** Hash of everything the built index depends on. */
export async function indexFingerprint(
  knowledgeDir: string,
  options: AnswerOptions,
): Promise<string> {
  const hash = createHash('sha256').update(
    `format ${SNAPSHOT_FORMAT}\n${JSON.stringify(options)}\n`,
  );
  const add = async (dir: string, name: string) => {
    hash.update(`${name}\n`);
    hash.update(await readFile(join(dir, name)).catch(() => Buffer.from('(unreadable)')));
  };
  hash.update(`code ${await engineCode()}\n`);
  for (const name of await filesIn(
    knowledgeDir,
    (n) => isArticleFile(n) || n === VOCABULARY_FILE,
  )) {
    await add(knowledgeDir, name);
  }
  return hash.digest('hex');
}

/**
 * Restores the engine from a matching cache; `undefined` when there is none
 * (or it is stale), 'corrupt' (after a warning) when it cannot be read.
 */
export async function restoreEngine(
  path: string,
  fingerprint: string,
  knowledgeDir: string,
  options: AnswerOptions,
  logger: Logger,
): Promise<Engine | 'corrupt' | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    logger.warn({ err: error, path }, 'Index cache unreadable; rebuilding the index');
    return 'corrupt';
  }
  try {
    const vocabulary = await loadVocabulary(join(knowledgeDir, VOCABULARY_FILE));
    const engine = decodeSnapshot(bytes, { fingerprint, vocabulary, options });
    if (engine === 'other-format') {
      logger.warn(
        { path },
        'Index cache is from another version of talks-bot; rebuilding the index',
      );
    } else if (engine === 'other-fingerprint') {
      logger.info(
        { path },
        'Knowledge, settings or engine changed since the index cache; rebuilding',
      );
    }
    return typeof engine === 'string' ? undefined : engine;
  } catch (error) {
    if (!(error instanceof DamagedSnapshotError)) throw error;
    logger.warn(
      { err: error, path },
      'Index cache is damaged; ignoring it and rebuilding the index',
    );
    return 'corrupt';
  }
}

/** Saves a freshly built engine; a failure only costs the next start-up a rebuild. */
export async function saveEngine(
  path: string,
  fingerprint: string,
  knowledge: KnowledgeBase,
  engine: Engine,
  logger: Logger,
): Promise<void> {
  await saveSnapshot(path, encodeSnapshot(fingerprint, knowledge, engine), logger);
}

/** Saves an already encoded snapshot (the build worker encodes once for cache and hand-over). */
export async function saveSnapshot(path: string, bytes: Uint8Array, logger: Logger): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
    .then(() => writeFileAtomically(path, bytes))
    .catch((error: unknown) =>
      logger.warn(
        { err: error, path },
        'Could not write the index cache; start-up will rebuild next time',
      ),
    );
}
