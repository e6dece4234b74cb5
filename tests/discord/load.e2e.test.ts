/**
 * A short load run in CI (the bot in its own process, as `npm start` runs it;
 * the full runs are `npm run load`, figures in the README): every interaction
 * sent at 250/s is answered as usual, nothing shed.
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
      const { answered, choices } = report.outcomes;
      expect(answered + choices).toBe(report.sent);
      expect(report.bot.overloadEpisodes).toBe(0);
      expect(report.achievedRate).toBeGreaterThanOrEqual(200);
    },
  );
});
