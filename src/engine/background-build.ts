/**
 * Opening an engine without stopping the thread that answers questions: the
 * folder is read and indexed in a worker thread (build-worker.ts) and only the
 * finished snapshot is decoded here. Same result, logging and errors as
 * `openEngine` (minus restoring from the cache: a knowledge change has just
 * made it stale), so the library can use either.
 */
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import type { Logger } from '../logger.ts';
import { answerOptions } from '../search/answer/options.ts';
import { watchBuild } from './build-progress.ts';
import type { BuildMessage, BuildRequest } from './build-worker.ts';
import { acceptOpened, type OpenedEngine, type OpenEngineOptions } from './open.ts';
import { decodeSnapshot } from './snapshot.ts';

/**
 * The worker's entry: compiled, the worker module itself; from sources, a plain
 * JavaScript entry that loads build-worker.ts (see there why).
 */
export const BUILD_WORKER_ENTRY = new URL(
  import.meta.url.endsWith('.js') ? './build-worker.js' : './build-worker-entry.mjs',
  import.meta.url,
);

export interface BackgroundBuildOptions extends OpenEngineOptions {
  /** The worker's entry point; tests substitute one that crashes. */
  readonly workerEntry?: URL;
}

/** The build worker ended without handing back an engine and without an error of its own. */
export class BuildWorkerExitError extends Error {
  override readonly name = 'BuildWorkerExitError';
}

const SILENT = pino({ level: 'silent' });

type Built = Extract<BuildMessage, { type: 'built' }>;

export async function openEngineInBackground(
  knowledgeDir: string,
  options: BackgroundBuildOptions = {},
): Promise<OpenedEngine> {
  const started = performance.now();
  const logger = options.logger ?? SILENT;
  const request: BuildRequest = {
    knowledgeDir,
    ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
    ...(options.answerOptions !== undefined && { answerOptions: options.answerOptions }),
  };
  const built = await runBuildWorker(request, logger, options.workerEntry ?? BUILD_WORKER_ENTRY);
  // The one step that must happen on this thread: the engine lives in its heap.
  const engine = decodeSnapshot(built.snapshot, {
    fingerprint: built.fingerprint,
    vocabulary: built.vocabulary,
    options: answerOptions(options.answerOptions),
  });
  if (typeof engine === 'string') {
    // Same process, same code: only a bug could make the worker's snapshot stale.
    throw new Error(`the index build returned a stale snapshot (${engine})`);
  }
  return acceptOpened(knowledgeDir, { engine, index: 'built' }, logger, started);
}

/**
 * Runs one build worker to its end. Settles on the worker's exit, not its last
 * message: by then its heap (as large as the engine itself) is freed, before
 * this thread allocates the new engine; and a crash can never leave it pending.
 */
function runBuildWorker(request: BuildRequest, logger: Logger, entry: URL): Promise<Built> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: request });
    const watch = watchBuild(logger, request.knowledgeDir);
    let built: Built | undefined;
    let failure: Error | undefined;
    worker.on('message', (message: BuildMessage) => {
      if (message.type === 'progress') watch.update(message.phase, message.articles);
      else if (message.type === 'log') relayLogLine(logger, message.line);
      else built = message;
    });
    worker.once('error', (error: unknown) => {
      failure = error instanceof Error ? error : new Error(String(error));
    });
    worker.once('exit', (code) => {
      watch.stop();
      if (built) resolve(built);
      else
        reject(
          failure ??
            new BuildWorkerExitError(
              `the index build stopped unexpectedly (worker exit code ${code})`,
            ),
        );
    });
  });
}

/** A pino line from the worker, logged here at its own level with its own fields. */
function relayLogLine(logger: Logger, line: string): void {
  const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = JSON.parse(line);
  const label = pino.levels.labels[level] as pino.Level | undefined;
  logger[label ?? 'info']({ ...fields, thread: 'index build' }, msg);
}
