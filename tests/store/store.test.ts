/**
 * The SQLite store against real files in throw-away folders: schema
 * migrations, each API, persistence across reopen, and the advice given when
 * the folder or the file is unusable.
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
import {
  DATABASE_FILE,
  openStore,
  StoreError,
  type Store,
  type StoreOptions,
  type VoteInput,
} from '../../src/store/store.ts';
import {
  LOCAL_SCOPE,
  MAX_CONFIRMATIONS,
  type ConfirmationInput,
} from '../../src/store/confirmations.ts';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const CHANNEL = '200000000000000001';
const MESSAGE = '300000000000000001';
const ALICE = '400000000000000001';
const BOB = '400000000000000002';
const CAROL = '400000000000000003';

const dirs: string[] = [];
const opened: Store[] = [];
const rawHandles: Database.Database[] = [];

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  for (const db of rawHandles.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'talks-bot-store-'));
  dirs.push(dir);
  return dir;
}

function open(dataDir: string, options?: StoreOptions): Store {
  const store = openStore(dataDir, options);
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

function vote(overrides: Partial<VoteInput> = {}): VoteInput {
  return {
    messageId: MESSAGE,
    guildId: GUILD,
    channelId: CHANNEL,
    userId: ALICE,
    question: 'Who led the Ukrainian delegation?',
    sentences: ['Rustem Umerov led the delegation.', 'The talks lasted two hours.'],
    vote: 'up',
    ...overrides,
  };
}

describe('opening', () => {
  it('creates a missing data folder (with parents) and the database file in it', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = open(dataDir);
    expect(statSync(dataDir).isDirectory()).toBe(true);
    expect(store.file).toBe(join(dataDir, DATABASE_FILE));
    expect(statSync(store.file).isFile()).toBe(true);
  });

  it('puts the database in WAL mode', () => {
    const store = open(tempDir());
    expect(raw(store.file).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('applies every migration, then nothing more on reopen', () => {
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(1);
    const dataDir = tempDir();
    const store = open(dataDir);
    store.settings.setQaChannel(GUILD, CHANNEL, true);
    store.close();
    const file = join(dataDir, DATABASE_FILE);
    const check = raw(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const tables = check
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['auto_answers', 'confirmations', 'feedback_votes', 'qa_channels']);
    check.close();

    // Re-running a CREATE TABLE step would throw "table already exists".
    const again = open(dataDir);
    expect(again.settings.qaChannels(GUILD)).toEqual([CHANNEL]);
    again.close();
    expect(raw(file).pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
  });

  it('refuses a database written by a newer talks-bot, and leaves it as it was', () => {
    const dataDir = tempDir();
    open(dataDir).close();
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

  it('close releases the file (WAL folded back in) and can be called twice', () => {
    const store = open(tempDir());
    store.settings.setQaChannel(GUILD, CHANNEL, true);
    expect(existsSync(`${store.file}-wal`)).toBe(true);
    store.close();
    expect(existsSync(`${store.file}-wal`)).toBe(false);
    expect(() => store.settings.qaChannels(GUILD)).toThrow(/not open/);
    expect(() => store.close()).not.toThrow();
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

describe('settings.qaChannels', () => {
  it('adds and removes channels per guild, without duplicates', () => {
    const store = open(tempDir());
    expect(store.settings.qaChannels(GUILD)).toEqual([]);
    store.settings.setQaChannel(GUILD, '200000000000000009', true);
    store.settings.setQaChannel(GUILD, CHANNEL, true);
    store.settings.setQaChannel(GUILD, CHANNEL, true);
    store.settings.setQaChannel(OTHER_GUILD, '200000000000000005', true);
    expect(store.settings.qaChannels(GUILD)).toEqual([CHANNEL, '200000000000000009']);
    expect(store.settings.qaChannels(OTHER_GUILD)).toEqual(['200000000000000005']);

    store.settings.setQaChannel(GUILD, CHANNEL, false);
    store.settings.setQaChannel(GUILD, CHANNEL, false);
    store.settings.setQaChannel(OTHER_GUILD, '200000000000000009', false);
    expect(store.settings.qaChannels(GUILD)).toEqual(['200000000000000009']);
    expect(store.settings.qaChannels(OTHER_GUILD)).toEqual(['200000000000000005']);
  });

  it('orders snowflakes numerically, not as text', () => {
    const store = open(tempDir());
    store.settings.setQaChannel(GUILD, '1000000000000000000', true);
    store.settings.setQaChannel(GUILD, '900000000000000000', true);
    expect(store.settings.qaChannels(GUILD)).toEqual(['900000000000000000', '1000000000000000000']);
  });

  it('survives close and reopen', () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    store.settings.setQaChannel(GUILD, CHANNEL, true);
    store.settings.setQaChannel(OTHER_GUILD, '200000000000000002', true);
    store.close();
    const reopened = open(dataDir);
    expect(reopened.settings.qaChannels(GUILD)).toEqual([CHANNEL]);
    expect(reopened.settings.qaChannels(OTHER_GUILD)).toEqual(['200000000000000002']);
  });
});

describe('feedback', () => {
  it('keeps one vote per member and answer: recorded, unchanged, changed', () => {
    let clock = 1_000;
    const store = open(tempDir(), { now: () => clock });
    const row = () =>
      raw(store.file)
        .prepare(
          'SELECT guild_id, channel_id, question, sentences, vote, voted_at FROM feedback_votes',
        )
        .all();

    expect(store.feedback.vote(vote({ vote: 'up' }))).toBe('recorded');
    expect(store.feedback.totals(GUILD)).toEqual({ up: 1, down: 0, answers: 1 });
    clock = 2_000;
    expect(store.feedback.vote(vote({ vote: 'up' }))).toBe('unchanged');
    expect(row()).toEqual([
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
    expect(store.feedback.vote(vote({ vote: 'down' }))).toBe('changed');
    expect(store.feedback.totals(GUILD)).toEqual({ up: 0, down: 1, answers: 1 });
    expect(row()).toMatchObject([{ vote: 'down', voted_at: 3_000 }]);
    expect(store.feedback.vote(vote({ vote: 'up' }))).toBe('changed');
    expect(store.feedback.totals(GUILD)).toEqual({ up: 1, down: 0, answers: 1 });
  });

  it('counts each member, and each answer once', () => {
    const store = open(tempDir());
    store.feedback.vote(vote({ userId: ALICE, vote: 'up' }));
    store.feedback.vote(vote({ userId: BOB, vote: 'down' }));
    store.feedback.vote(vote({ userId: CAROL, vote: 'up' }));
    store.feedback.vote(vote({ messageId: '300000000000000002', userId: ALICE, vote: 'down' }));
    store.feedback.vote(vote({ guildId: OTHER_GUILD, messageId: '300000000000000003' }));
    expect(store.feedback.totals(GUILD)).toEqual({ up: 2, down: 2, answers: 2 });
    expect(store.feedback.totals(OTHER_GUILD)).toEqual({ up: 1, down: 0, answers: 1 });
    expect(store.feedback.totals('100000000000000009')).toEqual({ up: 0, down: 0, answers: 0 });
  });

  it('lists unhelpful questions by down votes, then fewest up votes, grouped by question', () => {
    const store = open(tempDir());
    let message = 0;
    const votes = (question: string, ups: number, downs: number, guildId = GUILD) => {
      // Spread over two answers to check that grouping is by question, not message.
      const messages = [`5000000000000000${++message}`, `5000000000000000${++message}`];
      for (let i = 0; i < ups + downs; i++) {
        store.feedback.vote(
          vote({
            guildId,
            question,
            messageId: messages[i % 2],
            userId: `40000000000000${1000 + i}`,
            vote: i < ups ? 'up' : 'down',
          }),
        );
      }
    };
    votes('Only praised?', 4, 0);
    votes('Mixed?', 3, 2);
    votes('Hated?', 0, 3);
    votes('Also two down, fewer up?', 1, 2);
    votes('One down?', 0, 1);
    votes('Other guild, worst of all?', 0, 9, OTHER_GUILD);

    expect(store.feedback.mostUnhelpful(GUILD)).toEqual([
      { question: 'Hated?', down: 3, up: 0 },
      { question: 'Also two down, fewer up?', down: 2, up: 1 },
      { question: 'Mixed?', down: 2, up: 3 },
      { question: 'One down?', down: 1, up: 0 },
    ]);
    expect(store.feedback.mostUnhelpful(GUILD, 2).map((q) => q.question)).toEqual([
      'Hated?',
      'Also two down, fewer up?',
    ]);
    expect(store.feedback.mostUnhelpful(GUILD, 0)).toEqual([]);
    expect(() => store.feedback.mostUnhelpful(GUILD, -1)).toThrow(RangeError);
    expect(store.feedback.mostUnhelpful(OTHER_GUILD)).toEqual([
      { question: 'Other guild, worst of all?', down: 9, up: 0 },
    ]);
  });

  it('returns at most five questions by default', () => {
    const store = open(tempDir());
    for (let i = 0; i < 7; i++) {
      store.feedback.vote(
        vote({ messageId: `30000000000000010${i}`, question: `Q${i}?`, vote: 'down' }),
      );
    }
    expect(store.feedback.mostUnhelpful(GUILD)).toHaveLength(5);
  });

  it('keeps votes across close and reopen', () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    store.feedback.vote(vote({ userId: ALICE, vote: 'down' }));
    store.feedback.vote(vote({ userId: BOB, vote: 'up' }));
    store.close();
    const reopened = open(dataDir);
    expect(reopened.feedback.totals(GUILD)).toEqual({ up: 1, down: 1, answers: 1 });
    expect(reopened.feedback.vote(vote({ userId: ALICE, vote: 'down' }))).toBe('unchanged');
    expect(reopened.feedback.mostUnhelpful(GUILD)).toEqual([
      { question: vote().question, down: 1, up: 1 },
    ]);
  });
});

describe('feedback.tally', () => {
  it('counts the current votes on one answer and whether a moderator cast one', () => {
    const store = open(tempDir());
    const v = (userId: string, vote: 'up' | 'down', moderator = false): VoteInput => ({
      messageId: MESSAGE,
      guildId: GUILD,
      channelId: CHANNEL,
      userId,
      question: 'q',
      sentences: ['s'],
      vote,
      moderator,
      firstKey: 'key1',
    });
    expect(store.feedback.tally(MESSAGE)).toEqual({
      up: 0,
      down: 0,
      moderatorUp: false,
      moderatorDown: false,
    });
    store.feedback.vote(v(ALICE, 'up'));
    store.feedback.vote(v(BOB, 'up'));
    store.feedback.vote(v(CAROL, 'down', true));
    expect(store.feedback.tally(MESSAGE)).toEqual({
      up: 2,
      down: 1,
      moderatorUp: false,
      moderatorDown: true,
    });
    store.feedback.vote(v(CAROL, 'up', true)); // a moderator changes their mind
    expect(store.feedback.tally(MESSAGE)).toMatchObject({ up: 3, down: 0, moderatorDown: false });
  });
});

describe('confirmations', () => {
  const input = (over: Partial<ConfirmationInput> = {}): ConfirmationInput => ({
    scope: GUILD,
    question: 'Who led the Russian delegation?',
    sentenceKey: 'key1',
    sentence: 'The Russian delegation was headed by Vladimir Medinsky.',
    verdict: 'right',
    how: 'pin',
    byUserId: ALICE,
    byName: 'alice',
    messageId: MESSAGE,
    ...over,
  });

  it('keeps one verdict per question and sentence: a second one replaces it', () => {
    const store = open(tempDir(), { now: () => 1_000 });
    const first = store.confirmations.confirm(input());
    expect(first).toEqual({ ok: true, id: expect.any(Number), created: true });
    // The same question, spelled differently, and the same sentence: replaced, not added.
    const again = store.confirmations.confirm(
      input({ question: 'who led the russian delegation', verdict: 'wrong', how: 'votes' }),
    );
    expect(again).toEqual({ ok: true, id: (first as { id: number }).id, created: false });
    expect(store.confirmations.list(GUILD)).toEqual([
      expect.objectContaining({
        question: 'who led the russian delegation',
        verdict: 'wrong',
        how: 'votes',
        sentence: 'The Russian delegation was headed by Vladimir Medinsky.',
        createdAt: 1_000,
      }),
    ]);
    // Another sentence for the same question is another confirmation.
    store.confirmations.confirm(input({ sentenceKey: 'key2', sentence: 'Medinsky led it.' }));
    expect(store.confirmations.list(GUILD)).toHaveLength(2);
  });

  it('belongs to one community: another server, or the local scope, sees none of it', () => {
    const store = open(tempDir());
    store.confirmations.confirm(input());
    expect(store.confirmations.list(OTHER_GUILD)).toEqual([]);
    expect(store.confirmations.list(LOCAL_SCOPE)).toEqual([]);
    const [mine] = store.confirmations.list(GUILD);
    expect(store.confirmations.forget(OTHER_GUILD, mine!.id)).toBe(false);
    expect(store.confirmations.list(GUILD)).toHaveLength(1);
  });

  it('moves to another sentence, finds the one made from a message, forgets', () => {
    const store = open(tempDir());
    const made = store.confirmations.confirm(input());
    const id = (made as { id: number }).id;
    expect(store.confirmations.fromMessage(GUILD, MESSAGE)?.id).toBe(id);
    expect(store.confirmations.changeSentence(GUILD, id, 'key3', 'Third sentence.')).toBe(true);
    expect(store.confirmations.get(GUILD, id)).toMatchObject({
      sentenceKey: 'key3',
      sentence: 'Third sentence.',
    });
    expect(store.confirmations.forget(GUILD, id)).toBe(true);
    expect(store.confirmations.forget(GUILD, id)).toBe(false);
    expect(store.confirmations.get(GUILD, id)).toBeUndefined();
  });

  it(`refuses more than ${MAX_CONFIRMATIONS} per community, and says so`, () => {
    const store = open(tempDir());
    for (let i = 0; i < MAX_CONFIRMATIONS; i++) {
      expect(store.confirmations.confirm(input({ question: `question ${i}` })).ok).toBe(true);
    }
    expect(store.confirmations.confirm(input({ question: 'one too many' }))).toEqual({
      ok: false,
      reason: 'full',
    });
    // Replacing an existing verdict is not growing: still allowed.
    expect(
      store.confirmations.confirm(input({ question: 'question 7', verdict: 'wrong' })).ok,
    ).toBe(true);
    expect(store.confirmations.confirm({ ...input(), scope: OTHER_GUILD }).ok).toBe(true);
  });

  it('changes its version on every write, by this connection or another', () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    const before = store.confirmations.version();
    store.confirmations.confirm(input());
    const afterOwn = store.confirmations.version();
    expect(afterOwn).not.toBe(before);
    const other = open(dataDir); // a shard, or the knowledge CLI
    other.confirmations.confirm(input({ question: 'another question' }));
    expect(store.confirmations.version()).not.toBe(afterOwn);
    expect(store.confirmations.list(GUILD)).toHaveLength(2);
  });

  it('survives close and reopen', () => {
    const dataDir = tempDir();
    open(dataDir).confirmations.confirm(input());
    expect(open(dataDir).confirmations.list(GUILD)).toEqual([
      expect.objectContaining({ question: 'Who led the Russian delegation?', how: 'pin' }),
    ]);
  });
});

describe('autoAnswers.claim', () => {
  it('is true the first time only, even after a restart', () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    expect(store.autoAnswers.claim(MESSAGE, GUILD)).toBe(true);
    expect(store.autoAnswers.claim(MESSAGE, GUILD)).toBe(false);
    expect(store.autoAnswers.claim('300000000000000002', GUILD)).toBe(true);
    store.close();
    const reopened = open(dataDir);
    expect(reopened.autoAnswers.claim(MESSAGE, GUILD)).toBe(false);
    expect(reopened.autoAnswers.claim('300000000000000002', OTHER_GUILD)).toBe(false);
    expect(reopened.autoAnswers.claim('300000000000000003', GUILD)).toBe(true);
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

  it('refuses a database whose pages are damaged, found by the integrity check', () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    for (let i = 0; i < 500; i++) {
      store.feedback.vote(vote({ messageId: `3000000000000${10000 + i}`, question: `Q${i}?` }));
    }
    store.close();
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
