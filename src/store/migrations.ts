/**
 * The database schema, as an ordered list of steps. The version a database has
 * reached lives in its header (PRAGMA user_version), so opening it applies
 * exactly the steps it is missing. Never edit or reorder a released step: a
 * database out there has already run it. Add a new one at the end instead.
 */
import type { Database } from 'better-sqlite3';
import { explainSqliteError, StoreError } from './errors.ts';

export interface Migration {
  /** 1, 2, 3… with no gaps: a database at version n runs every step above n. */
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'per-guild channels where questions are answered automatically',
    up: (db) => {
      db.exec(`
        CREATE TABLE qa_channels (
          guild_id   TEXT    NOT NULL,
          channel_id TEXT    NOT NULL,
          enabled_at INTEGER NOT NULL,
          PRIMARY KEY (guild_id, channel_id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    description: 'helpful / not helpful votes on answers, one per member and answer',
    up: (db) => {
      db.exec(`
        CREATE TABLE feedback_votes (
          message_id TEXT    NOT NULL,
          user_id    TEXT    NOT NULL,
          guild_id   TEXT    NOT NULL,
          channel_id TEXT    NOT NULL,
          question   TEXT    NOT NULL,
          sentences  TEXT    NOT NULL CHECK (json_valid(sentences)),
          vote       TEXT    NOT NULL CHECK (vote IN ('up', 'down')),
          voted_at   INTEGER NOT NULL,
          PRIMARY KEY (message_id, user_id)
        );
        CREATE INDEX feedback_votes_by_guild ON feedback_votes (guild_id, question);
      `);
    },
  },
  {
    version: 3,
    description: 'messages already answered automatically, so a restart never answers twice',
    up: (db) => {
      db.exec(`
        CREATE TABLE auto_answers (
          message_id  TEXT    PRIMARY KEY,
          guild_id    TEXT    NOT NULL,
          answered_at INTEGER NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    description: "answers a server's community confirmed (or marked wrong) for a question",
    up: (db) => {
      db.exec(`
        CREATE TABLE confirmations (
          id           INTEGER PRIMARY KEY,
          scope        TEXT    NOT NULL,
          question     TEXT    NOT NULL,
          question_key TEXT    NOT NULL,
          sentence_key TEXT    NOT NULL,
          sentence     TEXT    NOT NULL,
          verdict      TEXT    NOT NULL CHECK (verdict IN ('right', 'wrong')),
          how          TEXT    NOT NULL CHECK (how IN ('pin', 'teach', 'votes')),
          by_user      TEXT,
          by_name      TEXT,
          message_id   TEXT,
          created_at   INTEGER NOT NULL,
          UNIQUE (scope, question_key, sentence_key)
        );
        CREATE INDEX confirmations_by_message ON confirmations (message_id);
      `);
    },
  },
  {
    version: 5,
    description: "votes remember whether a moderator cast them, and the answer's first sentence",
    up: (db) => {
      db.exec(`
        ALTER TABLE feedback_votes ADD COLUMN moderator INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE feedback_votes ADD COLUMN first_key TEXT;
      `);
    },
  },
  {
    version: 6,
    description:
      'how often each confirmation answered a later question, and the questions not answered well',
    up: (db) => {
      db.exec(`
        CREATE TABLE confirmation_uses (
          confirmation_id  INTEGER PRIMARY KEY REFERENCES confirmations (id) ON DELETE CASCADE,
          answered         INTEGER NOT NULL,
          last_question    TEXT    NOT NULL,
          last_answered_at INTEGER NOT NULL
        );
        CREATE TABLE gaps (
          scope    TEXT    NOT NULL,
          key      TEXT    NOT NULL,
          question TEXT    NOT NULL,
          outcome  TEXT    NOT NULL CHECK (outcome IN ('not-found', 'uncertain')),
          shown    TEXT,
          asked    INTEGER NOT NULL,
          first_at INTEGER NOT NULL,
          last_at  INTEGER NOT NULL,
          PRIMARY KEY (scope, key)
        ) WITHOUT ROWID;
        CREATE INDEX gaps_by_age ON gaps (scope, last_at);
      `);
    },
  },
  {
    version: 7,
    description: 'the questions behind answer messages, by id (what a pin or a vote confirms)',
    up: (db) => {
      db.exec(`
        CREATE TABLE asked_questions (
          id         TEXT    PRIMARY KEY,
          question   TEXT    NOT NULL,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 8,
    description:
      'followed feeds and the items seen in them, the news they brought, and where servers hear of it',
    up: (db) => {
      // feeds.id is AUTOINCREMENT so an unfollowed feed's id is never given to
      // another: a poll still running for the old one cannot write to the new one.
      db.exec(`
        CREATE TABLE news_channels (
          guild_id   TEXT    PRIMARY KEY,
          channel_id TEXT    NOT NULL,
          since      INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE feeds (
          id               INTEGER PRIMARY KEY AUTOINCREMENT,
          url              TEXT    NOT NULL UNIQUE,
          match            TEXT,
          guild_id         TEXT,
          channel_id       TEXT,
          user_id          TEXT,
          created_at       INTEGER NOT NULL,
          title            TEXT,
          etag             TEXT,
          last_modified    TEXT,
          last_poll_at     INTEGER,
          last_new_at      INTEGER,
          next_poll_at     INTEGER NOT NULL,
          failures         INTEGER NOT NULL DEFAULT 0,
          last_error       TEXT,
          paused_at        INTEGER,
          pause_told       INTEGER NOT NULL DEFAULT 0,
          added            INTEGER NOT NULL DEFAULT 0,
          skipped          INTEGER NOT NULL DEFAULT 0,
          last_nothing_new TEXT,
          lease_holder     TEXT,
          lease_until      INTEGER
        );
        CREATE TABLE feed_items (
          feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
          key     TEXT    NOT NULL,
          seen_at INTEGER NOT NULL,
          PRIMARY KEY (feed_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX feed_items_by_age ON feed_items (feed_id, seen_at, key);
        CREATE TABLE news (
          id         INTEGER PRIMARY KEY,
          article_id TEXT    NOT NULL,
          title      TEXT    NOT NULL,
          publisher  TEXT,
          published  TEXT,
          url        TEXT,
          feed_id    INTEGER,
          sentences  TEXT    NOT NULL CHECK (json_valid(sentences)),
          created_at INTEGER NOT NULL
        );
        CREATE INDEX news_by_age ON news (created_at);
        CREATE TABLE news_posts (
          news_id   INTEGER NOT NULL,
          guild_id  TEXT    NOT NULL,
          posted_at INTEGER NOT NULL,
          PRIMARY KEY (news_id, guild_id)
        ) WITHOUT ROWID;
      `);
    },
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to the newest version, one transaction per step, so a failed
 * step leaves the database at the previous version rather than half-changed.
 * Returns the versions it applied (empty when the database was up to date).
 */
export function migrate(
  db: Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  migrations.forEach((migration, index) => {
    // A programming mistake, caught by the tests long before any user sees it.
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration #${index + 1} has version ${migration.version}; versions must be 1, 2, 3… in order`,
      );
    }
  });
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StoreError(
      `The database ${file} was written by a newer talks-bot (schema version ${current}; ` +
        `this one knows up to ${latest}). Upgrade talks-bot, or point DATA_DIR elsewhere.`,
    );
  }
  const applied: number[] = [];
  for (const migration of migrations.slice(current)) {
    try {
      db.transaction(() => {
        migration.up(db);
        // user_version is part of the database header, so it commits (or rolls
        // back) together with the step.
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (error) {
      throw (
        explainSqliteError(error, file) ??
        new StoreError(
          `Could not upgrade the database ${file} to schema version ${migration.version} ` +
            `(${migration.description}): ${(error as Error).message}. ` +
            `It was left at version ${migration.version - 1}.`,
          { cause: error },
        )
      );
    }
    applied.push(migration.version);
  }
  return applied;
}
