/**
 * Past capacity, the bot sheds the least useful work first and nobody is left
 * without a response: an engine made slow on purpose (each answer and each
 * preview takes milliseconds of CPU) and a burst of interactions all at once.
 * Thresholds are scaled down so the burst stays inside Discord's window.
 */
import { InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Engine } from '../../src/engine/engine.ts';
import { createOverloadGuard, DEFAULT_OVERLOAD } from '../../src/discord/overload.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { autocomplete, chatInput, type RecordedRequest } from '../fixtures/fake-discord.ts';

/** Burns CPU for `ms`: the event loop can do nothing else meanwhile, as under real load. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const slow = (engine: Engine): Engine => ({
  ...engine,
  answer: (question, request) => {
    busyFor(15);
    return engine.answer(question, request);
  },
  suggest: (partial, limit, options) => {
    if (options?.previews !== false) busyFor(15); // previews are the expensive part
    return engine.suggest(partial, limit, options);
  },
});

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({
    wrapEngine: slow,
    logLevel: 'info',
    overload: {
      thinAfterMs: 100,
      emptyAfterMs: 300,
      deferAfterMs: 300,
      busyAfterMs: 600,
      calmAfterMs: 300,
    },
  });
});
afterAll(async () => {
  await t?.stop();
});

type Seen = 'answer' | 'deferred' | 'busy' | 'choices' | 'empty';

function seenIn(callback: RecordedRequest): Seen {
  const body = callback.body as {
    type: number;
    data?: { content?: string; flags?: number; choices?: unknown[] };
  };
  if (body.type === InteractionResponseType.ApplicationCommandAutocompleteResult) {
    return (body.data?.choices ?? []).length === 0 ? 'empty' : 'choices';
  }
  if (body.type === InteractionResponseType.DeferredChannelMessageWithSource) return 'deferred';
  if ((body.data?.flags ?? 0) & MessageFlags.Ephemeral && /^Busy/.test(body.data?.content ?? ''))
    return 'busy';
  return 'answer';
}

describe('the shedding ladder, by how long an interaction waited', () => {
  it('thins, then empties autocomplete; defers, then says busy to a reply; a skewed clock is no queue', () => {
    const clock = 10_000;
    const logs: { msg: string }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void logs.push(JSON.parse(line)) },
    );
    const guard = createOverloadGuard(logger, DEFAULT_OVERLOAD, () => clock);
    // The host clock runs 5 s ahead of Discord's: ages are measured against the shortest seen.
    const skew = 5_000;
    const waited = (ms: number) => clock - skew - ms;
    expect(guard.treat('reply', waited(0))).toBe('as-usual');
    expect([300, 1_200, 0].map((ms) => guard.treat('autocomplete', waited(ms)))).toEqual([
      'words-only',
      'empty',
      'as-usual',
    ]);
    expect([1_200, 2_100, 0].map((ms) => guard.treat('reply', waited(ms)))).toEqual([
      'defer',
      'busy',
      'as-usual',
    ]);
    expect(guard.summary().shed).toEqual({ 'words-only': 1, empty: 1, defer: 1, busy: 1 });
    expect(logs.filter((l) => l.msg.startsWith('Overloaded'))).toHaveLength(1);
    guard.stop();
  });
});

describe('past capacity', () => {
  it('empties autocomplete first, then defers /ask and answers it later; everyone gets a response in time', async () => {
    const questions = [
      'who chaired the second meeting',
      'how many drones were smuggled into russia',
    ];
    const burst = Array.from(
      { length: 120 },
      (_, i) =>
        i % 2 === 0
          ? autocomplete(
              'ask',
              { question: `${questions[i % 2]!.slice(0, 10 + (i % 9))} ` },
              'question',
            )
          : chatInput('ask', { question: `${questions[i % 2]} ${i}` }), // distinct: nothing cached
    );
    const sentAt = Date.now();
    const callbacks = await Promise.all(
      burst.map((interaction) => t.fake.sendInteraction(interaction, { timeoutMs: 10_000 })),
    );

    // Everyone got a first response inside Discord's window.
    for (const callback of callbacks) expect(callback.at - sentAt).toBeLessThan(3_000);
    const seen = callbacks.map(seenIn);
    const count = (what: Seen) => seen.filter((s) => s === what).length;
    expect(count('empty'), 'autocomplete emptied').toBeGreaterThan(0);
    // Deferred or, having waited longer on a busier machine, told "busy": shed either way.
    expect(count('deferred') + count('busy'), '/ask shed').toBeGreaterThan(0);

    // The order of shedding: the first autocomplete shed comes before the first /ask shed.
    const byTime = callbacks
      .map((c, i) => ({ at: c.at, seen: seen[i]! }))
      .sort((a, b) => a.at - b.at);
    const firstEmpty = byTime.findIndex((c) => c.seen === 'empty');
    const firstAskShed = byTime.findIndex((c) => c.seen === 'deferred' || c.seen === 'busy');
    expect(firstEmpty).toBeGreaterThanOrEqual(0);
    expect(firstEmpty).toBeLessThan(firstAskShed);

    // Every deferred /ask is answered afterwards (the edit of its original response).
    const deferred = callbacks.filter((_, i) => seen[i] === 'deferred');
    for (const callback of deferred) {
      const token = t.fake.interactions.get(callback.params.interactionId ?? '')?.token;
      const edit = await t.fake.waitForRequest(
        (r) => r.method === 'PATCH' && r.route.includes(`/${token}/messages/@original`),
        10_000,
      );
      expect(
        (edit.body as { embeds?: unknown[]; content?: string }).embeds ?? edit.body,
      ).toBeTruthy();
    }

    // One log line when an episode starts and one when it ends, none per interaction. How many
    // episodes a burst makes depends on the machine's scheduler, so only their pairing and
    // their totals are asserted.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const started = t.logs.filter((l) => l.msg.startsWith('Overloaded'));
    const ended = t.logs.filter((l) => l.msg === 'Load back to normal') as unknown as {
      shed: { empty?: number };
    }[];
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(started.length).toBeLessThan(10);
    expect(ended).toHaveLength(started.length);
    expect(ended.reduce((sum, episode) => sum + (episode.shed.empty ?? 0), 0)).toBe(count('empty'));

    // Once the burst is over, service is as usual again.
    const after = await t.fake.sendInteraction(
      chatInput('ask', { question: 'who chaired the second meeting after' }),
    );
    expect(seenIn(after)).toBe('answer');
  }, 30_000);
});
