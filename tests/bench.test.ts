/** `npm run bench -- --json` prints one JSON object with both sides' figures (small size for CI). */
import { describe, expect, it } from 'vitest';
import { runScript } from './helpers/run.ts';

describe('benchmark', () => {
  it(
    'prints engine and plain-MiniSearch figures side by side as one JSON object',
    { timeout: 90_000 },
    async () => {
      const { code, stdout } = await runScript(
        'bench/run.ts',
        ['--sizes', '100', '--questions', '50', '--json'],
        {
          timeoutMs: 85_000,
        },
      );
      expect(code).toBe(0);
      const report = JSON.parse(stdout);
      expect(report.machine.cores).toBeGreaterThan(0);
      const [result] = report.results;
      expect(result.articles).toBe(100);
      for (const side of [result.engine, result.baseline]) {
        expect(side.buildMs).toBeGreaterThan(0);
        expect(side.heapUsedMB).toBeGreaterThan(0);
        expect(side.answer.p50).toBeLessThanOrEqual(side.answer.p99);
        expect(side.suggest.p99).toBeGreaterThan(0);
      }
      // The real articles beside the synthetic sizes: computed and remembered answers agree.
      expect(report.seeds.sentences).toBeGreaterThan(50);
      expect(report.seeds.firstTime.n).toBeGreaterThan(500);
      expect(report.seeds.askedAgain.p50).toBeLessThanOrEqual(report.seeds.firstTime.p50);
      expect(report.seeds.sameAnswers).toBe(true);
    },
  );
});
