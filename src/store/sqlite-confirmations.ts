/**
 * Confirmations in SQLite (types.ts says what they are). better-sqlite3 is
 * synchronous; the answers come back as settled promises.
 */
import type Database from 'better-sqlite3';
import {
  CONFIRMATION_COLUMNS,
  confirmationFromRow,
  type ConfirmationRow,
} from './confirmation-rows.ts';
import {
  MAX_CONFIRMATIONS,
  questionKey,
  type ConfirmationInput,
  type ConfirmOutcome,
  type Confirmations,
} from './types.ts';

export function createSqliteConfirmations(db: Database.Database, now: () => number): Confirmations {
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
    list: db.prepare<[string], ConfirmationRow>(
      `SELECT ${CONFIRMATION_COLUMNS} WHERE c.scope = ? ORDER BY c.id`,
    ),
    get: db.prepare<[string, number], ConfirmationRow>(
      `SELECT ${CONFIRMATION_COLUMNS} WHERE c.scope = ? AND c.id = ?`,
    ),
    fromMessage: db.prepare<[string, string], ConfirmationRow>(
      `SELECT ${CONFIRMATION_COLUMNS} WHERE c.scope = ? AND c.message_id = ? ORDER BY c.id DESC LIMIT 1`,
    ),
    recordAnswer: db.prepare<[string, number, string, number]>(
      `INSERT INTO confirmation_uses (confirmation_id, answered, last_question, last_answered_at)
       SELECT id, 1, ?, ? FROM confirmations WHERE scope = ? AND id = ?
       ON CONFLICT (confirmation_id) DO UPDATE SET answered = answered + 1,
         last_question = excluded.last_question, last_answered_at = excluded.last_answered_at`,
    ),
    forget: db.prepare<[string, number]>('DELETE FROM confirmations WHERE scope = ? AND id = ?'),
  };
  let ownWrites = 0;
  const dataVersion = db.prepare('PRAGMA data_version').pluck();

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
    confirm: async (input) => confirm(input),
    changeSentence: async (scope, id, sentenceKey, sentence) => {
      ownWrites += 1;
      return statements.changeSentence.run(sentenceKey, sentence, scope, id).changes === 1;
    },
    list: async (scope) => statements.list.all(scope).map(confirmationFromRow),
    get: async (scope, id) => {
      const row = statements.get.get(scope, id);
      return row && confirmationFromRow(row);
    },
    fromMessage: async (scope, messageId) => {
      const row = statements.fromMessage.get(scope, messageId);
      return row && confirmationFromRow(row);
    },
    forget: async (scope, id) => {
      ownWrites += 1;
      return statements.forget.run(scope, id).changes === 1;
    },
    // Not counted in ownWrites: how often an answer was used changes no answer.
    recordAnswer: async (scope, id, question) => {
      statements.recordAnswer.run(question, now(), scope, id);
    },
    // data_version moves when another connection (a shard, the CLI) commits; our own
    // writes are counted here, since data_version ignores them.
    version: () => `${dataVersion.get() as number}.${ownWrites}`,
  };
}
