/**
 * What only the PostgreSQL store does: its schema steps (once, even with
 * several instances starting together), refusing a newer schema, and what it
 * says when the database cannot be reached. What every store promises is in
 * store-contract.test.ts.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres-migrations.ts';
import { openPostgresStore, redactedUrl } from '../../src/store/postgres-store.ts';
import { openStore, StoreError, type Store } from '../../src/store/store.ts';
import { postgresForThisFile } from '../helpers/postgres.ts';

const postgres = postgresForThisFile();
const opened: Store[] = [];
const clients: pg.Client[] = [];

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const client of clients.splice(0)) await client.end();
});

async function open(url: string): Promise<Store> {
  const store = await openPostgresStore(url);
  opened.push(store);
  return store;
}

/** A second connection, to look under the API. */
async function sql(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}

describe('schema', () => {
  it('applies every step once, even when several instances start together', async () => {
    const url = await postgres.createDatabase();
    await Promise.all([open(url), open(url), open(url)]);
    const client = await sql(url);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    const tables = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(tables.rows.map((row) => row.tablename)).toEqual([
      'asked_questions',
      'auto_answers',
      'confirmation_uses',
      'confirmations',
      'feed_items',
      'feedback_votes',
      'feeds',
      'gaps',
      'knowledge_files',
      'news',
      'news_channels',
      'news_posts',
      'qa_channels',
      'schema_migrations',
    ]);
  });

  it('refuses a database written by a newer talks-bot, and leaves it as it was', async () => {
    const url = await postgres.createDatabase();
    await (await open(url)).close();
    const client = await sql(url);
    const newer = POSTGRES_MIGRATIONS.length + 1;
    await client.query("INSERT INTO schema_migrations (version, description) VALUES ($1, 'x')", [
      newer,
    ]);
    const error = await openPostgresStore(url).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/newer talks-bot.*DATABASE_URL/s);
    const { rows } = await client.query('SELECT max(version) AS v FROM schema_migrations');
    expect(rows[0].v).toBe(newer);
  });
});

describe('an unusable DATABASE_URL', () => {
  it('says what to check, without the password', async () => {
    // A port nothing listens on: connecting is refused at once.
    const url = 'postgres://bot:s3cret@127.0.0.1:1/talks';
    const error = await openStore({ dataDir: '/nonexistent', databaseUrl: url }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    const message = (error as Error).message;
    expect(message).toContain('postgres://bot:***@127.0.0.1:1/talks');
    expect(message).not.toContain('s3cret');
    expect(message).toMatch(/DATABASE_URL.*running and reachable/s);
  });

  it('says so when the password is wrong', async () => {
    const good = new URL(await postgres.createDatabase());
    good.password = 'wrong';
    const error = await openPostgresStore(good.toString()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/password authentication failed/);
    expect((error as Error).message).not.toContain(':wrong@');
  });

  it('redacts only the password', () => {
    expect(redactedUrl('postgres://u:p@host:5432/db?sslmode=require')).toBe(
      'postgres://u:***@host:5432/db?sslmode=require',
    );
    expect(redactedUrl('postgres://host/db')).toBe('postgres://host/db');
    expect(redactedUrl('not a url')).toBe('(unparsable DATABASE_URL)');
  });
});
