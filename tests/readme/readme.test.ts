/**
 * README shows what the code does: every example's output is what its
 * command prints today, the Discord example is what the renderer builds, and
 * the quality table is the latest `npm run eval`. `npm run readme` rewrites
 * them when the code changes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureQuality } from '../golden/report.ts';
import { SQUAD_AVAILABLE } from '../golden/squad.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';
import { discordExamples, README_FILE, transcripts } from './examples.ts';
import { withGeneratedTables } from './tables.ts';
import { currentExamples, formattedQualityTable, readmeQualityTable } from './update.ts';

const readme = readFileSync(README_FILE, 'utf8');
const STALE = 'README is stale: run `npm run readme` and commit the result';

describe('README', () => {
  it('has examples to check: transcripts and a Discord reply', () => {
    expect(transcripts(readme).flatMap((t) => t.commands).length).toBeGreaterThanOrEqual(2);
    expect(discordExamples(readme).length).toBeGreaterThanOrEqual(1);
  });

  it("shows each example's output as the commands print it today", async () => {
    const expected = await currentExamples(readme);
    const lines = (text: string) => text.split('\n');
    expect(lines(readme), STALE).toEqual(lines(expected));
  }, 60_000);

  it('shows who may do what and who sees which reply as the code decides it', async () => {
    expect(readme, STALE).toBe(await withGeneratedTables(readme));
  });

  it('shows the latest npm run eval in its quality table', async () => {
    const shown = readmeQualityTable(readme);
    expect(shown, 'README.md needs a <!-- quality-table --> block').toBeDefined();
    const table = await formattedQualityTable(await measureQuality(KNOWLEDGE_DIR));
    if (SQUAD_AVAILABLE) {
      expect(shown, STALE).toBe(table);
    } else {
      // Without ../shared/data the SQuAD rows cannot be measured: compare the rest, cell by cell.
      const rows = (text: string) =>
        text
          .split('\n')
          .map((line) => line.split('|').map((cell) => cell.trim()))
          .filter((cells) => !cells[1]?.startsWith('SQuAD') && !/^-+$/.test(cells[1] ?? ''));
      expect(rows(shown!), STALE).toEqual(rows(table));
    }
  }, 60_000);
});
