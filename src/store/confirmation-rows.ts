/**
 * A confirmations row as both databases return it, and the confirmation it
 * stores. PostgreSQL returns its bigint columns (id, created_at) as strings.
 */
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
    ...(row.by_user !== null && { byUserId: row.by_user }),
    ...(row.by_name !== null && { byName: row.by_name }),
    ...(row.message_id !== null && { messageId: row.message_id }),
  };
}
