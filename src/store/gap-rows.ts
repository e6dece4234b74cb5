/**
 * A gaps row as both databases return it, and the gap it stores.
 * PostgreSQL returns its bigint columns as strings.
 */
import type { Gap } from './types.ts';

export const DAY_MS = 86_400_000;

export function gapFromRow(row: {
  key: string;
  question: string;
  outcome: Gap['outcome'];
  shown: string | null;
  asked: number | string;
  first_at: number | string;
  last_at: number | string;
}): Gap {
  return {
    key: row.key,
    question: row.question,
    outcome: row.outcome,
    ...(row.shown !== null && { shown: row.shown }),
    asked: Number(row.asked),
    firstAt: Number(row.first_at),
    lastAt: Number(row.last_at),
  };
}
