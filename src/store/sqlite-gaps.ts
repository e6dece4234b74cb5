/**
 * Questions not answered well (types.ts, Gaps), in SQLite: one row per
 * community and question key, counted; old and surplus rows pruned as new
 * ones arrive.
 */
import type Database from 'better-sqlite3';
import { DAY_MS, gapFromRow } from './gap-rows.ts';
import { GAP_DAYS, MAX_GAPS, type Gap, type Gaps } from './types.ts';

interface GapRow {
  key: string;
  question: string;
  outcome: Gap['outcome'];
  shown: string | null;
  asked: number;
  first_at: number;
  last_at: number;
}

export function createSqliteGaps(db: Database.Database, now: () => number): Gaps {
  const statements = {
    record: db.prepare(
      `INSERT INTO gaps (scope, key, question, outcome, shown, asked, first_at, last_at)
       VALUES (@scope, @key, @question, @outcome, @shown, 1, @at, @at)
       ON CONFLICT (scope, key) DO UPDATE SET question = excluded.question,
         outcome = excluded.outcome, shown = excluded.shown, asked = asked + 1,
         last_at = excluded.last_at`,
    ),
    pruneOld: db.prepare<[string, number]>('DELETE FROM gaps WHERE scope = ? AND last_at < ?'),
    pruneSurplus: db.prepare<[string, string, number]>(
      `DELETE FROM gaps WHERE scope = ? AND key NOT IN
         (SELECT key FROM gaps WHERE scope = ? ORDER BY last_at DESC LIMIT ?)`,
    ),
    list: db.prepare<[string, number], GapRow>(
      'SELECT * FROM gaps WHERE scope = ? ORDER BY asked DESC, last_at DESC LIMIT ?',
    ),
    forget: db.prepare<[string, string]>('DELETE FROM gaps WHERE scope = ? AND key = ?'),
  };
  const record = db.transaction((gap: Parameters<Gaps['record']>[0]) => {
    const at = now();
    statements.record.run({ ...gap, shown: gap.shown ?? null, at });
    statements.pruneOld.run(gap.scope, at - GAP_DAYS * DAY_MS);
    statements.pruneSurplus.run(gap.scope, gap.scope, MAX_GAPS);
  });
  return {
    record: async (gap) => record(gap),
    list: async (scope, limit = MAX_GAPS) =>
      statements.list.all(scope, limit).map((row) => gapFromRow(row)),
    forget: async (scope, key) => statements.forget.run(scope, key).changes === 1,
  };
}
