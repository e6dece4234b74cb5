/**
 * The store in PostgreSQL (DATABASE_URL): what several instances of the bot
 * share. Every write that must hold across instances is one atomic statement
 * (`INSERT … ON CONFLICT`): one vote per member and answer, one auto-answer
 * per message, one verdict per question and sentence. Changes to the
 * confirmed answers are announced with NOTIFY, so every instance's cached
 * analysis of them (confirmations/confirmations.ts) knows it is stale without asking.
 */
import pg from 'pg';
import {
  CONFIRMATION_COLUMNS,
  confirmationFromRow,
  type ConfirmationRow,
} from './confirmation-rows.ts';
import { DAY_MS, gapFromRow } from './gap-rows.ts';
import { StoreError } from './errors.ts';
import { BY_GUILD, newsChannelFromRow, type NewsChannelRow } from './feed-rows.ts';
import { createPostgresFeeds, createPostgresNews } from './postgres-feeds.ts';
import { migratePostgres } from './postgres-migrations.ts';
import { listenFor, type Notifications } from './postgres-notifications.ts';
import {
  GAP_DAYS,
  MAX_CONFIRMATIONS,
  MAX_GAPS,
  QUESTION_DAYS,
  QUESTION_PRUNE_EVERY_MS,
  questionId,
  questionKey,
  type ConfirmationInput,
  type Confirmations,
  type SharedKnowledge,
  type Store,
  type StoreOptions,
  type VoteOutcome,
} from './types.ts';

/** The channel confirmation changes are announced on. */
const CONFIRMATIONS_CHANNEL = 'talks_bot_confirmations';
/** The channel knowledge changes are announced on. */
const KNOWLEDGE_CHANNEL = 'talks_bot_knowledge';

