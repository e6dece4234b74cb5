/**
 * The store in one SQLite file in DATA_DIR: the default, with nothing to set
 * up. better-sqlite3 is synchronous (each call a few microseconds on a local
 * disk); the answers come back as settled promises. Shards on one machine may
 * share the file (WAL mode).
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { corruptDatabase, explainSqliteError, StoreError, unwritable } from './errors.ts';
import { BY_GUILD, newsChannelFromRow, type NewsChannelRow } from './feed-rows.ts';
import { migrate } from './migrations.ts';
import { createSqliteConfirmations } from './sqlite-confirmations.ts';
import { createSqliteFeeds, createSqliteNews } from './sqlite-feeds.ts';
import { createSqliteGaps } from './sqlite-gaps.ts';
import {
  QUESTION_DAYS,
  QUESTION_PRUNE_EVERY_MS,
  questionId,
  type Store,
  type StoreOptions,
  type UnhelpfulQuestion,
  type Vote,
  type VoteInput,
  type VoteOutcome,
} from './types.ts';

/** The database's file name inside DATA_DIR. */
export const DATABASE_FILE = 'talks-bot.sqlite3';

/**
 * Opens (creating if needed) the database in `dataDir` and brings its schema
 * up to date. Throws StoreError, with what to do about it, when the folder is
 * not writable, the file is not a healthy talks-bot database, or it was
 * written by a newer talks-bot. Never deletes or overwrites an existing file.
 */
export function openSqliteStore(dataDir: string, options: StoreOptions = {}): Store {
  const dir = resolve(dataDir);
  const file = join(dir, DATABASE_FILE);
  prepareDirectory(dir);
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    // Wait for a lock held by another connection (a backup, the sqlite3 shell)
    // instead of failing at once.
    db.pragma('busy_timeout = 5000');
    // The first statement that reads the file: a non-database fails here.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    checkIntegrity(db, file);
    migrate(db, file);
    return createStore(db, file, options.now ?? Date.now);
  } catch (error) {
    db?.close();
    if (error instanceof StoreError) throw error;
    throw explainSqliteError(error, file) ?? error;
  }
}

function prepareDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new StoreError(
        `DATA_DIR ${dir} is a file, not a folder. Set DATA_DIR to a folder (it is created if ` +
          `missing), or move that file aside.`,
        { cause: error },
      );
    }
    const detail =
      code === 'ENOTDIR'
        ? 'ENOTDIR: part of this path is a file, not a folder'
        : `${code ?? 'error'}: cannot create this folder`;
    throw unwritable(dir, detail, error);
  }
  try {
    // SQLite also creates -wal and -shm files next to the database.
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw unwritable(dir, `${code ?? 'error'}: this folder is not writable`, error);
  }
}

/**
 * quick_check reads every page but skips the slow index cross-checks: enough
 * to refuse a damaged file at start-up instead of failing on some later vote.
 */
function checkIntegrity(db: Database.Database, file: string): void {
  // At most three findings: enough to show it is damaged without a page-long message.
  const findings = (db.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[])
    .flatMap((row) => row.quick_check.split('\n'))
    .filter((line) => !line.startsWith('*** in database'));
  if (findings.length !== 1 || findings[0] !== 'ok') {
    throw corruptDatabase(file, `integrity check: ${findings.join('; ')}`);
  }
}

interface CountsRow {
  up: number;
  down: number;
  answers: number;
}

