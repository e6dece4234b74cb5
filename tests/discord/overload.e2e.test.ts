/**
 * Past capacity, the bot sheds the least useful work first and nobody is left
 * without a response. How long an interaction waited is driven directly —
 * through the creation time Discord stamps into its id, or an injected clock —
 * never by loading the machine, so the tests hold on a busy machine too.
 */
import { InteractionResponseType, MessageFlags, SnowflakeUtil } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createOverloadGuard, DEFAULT_OVERLOAD } from '../../src/discord/overload.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { autocomplete, chatInput, type RecordedRequest } from '../fixtures/fake-discord.ts';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({
    logLevel: 'info',
    // Seconds apart, so a send delayed by a busy machine still lands on the same step.
    overload: {
      thinAfterMs: 1_000,
      emptyAfterMs: 3_000,
      deferAfterMs: 3_000,
      busyAfterMs: 6_000,
      dropAfterMs: 10_000,
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
    expect([1_200, 2_100, 2_600, 0].map((ms) => guard.treat('reply', waited(ms)))).toEqual([
      'defer',
      'busy',
      'drop',
      'as-usual',
    ]);
    expect(guard.treat('autocomplete', waited(2_600))).toBe('drop');
    expect(guard.summary().shed).toEqual({
      'words-only': 1,
      empty: 1,
      defer: 1,
      busy: 1,
      drop: 2,
    });
    expect(logs.filter((l) => l.msg.startsWith('Overloaded'))).toHaveLength(1);
    guard.stop();
  });
});

/**
 * An interaction that waited `ms` before the bot saw it: Discord stamps the
 * creation time into the id, and the bot measures the wait from it.
 */
const waitedId = (ms: number) => SnowflakeUtil.generate({ timestamp: Date.now() - ms }).toString();

describe('past capacity', () => {
  it('thins and empties autocomplete, defers /ask and answers it later, says busy when too late; one log line per episode', async () => {
    const ask = (question: string, waited: number) =>
      t.fake.sendInteraction(chatInput('ask', { question }, { id: waitedId(waited) }));
    const typing = (text: string, waited: number) =>
      t.fake.sendInteraction(
        autocomplete('ask', { question: text }, 'question', { id: waitedId(waited) }),
      );
    // A fresh interaction first: the bot learns the clock difference to Discord from it.
    expect(seenIn(await ask('who chaired the second meeting', 0))).toBe('answer');

    // How long each waited decides its treatment (thresholds scaled down in beforeAll).
    expect(seenIn(await typing('who chai', 2_000))).toBe('choices'); // words only, no previews
    expect(seenIn(await typing('who chai', 4_500))).toBe('empty');
    const deferred = await ask('how many drones were smuggled into russia', 4_500);
    expect(seenIn(deferred)).toBe('deferred');
    expect(seenIn(await ask('who chaired the second meeting again', 9_000))).toBe('busy');
    // Too old for any response to reach Discord in time: nothing is sent, no work is done.
    await expect(
      t.fake.sendInteraction(
        chatInput(
          'ask',
          { question: 'who chaired the second meeting, late' },
          { id: waitedId(12_000) },
        ),
        { timeoutMs: 1_500 },
      ),
    ).rejects.toThrow();

    // The deferred /ask is answered afterwards, publicly, by an edit of its "thinking…".
    const token = t.fake.interactions.get(deferred.params.interactionId ?? '')?.token;
    const edit = await t.fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.route.includes(`/${token}/messages/@original`),
      10_000,
    );
    expect((edit.body as { embeds?: { description?: string }[] }).embeds?.[0]?.description).toMatch(
      /drones/,
    );

    // Episodes: one line when one starts, one when it ends, none per interaction; how many
    // episodes the sends above made depends on the scheduler, so only pairing and totals count.
    const ended = () =>
      t.logs.filter((l) => l.msg === 'Load back to normal') as unknown as {
        shed: Record<string, number>;
      }[];
    const started = () => t.logs.filter((l) => l.msg.startsWith('Overloaded'));
    const deadline = Date.now() + 10_000;
    while (ended().length < started().length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(started().length).toBeGreaterThanOrEqual(1);
    expect(ended()).toHaveLength(started().length);
    const total = (kind: string) => ended().reduce((sum, e) => sum + (e.shed[kind] ?? 0), 0);
    expect([
      total('words-only'),
      total('empty'),
      total('defer'),
      total('busy'),
      total('drop'),
    ]).toEqual([1, 1, 1, 1, 1]);

    // Once it is over, service is as usual again.
    expect(seenIn(await ask('who chaired the second meeting after', 0))).toBe('answer');
  }, 30_000);
});
