/**
 * Small statistics and formatting helpers for the benchmark (bench/run.ts).
 */

/** The p-th quantile (0–1) of ascending-sorted samples, nearest-rank. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

export interface LatencySummary {
  /** Number of timed calls. */
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Summarises latency samples in milliseconds (the array is sorted in place). */
export function summarize(samples: number[]): LatencySummary {
  samples.sort((a, b) => a - b);
  const total = samples.reduce((sum, x) => sum + x, 0);
  return {
    n: samples.length,
    p50: quantile(samples, 0.5),
    p90: quantile(samples, 0.9),
    p99: quantile(samples, 0.99),
    max: samples.at(-1) ?? Number.NaN,
    mean: samples.length === 0 ? Number.NaN : total / samples.length,
  };
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const MB = 1024 * 1024;

/** A number with a sensible precision for a table cell. */
export function fmt(value: number | undefined, digits?: number): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  if (digits !== undefined) return value.toFixed(digits);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** engine / baseline, or undefined when either side is missing or the baseline is 0. */
export function ratio(
  engine: number | undefined,
  baseline: number | undefined,
): number | undefined {
  if (engine === undefined || baseline === undefined) return undefined;
  if (Number.isNaN(engine) || Number.isNaN(baseline) || baseline === 0) return undefined;
  return engine / baseline;
}

/** Renders rows as a fixed-width text table; the first column is left-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