function createStore(db: Database.Database, file: string, now: () => number): Store {
  let lastQuestionPrune = -Infinity;
  const statements = {
    qaChannels: db
      .prepare<[string], string>(
        // Snowflakes grow over time; comparing length first sorts them as numbers.
        `SELECT channel_id FROM qa_channels WHERE guild_id = ?
         ORDER BY length(channel_id), channel_id`,
      )
      .pluck(),
    enableQa: db.prepare<[string, string, number]>(
      'INSERT OR IGNORE INTO qa_channels (guild_id, channel_id, enabled_at) VALUES (?, ?, ?)',
    ),
    disableQa: db.prepare<[string, string]>(
      'DELETE FROM qa_channels WHERE guild_id = ? AND channel_id = ?',
    ),
    newsChannel: db.prepare<[string], NewsChannelRow>(
      'SELECT * FROM news_channels WHERE guild_id = ?',
    ),
    newsChannels: db.prepare<[], NewsChannelRow>(`SELECT * FROM news_channels ${BY_GUILD}`),
    // Named again (even the same channel): only news from now on is posted there.
    setNewsChannel: db.prepare<[string, string, number]>(
      `INSERT INTO news_channels (guild_id, channel_id, since) VALUES (?, ?, ?)
       ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,
         since = excluded.since`,
    ),
    removeNewsChannel: db.prepare<[string]>('DELETE FROM news_channels WHERE guild_id = ?'),
    currentVote: db
      .prepare<[string, string], Vote>(
        'SELECT vote FROM feedback_votes WHERE message_id = ? AND user_id = ?',
      )
      .pluck(),
    insertVote: db.prepare<
      [string, string, string, string, string, string, Vote, number, number, string | null]
    >(
      `INSERT INTO feedback_votes
         (message_id, user_id, guild_id, channel_id, question, sentences, vote, voted_at,
          moderator, first_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    changeVote: db.prepare<[Vote, number, number, string, string]>(
      `UPDATE feedback_votes SET vote = ?, voted_at = ?, moderator = ?
       WHERE message_id = ? AND user_id = ?`,
    ),
    tally: db.prepare<
      [string],
      { up: number; down: number; moderatorUp: number; moderatorDown: number }
    >(
      `SELECT coalesce(sum(vote = 'up'), 0) AS up, coalesce(sum(vote = 'down'), 0) AS down,
              coalesce(max(vote = 'up' AND moderator), 0) AS moderatorUp,
              coalesce(max(vote = 'down' AND moderator), 0) AS moderatorDown
       FROM feedback_votes WHERE message_id = ?`,
    ),
    totals: db.prepare<[string], CountsRow>(
      `SELECT coalesce(sum(vote = 'up'), 0) AS up, coalesce(sum(vote = 'down'), 0) AS down,
              count(DISTINCT message_id) AS answers
       FROM feedback_votes WHERE guild_id = ?`,
    ),
    mostUnhelpful: db.prepare<[string, number], UnhelpfulQuestion>(
      `SELECT question, sum(vote = 'down') AS down, sum(vote = 'up') AS up
       FROM feedback_votes WHERE guild_id = ?
       GROUP BY question HAVING down >= 1
       ORDER BY down DESC, up ASC, question ASC
       LIMIT ?`,
    ),
    rememberQuestion: db.prepare<[string, string, number]>(
      `INSERT INTO asked_questions (id, question, created_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at`,
    ),
    pruneQuestions: db.prepare<[number]>('DELETE FROM asked_questions WHERE created_at < ?'),
    findQuestion: db.prepare<[string], { question: string }>(
      'SELECT question FROM asked_questions WHERE id = ?',
    ),
    claim: db.prepare<[string, string, number]>(
      'INSERT OR IGNORE INTO auto_answers (message_id, guild_id, answered_at) VALUES (?, ?, ?)',
    ),
  };

  // Read-then-write in one transaction, so two clicks at once cannot both "record".
  const vote = db.transaction((v: VoteInput): VoteOutcome => {
    const previous = statements.currentVote.get(v.messageId, v.userId);
    if (previous === undefined) {
      statements.insertVote.run(
        v.messageId,
        v.userId,
        v.guildId,
        v.channelId,
        v.question,
        JSON.stringify(v.sentences),
        v.vote,
        now(),
        v.moderator ? 1 : 0,
        v.firstKey ?? null,
      );
      return 'recorded';
    }
    if (previous === v.vote) return 'unchanged';
    statements.changeVote.run(v.vote, now(), v.moderator ? 1 : 0, v.messageId, v.userId);
    return 'changed';
  });

  return {
    location: file,
    settings: {
      qaChannels: async (guildId) => statements.qaChannels.all(guildId),
      setQaChannel: async (guildId, channelId, enabled) => {
        if (enabled) statements.enableQa.run(guildId, channelId, now());
        else statements.disableQa.run(guildId, channelId);
      },
      newsChannel: async (guildId) => {
        const row = statements.newsChannel.get(guildId);
        return row && newsChannelFromRow(row);
      },
      setNewsChannel: async (guildId, channelId) => {
        if (channelId === undefined) statements.removeNewsChannel.run(guildId);
        else statements.setNewsChannel.run(guildId, channelId, now());
      },
      newsChannels: async () => statements.newsChannels.all().map(newsChannelFromRow),
    },
    feedback: {
      vote: async (v) => vote(v),
      totals: async (guildId) => {
        const row = statements.totals.get(guildId);
        return { up: row?.up ?? 0, down: row?.down ?? 0, answers: row?.answers ?? 0 };
      },
      mostUnhelpful: async (guildId, limit = 5) => {
        // SQLite reads a negative LIMIT as "no limit"; refuse it rather than return everything.
        if (!Number.isInteger(limit) || limit < 0) {
          throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
        }
        return statements.mostUnhelpful.all(guildId, limit);
      },
      tally: async (messageId) => {
        const row = statements.tally.get(messageId);
        return {
          up: row?.up ?? 0,
          down: row?.down ?? 0,
          moderatorUp: Boolean(row?.moderatorUp),
          moderatorDown: Boolean(row?.moderatorDown),
        };
      },
    },
    confirmations: createSqliteConfirmations(db, now),
    gaps: createSqliteGaps(db, now),
    feeds: createSqliteFeeds(db, now),
    news: createSqliteNews(db, now),
    questions: {
      async remember(question) {
        const id = questionId(question);
        const at = now();
        statements.rememberQuestion.run(id, question, at);
        if (at - lastQuestionPrune >= QUESTION_PRUNE_EVERY_MS) {
          lastQuestionPrune = at;
          statements.pruneQuestions.run(at - QUESTION_DAYS * 86_400_000);
        }
        return id;
      },
      find: async (id) => statements.findQuestion.get(id)?.question,
    },
    autoAnswers: {
      claim: async (messageId, guildId) =>
        statements.claim.run(messageId, guildId, now()).changes === 1,
    },
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    close: async () => {
      if (db.open) db.close();
    },
  };
}
