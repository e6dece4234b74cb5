/**
 * Confirmed answers, per community ("scope": a server's id, or LOCAL_SCOPE for
 * the console and the CLI): a question and the sentence that answers it (or
 * that does not, "wrong"), who confirmed it and how. One verdict per
 * (scope, question, sentence): confirming again replaces it.
 */
import type Database from 'better-sqlite3';
import type { Confirmation, ConfirmedHow, Verdict } from '../search/answer/learned.ts';

/** The scope of the local console and `npm run ask` / `npm run knowledge`. */
export const LOCAL_SCOPE = 'local';

/** Confirmations one community may hold; past it, forget some first. */
export const MAX_CONFIRMATIONS = 5_000;

export interface ConfirmationInput {
  readonly scope: string;
  readonly question: string;
  readonly sentenceKey: string;
  /** The sentence as it reads now, kept to list it once the articles change. */
  readonly sentence: string;
  readonly verdict: Verdict;
  readonly how: ConfirmedHow;
  readonly byUserId?: string;
  readonly byName?: string;
  /** The answer message it came from (a pin or votes), if any. */
  readonly messageId?: string;
}

export interface StoredConfirmation extends Confirmation {
  readonly scope: string;
  readonly sentence: string;
  readonly byUserId?: string;
  readonly byName?: string;
  readonly messageId?: string;
  /** ms since the epoch. */
  readonly createdAt: number;
}

export type ConfirmOutcome =
  | { readonly ok: true; readonly id: number; readonly created: boolean }
  | { readonly ok: false; readonly reason: 'full' };

export interface Confirmations {
  /** Records a verdict, replacing an earlier one for the same question and sentence. */
  confirm(input: ConfirmationInput): ConfirmOutcome;
  /** Moves a confirmation to another sentence (a moderator picking the answer's second sentence). */
  changeSentence(scope: string, id: number, sentenceKey: string, sentence: string): boolean;
  list(scope: string): StoredConfirmation[];
  get(scope: string, id: number): StoredConfirmation | undefined;
  forget(scope: string, id: number): boolean;
  /** The confirmation made from an answer message for its question, if any. */
  fromMessage(scope: string, messageId: string): StoredConfirmation | undefined;
  /** Changes whenever any connection changed the database: cached analyses compare it. */
  version(): string;
}

/** Questions differing only in case, spacing or end punctuation are one question. */
export function questionKey(question: string): string {
  return question
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.]+$/, '')
    .trim();
}

interface Row {
  id: number;
  scope: string;
  question: string;
  sentence_key: string;
  sentence: string;
  verdict: Verdict;
  how: ConfirmedHow;
  by_user: string | null;
  by_name: string | null;
  message_id: string | null;
  created_at: number;
}

function fromRow(row: Row): StoredConfirmation {
  return {
    id: row.id,
    scope: row.scope,
    question: row.question,
    sentenceKey: row.sentence_key,
    sentence: row.sentence,
    verdict: row.verdict,
    how: row.how,
    createdAt: row.created_at,
    ...(row.by_user !== null && { byUserId: row.by_user }),
    ...(row.by_name !== null && { byName: row.by_name }),
    ...(row.message_id !== null && { messageId: row.message_id }),
  };
}

export function createConfirmations(db: Database.Database, now: () => number): Confirmations {
  const statements = {
    count: db
      .prepare<[string], number>('SELECT count(*) FROM confirmations WHERE scope = ?')
      .pluck(),
    existing: db
      .prepare<[string, string, string], number>(
        'SELECT id FROM confirmations WHERE scope = ? AND question_key = ? AND sentence_key = ?',
      )
      .pluck(),
    insert: db.prepare(
      `INSERT INTO confirmations
         (scope, question, question_key, sentence_key, sentence, verdict, how, by_user, by_name,
          message_id, created_at)
       VALUES (@scope, @question, @questionKey, @sentenceKey, @sentence, @verdict, @how, @byUser,
               @byName, @messageId, @createdAt)`,
    ),
    update: db.prepare(
      `UPDATE confirmations SET question = @question, sentence = @sentence, verdict = @verdict,
         how = @how, by_user = @byUser, by_name = @byName, message_id = @messageId,
         created_at = @createdAt
       WHERE id = @id`,
    ),
    changeSentence: db.prepare<[string, string, string, number]>(
      'UPDATE confirmations SET sentence_key = ?, sentence = ? WHERE scope = ? AND id = ?',
    ),
    list: db.prepare<[string], Row>('SELECT * FROM confirmations WHERE scope = ? ORDER BY id'),
    get: db.prepare<[string, number], Row>(
      'SELECT * FROM confirmations WHERE scope = ? AND id = ?',
    ),
    fromMessage: db.prepare<[string, string], Row>(
      'SELECT * FROM confirmations WHERE scope = ? AND message_id = ? ORDER BY id DESC LIMIT 1',
    ),
    forget: db.prepare<[string, number]>('DELETE FROM confirmations WHERE scope = ? AND id = ?'),
  };
  let ownWrites = 0;

  const confirm = db.transaction((input: ConfirmationInput): ConfirmOutcome => {
    const key = questionKey(input.question);
    const values = {
      scope: input.scope,
      question: input.question,
      questionKey: key,
      sentenceKey: input.sentenceKey,
      sentence: input.sentence,
      verdict: input.verdict,
      how: input.how,
      byUser: input.byUserId ?? null,
      byName: input.byName ?? null,
      messageId: input.messageId ?? null,
      createdAt: now(),
    };
    const id = statements.existing.get(input.scope, key, input.sentenceKey);
    ownWrites += 1;
    if (id !== undefined) {
      statements.update.run({ ...values, id });
      return { ok: true, id, created: false };
    }
    if (statements.count.get(input.scope)! >= MAX_CONFIRMATIONS)
      return { ok: false, reason: 'full' };
    const inserted = statements.insert.run(values);
    return { ok: true, id: Number(inserted.lastInsertRowid), created: true };
  });

  return {
    confirm: (input) => confirm(input),
    changeSentence: (scope, id, sentenceKey, sentence) => {
      ownWrites += 1;
      return statements.changeSentence.run(sentenceKey, sentence, scope, id).changes === 1;
    },
    list: (scope) => statements.list.all(scope).map(fromRow),
    get: (scope, id) => {
      const row = statements.get.get(scope, id);
      return row && fromRow(row);
    },
    fromMessage: (scope, messageId) => {
      const row = statements.fromMessage.get(scope, messageId);
      return row && fromRow(row);
    },
    forget: (scope, id) => {
      ownWrites += 1;
      return statements.forget.run(scope, id).changes === 1;
    },
    // data_version moves when another connection (a shard, the CLI) commits; our own
    // writes are counted here, since data_version ignores them.
    version: () => `${db.pragma('data_version', { simple: true }) as number}.${ownWrites}`,
  };
}
