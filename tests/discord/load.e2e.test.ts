/**
 * A short load run in CI (the full 5,000-interaction run is `npm run load`,
 * figures in the README): every interaction sent at 250/s is answered.
 */
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/load.ts';

describe('load', () => {
  it(
    'answers every one of 1,000 /ask and autocomplete interactions sent at 250/s',
    { timeout: 60_000 },
    async () => {
      const report = await runLoad({ count: 1000, rate: 250 });
      expect(report.failed).toBe(0);
      expect(report.answered).toBe(report.sent);
      expect(report.achievedRate).toBeGreaterThanOrEqual(200);
    },
  );
});
