/**
 * The build worker (started by background-build.ts, through
 * build-worker-entry.mjs): everything slow about opening an engine — reading
 * the folder, indexing, encoding, saving the index cache — runs on this
 * thread, so the main thread keeps answering with the old engine. The result
 * travels back as snapshot bytes, moved (not copied) to the main thread.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import type { BuildPhase } from './build-progress.ts';
import { createEngine } from './engine.ts';
import { INDEX_CACHE_FILE, indexFingerprint, saveSnapshot } from './index-cache.ts';
import { encodeSnapshot } from './snapshot.ts';
import { loadKnowledge } from '../knowledge/load.ts';
import type { Vocabulary } from '../knowledge/vocabulary.ts';
import { answerOptions, type AnswerOptions } from '../search/answer/options.ts';

/** What the main thread asks for: `openEngine`'s folder and options, minus the logger. */
export interface BuildRequest {
  readonly knowledgeDir: string;
  readonly cacheDir?: string;
  readonly answerOptions?: Partial<AnswerOptions>;
}

/** What the worker posts back, in order: progress and log lines, then the engine. */
export type BuildMessage =
  | { readonly type: 'progress'; readonly phase: BuildPhase; readonly articles?: number }
  /** One pino JSON line, for the main thread's logger. */
  | { readonly type: 'log'; readonly line: string }
  | {
      readonly type: 'built';
      readonly snapshot: Uint8Array;
      readonly fingerprint: string;
      /** The vocabulary the index was built with (the snapshot needs it to decode). */
      readonly vocabulary: Vocabulary;
    };

const port = parentPort;
if (!port)
  throw new Error('build-worker.ts runs only as a worker thread (see background-build.ts)');
const post = (message: BuildMessage, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);
// Log lines go to the main thread's logger, which decides what is shown and where.
const logger = pino({ level: 'debug' }, { write: (line: string) => post({ type: 'log', line }) });

/** A copy when needed, so the transfer moves the snapshot's bytes and nothing else. */
function ownedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole =
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength;
  return whole ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

const request = workerData as BuildRequest;
const tuning = answerOptions(request.answerOptions);
// Same order as openEngine: the fingerprint first, so a file changed mid-build
// makes the saved cache stale rather than wrong.
const fingerprint = await indexFingerprint(request.knowledgeDir, tuning);
const knowledge = await loadKnowledge(request.knowledgeDir);
post({ type: 'progress', phase: 'indexing', articles: knowledge.articles.length });
const engine = createEngine(knowledge, tuning);
post({ type: 'progress', phase: 'saving' });
const snapshot = ownedBytes(encodeSnapshot(fingerprint, knowledge, engine));
if (request.cacheDir !== undefined && engine.articles.length > 0) {
  await saveSnapshot(join(request.cacheDir, INDEX_CACHE_FILE), snapshot, logger);
}
post({ type: 'built', snapshot, fingerprint, vocabulary: knowledge.vocabulary }, [snapshot.buffer]);
