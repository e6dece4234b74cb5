/**
 * A confirmations row as both databases return it (joined with its uses),
 * and the confirmation it stores. PostgreSQL returns its bigint columns (id,
 * created_at, answered, last_answered_at) as strings.
 */

/** The columns every confirmations query selects: the row and how often it answered. */
export const CONFIRMATION_COLUMNS = `c.*, u.answered, u.last_question, u.last_answered_at
  FROM confirmations c LEFT JOIN confirmation_uses u ON u.confirmation_id = c.id`;
import type { ConfirmedHow, Verdict } from '../search/answer/learned.ts';
import type { StoredConfirmation } from './types.ts';

export interface ConfirmationRow {
  id: number | string;
  scope: string;
  question: string;
  sentence_key: string;
  sentence: string;
  verdict: Verdict;
  how: ConfirmedHow;
  by_user: string | null;
  by_name: string | null;
  message_id: string | null;
  created_at: number | string;
  /** From the uses table (LEFT JOIN): null when never used. */
  answered?: number | string | null;
  last_question?: string | null;
  last_answered_at?: number | string | null;
}

export function confirmationFromRow(row: ConfirmationRow): StoredConfirmation {
  return {
    id: Number(row.id),
    scope: row.scope,
    question: row.question,
    sentenceKey: row.sentence_key,
    sentence: row.sentence,
    verdict: row.verdict,
    how: row.how,
    createdAt: Number(row.created_at),
    answered: Number(row.answered ?? 0),
    ...(row.last_question != null && { lastQuestion: row.last_question }),
    ...(row.last_answered_at != null && { lastAnsweredAt: Number(row.last_answered_at) }),
    ...(row.by_user !== null && { byUserId: row.by_user }),
    ...(row.by_name !== null && { byName: row.by_name }),
    ...(row.message_id !== null && { messageId: row.message_id }),
  };
}
