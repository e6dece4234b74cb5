/**
 * The PostgreSQL schema, as ordered steps like the SQLite ones
 * (migrations.ts): the same tables, in PostgreSQL's types. Applied steps are
 * recorded in `schema_migrations`; instances starting together take turns
 * (an advisory lock), so each step runs once. Never edit a released step: add
 * one at the end.
 */
import type pg from 'pg';
import { StoreError } from './errors.ts';

export interface PostgresMigration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    description: 'per-guild channels where questions are answered automatically',
    sql: `CREATE TABLE qa_channels (
            guild_id   text   NOT NULL,
            channel_id text   NOT NULL,
            enabled_at bigint NOT NULL,
            PRIMARY KEY (guild_id, channel_id)
          )`,
  },
  {
    version: 2,
    description: 'helpful / not helpful votes on answers, one per member and answer',
    sql: `CREATE TABLE feedback_votes (
            message_id text    NOT NULL,
            user_id    text    NOT NULL,
            guild_id   text    NOT NULL,
            channel_id text    NOT NULL,
            question   text    NOT NULL,
            sentences  jsonb   NOT NULL,
            vote       text    NOT NULL CHECK (vote IN ('up', 'down')),
            voted_at   bigint  NOT NULL,
            moderator  boolean NOT NULL DEFAULT false,
            first_key  text,
            PRIMARY KEY (message_id, user_id)
          );
          CREATE INDEX feedback_votes_by_guild ON feedback_votes (guild_id, question)`,
  },
  {
    version: 3,
    description: 'messages already answered automatically, by any instance',
    sql: `CREATE TABLE auto_answers (
            message_id  text   PRIMARY KEY,
            guild_id    text   NOT NULL,
            answered_at bigint NOT NULL
          )`,
  },
  {
    version: 4,
    description: "answers a server's community confirmed (or marked wrong) for a question",
    sql: `CREATE TABLE confirmations (
            id           bigserial PRIMARY KEY,
            scope        text   NOT NULL,
            question     text   NOT NULL,
            question_key text   NOT NULL,
            sentence_key text   NOT NULL,
            sentence     text   NOT NULL,
            verdict      text   NOT NULL CHECK (verdict IN ('right', 'wrong')),
            how          text   NOT NULL CHECK (how IN ('pin', 'teach', 'votes')),
            by_user      text,
            by_name      text,
            message_id   text,
            created_at   bigint NOT NULL,
            UNIQUE (scope, question_key, sentence_key)
          );
          CREATE INDEX confirmations_by_message ON confirmations (message_id)`,
  },
  {
    version: 5,
    description: 'the knowledge folder, shared by every instance',
    sql: `CREATE TABLE knowledge_files (
            name       text   PRIMARY KEY,
            content    text   NOT NULL,
            updated_at bigint NOT NULL
          )`,
  },
  {
    version: 6,
    description:
      'how often each confirmation answered a later question, and the questions not answered well',
    sql: `CREATE TABLE confirmation_uses (
            confirmation_id  bigint PRIMARY KEY REFERENCES confirmations (id) ON DELETE CASCADE,
            answered         bigint NOT NULL,
            last_question    text   NOT NULL,
            last_answered_at bigint NOT NULL
          );
          CREATE TABLE gaps (
            scope    text   NOT NULL,
            key      text   NOT NULL,
            question text   NOT NULL,
            outcome  text   NOT NULL CHECK (outcome IN ('not-found', 'uncertain')),
            shown    text,
            asked    bigint NOT NULL,
            first_at bigint NOT NULL,
            last_at  bigint NOT NULL,
            PRIMARY KEY (scope, key)
          );
          CREATE INDEX gaps_by_age ON gaps (scope, last_at)`,
  },
  {
    version: 7,
    description: 'the questions behind answer messages, by id (what a pin or a vote confirms)',
    sql: `CREATE TABLE asked_questions (
            id         text   PRIMARY KEY,
            question   text   NOT NULL,
            created_at bigint NOT NULL
          )`,
  },
  {
    version: 8,
    description:
      'followed feeds and the items seen in them, the news they brought, and where servers hear of it',
    sql: `CREATE TABLE news_channels (
            guild_id   text   PRIMARY KEY,
            channel_id text   NOT NULL,
            since      bigint NOT NULL
          );
          CREATE TABLE feeds (
            id               bigserial PRIMARY KEY,
            url              text    NOT NULL UNIQUE,
            match            text,
            guild_id         text,
            channel_id       text,
            user_id          text,
            created_at       bigint  NOT NULL,
            title            text,
            etag             text,
            last_modified    text,
            last_poll_at     bigint,
            last_new_at      bigint,
            next_poll_at     bigint  NOT NULL,
            failures         integer NOT NULL DEFAULT 0,
            last_error       text,
            paused_at        bigint,
            pause_told       boolean NOT NULL DEFAULT false,
            added            bigint  NOT NULL DEFAULT 0,
            skipped          bigint  NOT NULL DEFAULT 0,
            last_nothing_new text,
            lease_holder     text,
            lease_until      bigint
          );
          CREATE TABLE feed_items (
            feed_id bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
            key     text   NOT NULL,
            seen_at bigint NOT NULL,
            PRIMARY KEY (feed_id, key)
          );
          CREATE INDEX feed_items_by_age ON feed_items (feed_id, seen_at, key);
          CREATE TABLE news (
            id         bigserial PRIMARY KEY,
            article_id text   NOT NULL,
            title      text   NOT NULL,
            publisher  text,
            published  text,
            url        text,
            feed_id    bigint,
            sentences  jsonb  NOT NULL,
            created_at bigint NOT NULL
          );
          CREATE INDEX news_by_age ON news (created_at);
          CREATE TABLE news_posts (
            news_id   bigint NOT NULL,
            guild_id  text   NOT NULL,
            posted_at bigint NOT NULL,
            PRIMARY KEY (news_id, guild_id)
          )`,
  },
];

/** Any fixed number: the advisory lock instances take turns with while migrating. */
const MIGRATION_LOCK = 7_310_402;

/** Brings the database up to date, one transaction per step; returns the versions applied. */
export async function migratePostgres(pool: pg.Pool, location: string): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     integer PRIMARY KEY,
      description text    NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations',
    );
    const done = new Set(rows.map((row) => row.version));
    const latest = POSTGRES_MIGRATIONS.length;
    const newest = Math.max(0, ...done);
    if (newest > latest) {
      throw new StoreError(
        `The database at ${location} was written by a newer talks-bot (schema version ${newest}; ` +
          `this one knows up to ${latest}). Upgrade talks-bot, or point DATABASE_URL elsewhere.`,
      );
    }
    const applied: number[] = [];
    for (const migration of POSTGRES_MIGRATIONS) {
      if (done.has(migration.version)) continue;
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
          migration.version,
          migration.description,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new StoreError(
          `Could not upgrade the database at ${location} to schema version ${migration.version} ` +
            `(${migration.description}): ${(error as Error).message}. It was left at the version before.`,
          { cause: error },
        );
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
