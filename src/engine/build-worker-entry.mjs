/**
 * The build worker's entry point, in plain JavaScript because nothing else can
 * be relied on to load TypeScript in a worker thread: Node 20 does not apply
 * `--import tsx` from execArgv inside workers (nodejs/node#47747), and under
 * vitest the main thread's TypeScript comes from vite, which never reaches a
 * worker. So the worker loads its TypeScript through tsx's scoped import,
 * which works the same under `node --import tsx`, `npx tsx` and vitest, and
 * cannot clash with a tsx the thread may already have registered.
 */
import { tsImport } from 'tsx/esm/api';

await tsImport('./build-worker.ts', import.meta.url);