/** The URL without its password, for logs and messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

export async function openPostgresStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const now = options.now ?? Date.now;
  let lastQuestionPrune = -Infinity;
  const location = redactedUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client that loses its connection must not crash the process: the pool replaces it.
  pool.on('error', () => undefined);
  let notifications: Notifications;
  try {
    await migratePostgres(pool, location);
    notifications = await listenFor(url, [CONFIRMATIONS_CHANNEL, KNOWLEDGE_CHANNEL], {
      onLost: (error) =>
        options.logger?.warn(
          { err: error, database: location },
          'Lost the database connection that hears other instances’ changes; reconnecting',
        ),
      onBack: () =>
        options.logger?.info({ database: location }, 'Hearing other instances’ changes again'),
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      `Could not use the PostgreSQL database at ${location} (${(error as Error).message}). ` +
        'Check DATABASE_URL, that the server is running and reachable, and the user and password.',
      { cause: error },
    );
  }
  // This instance's own writes count at once; others' when their NOTIFY arrives.
  let changes = 0;

  let closed = false;
  const run = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    // The same words as SQLite's, whichever store a caller used after closing it.
    if (closed) throw new Error('The database connection is not open');
    return pool.query<R>(text, values);
  };
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    (await run<R>(text, values)).rows;
  /** A change to the confirmations: announced to every instance, this one included. */
  const announce = () => {
    changes += 1;
    return run(`SELECT pg_notify($1, '')`, [CONFIRMATIONS_CHANNEL]);
  };

  const knowledge: SharedKnowledge = {
    async seed(files) {
      const client = await pool.connect();
      try {
        // Instances starting together: one imports, the others then find the files there.
        await client.query('BEGIN');
        await client.query('LOCK TABLE knowledge_files IN EXCLUSIVE MODE');
        const { rows } = await client.query<{ any: boolean }>(
          'SELECT EXISTS (SELECT 1 FROM knowledge_files) AS any',
        );
        if (rows[0]?.any || files.length === 0) {
          await client.query('COMMIT');
          return 0;
        }
        await client.query(
          `INSERT INTO knowledge_files (name, content, updated_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])`,
          [files.map((f) => f.name), files.map((f) => f.content), files.map(() => now())],
        );
        await client.query('COMMIT');
        return files.length;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async files() {
      return query<{ name: string; content: string }>(
        'SELECT name, content FROM knowledge_files ORDER BY name',
      );
    },
    async add(file) {
      const result = await run(
        `INSERT INTO knowledge_files (name, content, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [file.name, file.content, now()],
      );
      if (result.rowCount === 1) await run(`SELECT pg_notify($1, '')`, [KNOWLEDGE_CHANNEL]);
      return result.rowCount === 1;
    },
    async remove(name) {
      const result = await run('DELETE FROM knowledge_files WHERE name = $1', [name]);
      if (result.rowCount === 1) await run(`SELECT pg_notify($1, '')`, [KNOWLEDGE_CHANNEL]);
      return result.rowCount === 1;
    },
    onChange: (listener) => notifications.on(KNOWLEDGE_CHANNEL, listener),
  };

  const confirmations: Confirmations = {
    async confirm(input: ConfirmationInput) {
      const key = questionKey(input.question);
      const values = [
        input.scope,
        input.question,
        key,
        input.sentenceKey,
        input.sentence,
        input.verdict,
        input.how,
        input.byUserId ?? null,
        input.byName ?? null,
        input.messageId ?? null,
        now(),
      ];
      const existing = await query<{ id: string }>(
        'SELECT id FROM confirmations WHERE scope = $1 AND question_key = $2 AND sentence_key = $3',
        [input.scope, key, input.sentenceKey],
      );
      if (existing.length === 0) {
        const [counted] = await query<{ n: number }>(
          'SELECT count(*)::int AS n FROM confirmations WHERE scope = $1',
          [input.scope],
        );
        if ((counted?.n ?? 0) >= MAX_CONFIRMATIONS) return { ok: false, reason: 'full' };
      }
      const [row] = await query<{ id: string; created: boolean }>(
        `INSERT INTO confirmations
           (scope, question, question_key, sentence_key, sentence, verdict, how, by_user, by_name,
            message_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (scope, question_key, sentence_key) DO UPDATE SET
           question = EXCLUDED.question, sentence = EXCLUDED.sentence, verdict = EXCLUDED.verdict,
           how = EXCLUDED.how, by_user = EXCLUDED.by_user, by_name = EXCLUDED.by_name,
           message_id = EXCLUDED.message_id, created_at = EXCLUDED.created_at
         RETURNING id, (xmax = 0) AS created`,
        values,
      );
      await announce();
      return { ok: true, id: Number(row!.id), created: row!.created };
    },
    async changeSentence(scope, id, sentenceKey, sentence) {
      const rows = await query(
        `UPDATE confirmations SET sentence_key = $1, sentence = $2
         WHERE scope = $3 AND id = $4 RETURNING id`,
        [sentenceKey, sentence, scope, id],
      );
      await announce();
      return rows.length === 1;
    },
    async list(scope) {
      const rows = await query<ConfirmationRow>(
        `SELECT ${CONFIRMATION_COLUMNS} WHERE c.scope = $1 ORDER BY c.id`,
        [scope],
      );
      return rows.map(confirmationFromRow);
    },
    async get(scope, id) {
      const [row] = await query<ConfirmationRow>(
        `SELECT ${CONFIRMATION_COLUMNS} WHERE c.scope = $1 AND c.id = $2`,
        [scope, id],
      );
      return row && confirmationFromRow(row);
    },
    async fromMessage(scope, messageId) {
      const [row] = await query<ConfirmationRow>(
        `SELECT ${CONFIRMATION_COLUMNS} WHERE c.scope = $1 AND c.message_id = $2
         ORDER BY c.id DESC LIMIT 1`,
        [scope, messageId],
      );
      return row && confirmationFromRow(row);
    },
    // No announcement: how often an answer was used changes no answer on any instance.
    async recordAnswer(scope, id, question) {
      await query(
        `INSERT INTO confirmation_uses (confirmation_id, answered, last_question, last_answered_at)
         SELECT id, 1, $3, $4 FROM confirmations WHERE scope = $1 AND id = $2
         ON CONFLICT (confirmation_id) DO UPDATE SET
           answered = confirmation_uses.answered + 1,
           last_question = EXCLUDED.last_question, last_answered_at = EXCLUDED.last_answered_at`,
        [scope, id, question, now()],
      );
    },
    async forget(scope, id) {
      const rows = await query(
        'DELETE FROM confirmations WHERE scope = $1 AND id = $2 RETURNING id',
        [scope, id],
      );
      await announce();
      return rows.length === 1;
    },
    version: () => `${changes}.${notifications.count(CONFIRMATIONS_CHANNEL)}`,
  };

  return {
    location,
    settings: {
      async qaChannels(guildId) {
        const rows = await query<{ channel_id: string }>(
          // Snowflakes grow over time; comparing length first sorts them as numbers.
          `SELECT channel_id FROM qa_channels WHERE guild_id = $1
           ORDER BY length(channel_id), channel_id`,
          [guildId],
        );
        return rows.map((row) => row.channel_id);
      },
      async setQaChannel(guildId, channelId, enabled) {
        if (enabled) {
          await query(
            `INSERT INTO qa_channels (guild_id, channel_id, enabled_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING`,
            [guildId, channelId, now()],
          );
        } else {
          await query('DELETE FROM qa_channels WHERE guild_id = $1 AND channel_id = $2', [
            guildId,
            channelId,
          ]);
        }
      },
      async newsChannel(guildId) {
        const [row] = await query<NewsChannelRow>(
          'SELECT * FROM news_channels WHERE guild_id = $1',
          [guildId],
        );
        return row && newsChannelFromRow(row);
      },
      async setNewsChannel(guildId, channelId) {
        if (channelId === undefined) {
          await query('DELETE FROM news_channels WHERE guild_id = $1', [guildId]);
          return;
        }
        // Named again (even the same channel): only news from now on is posted there.
        await query(
          `INSERT INTO news_channels (guild_id, channel_id, since) VALUES ($1, $2, $3)
           ON CONFLICT (guild_id) DO UPDATE SET channel_id = EXCLUDED.channel_id,
             since = EXCLUDED.since`,
          [guildId, channelId, now()],
        );
      },
      async newsChannels() {
        const rows = await query<NewsChannelRow>(`SELECT * FROM news_channels ${BY_GUILD}`);
        return rows.map(newsChannelFromRow);
      },
    },
    feedback: {
      async vote(v): Promise<VoteOutcome> {
        // One statement: a first vote inserts, another vote replaces, the same vote does nothing.
        const rows = await query<{ inserted: boolean }>(
          `INSERT INTO feedback_votes
             (message_id, user_id, guild_id, channel_id, question, sentences, vote, voted_at,
              moderator, first_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (message_id, user_id) DO UPDATE SET
             vote = EXCLUDED.vote, voted_at = EXCLUDED.voted_at, moderator = EXCLUDED.moderator
           WHERE feedback_votes.vote <> EXCLUDED.vote
           RETURNING (xmax = 0) AS inserted`,
          [
            v.messageId,
            v.userId,
            v.guildId,
            v.channelId,
            v.question,
            JSON.stringify(v.sentences),
            v.vote,
            now(),
            v.moderator ?? false,
            v.firstKey ?? null,
          ],
        );
        if (rows.length === 0) return 'unchanged';
        return rows[0]!.inserted ? 'recorded' : 'changed';
      },
      async totals(guildId) {
        const [row] = await query<{ up: number; down: number; answers: number }>(
          `SELECT count(*) FILTER (WHERE vote = 'up')::int AS up,
                  count(*) FILTER (WHERE vote = 'down')::int AS down,
                  count(DISTINCT message_id)::int AS answers
           FROM feedback_votes WHERE guild_id = $1`,
          [guildId],
        );
        return { up: row?.up ?? 0, down: row?.down ?? 0, answers: row?.answers ?? 0 };
      },
      async mostUnhelpful(guildId, limit = 5) {
        if (!Number.isInteger(limit) || limit < 0) {
          throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
        }
        return query<{ question: string; down: number; up: number }>(
          `SELECT question, count(*) FILTER (WHERE vote = 'down')::int AS down,
                  count(*) FILTER (WHERE vote = 'up')::int AS up
           FROM feedback_votes WHERE guild_id = $1
           GROUP BY question HAVING count(*) FILTER (WHERE vote = 'down') >= 1
           ORDER BY down DESC, up ASC, question ASC
           LIMIT $2`,
          [guildId, limit],
        );
      },
      async tally(messageId) {
        const [row] = await query<{
          up: number;
          down: number;
          moderator_up: boolean;
          moderator_down: boolean;
        }>(
          `SELECT count(*) FILTER (WHERE vote = 'up')::int AS up,
                  count(*) FILTER (WHERE vote = 'down')::int AS down,
                  coalesce(bool_or(vote = 'up' AND moderator), false) AS moderator_up,
                  coalesce(bool_or(vote = 'down' AND moderator), false) AS moderator_down
           FROM feedback_votes WHERE message_id = $1`,
          [messageId],
        );
        return {
          up: row?.up ?? 0,
          down: row?.down ?? 0,
          moderatorUp: row?.moderator_up ?? false,
          moderatorDown: row?.moderator_down ?? false,
        };
      },
    },
    confirmations,
    gaps: {
      async record(gap) {
        const at = now();
        await query(
          `INSERT INTO gaps (scope, key, question, outcome, shown, asked, first_at, last_at)
           VALUES ($1, $2, $3, $4, $5, 1, $6, $6)
           ON CONFLICT (scope, key) DO UPDATE SET question = EXCLUDED.question,
             outcome = EXCLUDED.outcome, shown = EXCLUDED.shown, asked = gaps.asked + 1,
             last_at = EXCLUDED.last_at`,
          [gap.scope, gap.key, gap.question, gap.outcome, gap.shown ?? null, at],
        );
        // Bounded: nothing older than GAP_DAYS, at most MAX_GAPS per community.
        await query(
          `DELETE FROM gaps WHERE scope = $1 AND (last_at < $2 OR key NOT IN
             (SELECT key FROM gaps WHERE scope = $1 ORDER BY last_at DESC LIMIT $3))`,
          [gap.scope, at - GAP_DAYS * DAY_MS, MAX_GAPS],
        );
      },
      async list(scope, limit = MAX_GAPS) {
        const rows = await query<Parameters<typeof gapFromRow>[0]>(
          'SELECT * FROM gaps WHERE scope = $1 ORDER BY asked DESC, last_at DESC LIMIT $2',
          [scope, limit],
        );
        return rows.map(gapFromRow);
      },
      async forget(scope, key) {
        const rows = await query('DELETE FROM gaps WHERE scope = $1 AND key = $2 RETURNING key', [
          scope,
          key,
        ]);
        return rows.length === 1;
      },
    },
    feeds: createPostgresFeeds(run, now),
    news: createPostgresNews(run, now),
    knowledge,
    questions: {
      async remember(question) {
        const id = questionId(question);
        const at = now();
        await run(
          `INSERT INTO asked_questions (id, question, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at`,
          [id, question, at],
        );
        if (at - lastQuestionPrune >= QUESTION_PRUNE_EVERY_MS) {
          lastQuestionPrune = at;
          await run('DELETE FROM asked_questions WHERE created_at < $1', [
            at - QUESTION_DAYS * 86_400_000,
          ]);
        }
        return id;
      },
      async find(id) {
        const rows = await query<{ question: string }>(
          'SELECT question FROM asked_questions WHERE id = $1',
          [id],
        );
        return rows[0]?.question;
      },
    },
    autoAnswers: {
      async claim(messageId, guildId) {
        const result = await run(
          `INSERT INTO auto_answers (message_id, guild_id, answered_at) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          [messageId, guildId, now()],
        );
        return result.rowCount === 1;
      },
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await notifications.close();
      await pool.end();
    },
  };
}
