/**
 * What only the SQLite store does, against real files in throw-away folders:
 * the file and its folder, WAL, schema migrations, the rows it writes, and the
 * advice given when the folder or the file is unusable. What every store
 * promises is in store-contract.test.ts.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate, MIGRATIONS, type Migration } from '../../src/store/migrations.ts';
import { DATABASE_FILE, openSqliteStore } from '../../src/store/sqlite-store.ts';
import { StoreError, type Store, type StoreOptions } from '../../src/store/store.ts';
import { CHANNEL, GUILD, vote } from '../helpers/store-inputs.ts';

const dirs: string[] = [];
const opened: Store[] = [];
const rawHandles: Database.Database[] = [];

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const db of rawHandles.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'talks-bot-store-'));
  dirs.push(dir);
  return dir;
}

function open(dataDir: string, options?: StoreOptions): Store {
  const store = openSqliteStore(dataDir, options);
  opened.push(store);
  return store;
}

/** A second connection to the file, to look under the API. */
function raw(file: string): Database.Database {
  const db = new Database(file);
  rawHandles.push(db);
  return db;
}

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('opening', () => {
  it('creates a missing data folder (with parents) and the database file in it', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = open(dataDir);
    expect(statSync(dataDir).isDirectory()).toBe(true);
    expect(store.location).toBe(join(dataDir, DATABASE_FILE));
    expect(statSync(store.location).isFile()).toBe(true);
  });

  it('puts the database in WAL mode', () => {
    const store = open(tempDir());
    expect(raw(store.location).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('applies every migration, then nothing more on reopen', async () => {
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(1);
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.settings.setQaChannel(GUILD, CHANNEL, true);
    await store.close();
    const file = join(dataDir, DATABASE_FILE);
    const check = raw(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const tables = check
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual([
      'asked_questions',
      'auto_answers',
      'confirmation_uses',
      'confirmations',
      'feed_items',
      'feedback_votes',
      'feeds',
      'gaps',
      'news',
      'news_channels',
      'news_posts',
      'qa_channels',
      // SQLite's own: the last id AUTOINCREMENT gave (feeds).
      'sqlite_sequence',
    ]);
    check.close();

    // Re-running a CREATE TABLE step would throw "table already exists".
    const again = open(dataDir);
    expect(await again.settings.qaChannels(GUILD)).toEqual([CHANNEL]);
    await again.close();
    expect(raw(file).pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
  });

  it('refuses a database written by a newer talks-bot, and leaves it as it was', async () => {
    const dataDir = tempDir();
    await open(dataDir).close();
    const file = join(dataDir, DATABASE_FILE);
    const setup = new Database(file);
    setup.pragma(`user_version = ${LATEST_VERSION + 1}`);
    setup.close();

    const error = caught(() => open(dataDir));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/newer talks-bot/);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/DATA_DIR/);
    expect(raw(file).pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
  });

  it('close releases the file (WAL folded back in)', async () => {
    const store = open(tempDir());
    await store.settings.setQaChannel(GUILD, CHANNEL, true);
    expect(existsSync(`${store.location}-wal`)).toBe(true);
    await store.close();
    expect(existsSync(`${store.location}-wal`)).toBe(false);
  });
});

describe('migrate', () => {
  function counting(count: number, failAt?: number): { migrations: Migration[]; runs: number[] } {
    const runs: number[] = [];
    const migrations = Array.from({ length: count }, (_, index): Migration => {
      const version = index + 1;
      return {
        version,
        description: `step ${version}`,
        up: (db) => {
          runs.push(version);
          db.exec(`CREATE TABLE t${version} (x)`);
          if (version === failAt) throw new Error('boom');
        },
      };
    });
    return { migrations, runs };
  }

  it('runs each step once, in order, and only the missing ones later', () => {
    const db = new Database(':memory:');
    rawHandles.push(db);
    const first = counting(2);
    expect(migrate(db, 'memory', first.migrations)).toEqual([1, 2]);
    expect(migrate(db, 'memory', first.migrations)).toEqual([]);
    expect(first.runs).toEqual([1, 2]);

    const later = counting(3);
    expect(migrate(db, 'memory', later.migrations)).toEqual([3]);
    expect(later.runs).toEqual([3]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
  });

  it('rolls a failed step back entirely and keeps the version before it', () => {
    const db = new Database(':memory:');
    rawHandles.push(db);
    const { migrations } = counting(3, 2);
    const error = caught(() => migrate(db, 'memory', migrations));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/version 2 \(step 2\): boom.*left at version 1/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(['t1']);
  });

  it('rejects a list whose versions are not 1, 2, 3…', () => {
    const db = new Database(':memory:');
    rawHandles.push(db);
    const [one, two] = counting(2).migrations as [Migration, Migration];
    expect(() => migrate(db, 'memory', [two, one])).toThrow(/must be 1, 2, 3/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
  });
});

describe('feedback rows', () => {
  it('keeps one row per member and answer, with the time of the last change', async () => {
    let clock = 1_000;
    const store = open(tempDir(), { now: () => clock });
    const rows = () =>
      raw(store.location)
        .prepare(
          'SELECT guild_id, channel_id, question, sentences, vote, voted_at FROM feedback_votes',
        )
        .all();
    await store.feedback.vote(vote({ vote: 'up' }));
    clock = 2_000;
    expect(await store.feedback.vote(vote({ vote: 'up' }))).toBe('unchanged');
    expect(rows()).toEqual([
      {
        guild_id: GUILD,
        channel_id: CHANNEL,
        question: 'Who led the Ukrainian delegation?',
        sentences: JSON.stringify(vote().sentences),
        vote: 'up',
        voted_at: 1_000,
      },
    ]);
    clock = 3_000;
    expect(await store.feedback.vote(vote({ vote: 'down' }))).toBe('changed');
    expect(rows()).toMatchObject([{ vote: 'down', voted_at: 3_000 }]);
  });
});

describe('unusable data folder or file', () => {
  // We run as root, so chmod cannot make a folder unwritable; a path through a
  // regular file fails the same way for everyone.
  it('explains a DATA_DIR that is a regular file, and leaves the file alone', () => {
    const dataDir = join(tempDir(), 'data');
    writeFileSync(dataDir, 'notes\n');
    const error = caught(() => open(dataDir));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(dataDir);
    expect((error as Error).message).toMatch(/not a folder.*DATA_DIR/s);
    expect(readFileSync(dataDir, 'utf8')).toBe('notes\n');
  });

  it('explains a DATA_DIR below a regular file', () => {
    const file = join(tempDir(), 'data');
    writeFileSync(file, 'notes\n');
    const dataDir = join(file, 'store');
    const error = caught(() => open(dataDir));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(dataDir);
    expect((error as Error).message).toMatch(/ENOTDIR.*permissions.*DATA_DIR/s);
  });

  it('explains a database path that is a folder', () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, DATABASE_FILE));
    const error = caught(() => open(dataDir));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(join(dataDir, DATABASE_FILE));
    expect((error as Error).message).toMatch(/DATA_DIR/);
  });

  it.each([
    ['text', Buffer.from('These are my meeting notes, not a database.\n'.repeat(5))],
    ['a few bytes', Buffer.from([0x00, 0xff, 0x13])],
    ['a truncated header', Buffer.from('SQLite format 3\0abc')],
  ])('refuses a garbage file (%s) at the database path and leaves it untouched', (_, bytes) => {
    const dataDir = tempDir();
    const file = join(dataDir, DATABASE_FILE);
    writeFileSync(file, bytes);
    const error = caught(() => open(dataDir));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/not a valid database.*move it aside/s);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readdirSync(dataDir)).toEqual([DATABASE_FILE]);
  });

  it('refuses a database whose pages are damaged, found by the integrity check', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    for (let i = 0; i < 500; i++) {
      await store.feedback.vote(
        vote({ messageId: `3000000000000${10000 + i}`, question: `Q${i}?` }),
      );
    }
    await store.close();
    const file = join(dataDir, DATABASE_FILE);
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over the middle of the file, well past the header page.
    const damaged = Buffer.from(bytes);
    const start = pageSize * Math.floor(bytes.length / pageSize / 2);
    damaged.fill(0x5a, start + 8, start + pageSize);
    writeFileSync(file, damaged);
    expect(existsSync(`${file}-wal`)).toBe(false);

    const error = caught(() => open(dataDir));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(
      /not a valid database \(integrity check: .*move it aside/s,
    );
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });
});
