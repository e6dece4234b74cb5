/**
 * chrono-node, loaded on first use: it takes ≈130 ms to load, and most runs
 * (a question that names no date, the CLI's cold start) never need it.
 */
import { createRequire } from 'node:module';

type Chrono = typeof import('chrono-node');
let chrono: Chrono | undefined;

export function loadChrono(): Chrono {
  chrono ??= createRequire(import.meta.url)('chrono-node') as Chrono;
  return chrono;
}
