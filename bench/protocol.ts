/**
 * How bench/run.ts and bench/worker.ts talk: the worker prints one
 * `@@bench {json}` line per finished phase; the runner starts it and collects
 * those lines (keeping whatever arrived if the worker dies).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CorpusStats } from './corpus.ts';
import type { LatencySummary } from './stats.ts';

export const PHASE_MARKER = '@@bench ';

export type Side = 'engine' | 'baseline';

/** The figures of a restart: a fresh process restoring the engine's snapshot file. */
export interface RestartFigures {
  readonly restartMs: number;
  readonly snapshotMB: number;
  readonly heapUsedMB: number;
  readonly answered: boolean;
}

export interface MemoryFigures {
  readonly heapUsedMB: number;
  readonly rssMB: number;
  readonly externalMB: number;
}

export interface Phases {
  corpus?: CorpusStats & { readonly gc: boolean; readonly reused: boolean };
  build?: {
    readonly buildMs: number;
    readonly before: MemoryFigures;
    readonly after: MemoryFigures;
    /** Distinct index terms (the engine: stemmed terms of sentence texts). */
    readonly terms: number;
    /** Distinct terms in the MiniSearch instance. */
    readonly miniSearchTerms: number;
  };
  serialize?: {
    readonly bytes: number;
    readonly serializeMs: number;
    readonly loadMs: number;
    /** The whole engine as the index cache saves it (encodeSnapshot / decodeSnapshot). */
    readonly cacheBytes?: number;
    readonly cacheSerializeMs?: number;
    readonly cacheLoadMs?: number;
  };
  answer?: {
    readonly latency: LatencySummary;
    /** When the timed calls began and ended (monotonic µs), past the warm-up. */
    readonly timedFromUs: number;
    readonly timedToUs: number;
    /** Questions answered (engine) or with at least one result (baseline). */
    readonly hits: number;
    readonly mix: {
      readonly golden: number;
      readonly fromSentences: number;
      readonly offTopic: number;
    };
  };
  suggest?: { readonly latency: LatencySummary; readonly meanChoices: number };
  /** One article added at a time, each until its own question is answered from it. */
  add?: { readonly latency: LatencySummary; readonly answerable: number };
  restart?: RestartFigures;
  done?: { readonly final: MemoryFigures };
}

export interface WorkerResult {
  readonly phases: Phases;
  readonly wallMs: number;
  /** Why the worker did not finish, when it did not. */
  readonly error?: string;
}

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const WORKER = 'bench/worker.ts';
/** Every worker runs like this, so gc() is always there whatever started the runner. */
export const WORKER_NODE_ARGS = ['--expose-gc', '--import', 'tsx'] as const;

export function runWorker(
  args: readonly string[],
  options: { timeoutMs: number; nodeArgs?: readonly string[] },
): Promise<WorkerResult> {
  const started = performance.now();
  const phases: Phases = {};
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...WORKER_NODE_ARGS, ...(options.nodeArgs ?? []), WORKER, ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let outOfMemory = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);

    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!line.startsWith(PHASE_MARKER)) continue;
        const { phase, ...data } = JSON.parse(line.slice(PHASE_MARKER.length)) as {
          phase: keyof Phases;
        };
        (phases as Record<string, unknown>)[phase] = data;
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (/heap out of memory|Allocation failed/i.test(chunk)) outOfMemory = true;
      process.stderr.write(chunk);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      let error: string | undefined;
      if (timedOut) error = `timed out after ${Math.round(options.timeoutMs / 1000)} s`;
      else if (outOfMemory) error = 'ran out of memory (V8 heap limit)';
      else if (signal) error = `killed by ${signal}`;
      else if (code !== 0) error = `exited with code ${code}`;
      resolve({ phases, wallMs, ...(error !== undefined && { error }) });
    });
  });
}
