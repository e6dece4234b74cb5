/**
 * Parity of the two transports: every command, button, select and
 * context-menu action is sent once through the gateway (the real discord.js
 * client) and once to the HTTP interactions endpoint, with the same inputs,
 * in four modes — as usual, every command slow (deferred), and past capacity
 * (overload: deferred, busy). What the member gets must be identical: the
 * first response, every edit, deletion and follow-up (content, embeds, flags,
 * components, allowed mentions), the messages finally visible and who sees
 * them. The fake Discord checks every body against Discord's OpenAPI
 * contract (a violation fails the test).
 *
 * Overload is driven directly (a guard that returns the mode's treatment),
 * never by loading the machine, so the suite holds on a busy machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationCommandOptionType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createRest } from '../../src/discord/application.ts';
import {
  startHttpInteractions,
  type HttpInteractions,
} from '../../src/discord/http-interactions.ts';
import type { OverloadGuard, Treatment } from '../../src/discord/overload.ts';
import { createLibrary } from '../../src/engine/library.ts';
import { botContext } from '../../src/runtime/context.ts';
import type { CommandModule } from '../../src/runtime/module.ts';
import { createRegistry, loadRegistry } from '../../src/runtime/registry.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import {
  autocomplete,
  button,
  chatInput,
  messageContext,
  startFakeDiscord,
  stringSelect,
  type FakeDiscord,
  type JsonObject,
  type PartialInteraction,
} from '../fixtures/fake-discord.ts';
import { startTestBot, type LogLine, type TestBot } from '../helpers/bot.ts';
import { MEMBER, MODERATOR } from '../helpers/discord.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';

type Mode = 'as usual' | 'slow' | 'overload: defer' | 'overload: busy';
const MODES: readonly Mode[] = ['as usual', 'slow', 'overload: defer', 'overload: busy'];

/** The mode the current case runs in: read by the guard and the slow flag. */
let mode: Mode = 'as usual';

/** An overload guard whose treatment is the mode's, whatever the clock says. */
const guard: OverloadGuard = {
  treat: (kind): Treatment => {
    if (mode === 'overload: defer') return kind === 'reply' ? 'defer' : 'words-only';
    if (mode === 'overload: busy') return kind === 'reply' ? 'busy' : 'empty';
    return 'as-usual';
  },
  summary: () => ({
    interactions: 0,
    shed: { 'words-only': 0, empty: 0, defer: 0, busy: 0, drop: 0 },
    episodes: 0,
    eventLoopDelayMs: { p50: 0, p99: 0, max: 0 },
    heapMB: 0,
  }),
  stop: () => undefined,
};

/** Every command, slow in the "slow" mode. */
function slowWhenAsked(command: CommandModule): CommandModule {
  return Object.defineProperty({ ...command }, 'slow', {
    get: () => mode === 'slow' || command.slow === true,
  });
}

let fake: FakeDiscord;
let gateway: TestBot;
let http: HttpInteractions;
let httpStore: Store;
let httpDataDir: string;
const httpLogs: LogLine[] = [];

beforeAll(async () => {
  fake = await startFakeDiscord();
  const registry = createRegistry((await loadRegistry()).all.map(slowWhenAsked));
  gateway = await startTestBot({ fake, registry, overload: guard });
  httpDataDir = mkdtempSync(join(tmpdir(), 'talks-bot-parity-'));
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void httpLogs.push(JSON.parse(line)) },
  );
  const config = loadConfig({
    DATA_DIR: httpDataDir,
    ASK_COOLDOWN_SECONDS: '0',
    DISCORD_PUBLIC_KEY: fake.publicKeyHex,
  });
  httpStore = await openStore(config);
  const library = createLibrary(KNOWLEDGE_DIR, await openTestEngine(KNOWLEDGE_DIR));
  http = await startHttpInteractions({
    port: 0,
    host: '127.0.0.1',
    publicKey: fake.publicKeyHex,
    registry,
    context: botContext({ config, logger, library, store: httpStore, registry }),
    logger,
    rest: createRest(fake.apiUrl, fake.token),
    overload: guard,
  });
}, 60_000);

afterAll(async () => {
  await http?.close();
  await httpStore?.close();
  await gateway?.stop();
  await fake?.close();
  rmSync(httpDataDir, { recursive: true, force: true });
});

/**
 * Defaults discord.js writes out and a raw body leaves implicit — the same
 * message to Discord: no text-to-speech, no nonce check, no flags.
 */
const IMPLICIT_DEFAULTS: Record<string, unknown> = { tts: false, enforce_nonce: false, flags: 0 };

/** Snowflakes and interaction tokens differ by transport and run; implicit defaults are dropped. */
function normalized(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value ?? null, (key, field: unknown) =>
      key in IMPLICIT_DEFAULTS && IMPLICIT_DEFAULTS[key] === field ? undefined : field,
    )
      .replace(/itok\.[\w-]+/g, '<token>')
      .replace(/\d{17,20}/g, '<id>'),
    (_key, field: unknown) =>
      field !== null &&
      typeof field === 'object' &&
      !Array.isArray(field) &&
      Object.keys(field).length === 0
        ? undefined
        : field,
  );
}

/** Waits for the runtime's last word on one interaction (it logs once delivery is complete). */
async function settled(logs: LogLine[], interactionId: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (
    !logs.some(
      (line) =>
        line.interactionId === interactionId &&
        (line.msg === 'Interaction answered' || line.msg === 'Interaction failed'),
    )
  ) {
    if (Date.now() > deadline) throw new Error(`interaction ${interactionId} never settled`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Outcome {
  /** The first response, then every REST call the interaction caused, in order. */
  readonly calls: unknown[];
  /** The messages the interaction left, as members see them. */
  readonly visible: unknown[];
}

function visibleMessages(interactionId: string): unknown[] {
  return [...fake.messages.values()]
    .filter((m) => (m.interaction_metadata as JsonObject | undefined)?.id === interactionId)
    .map((m) =>
      normalized({
        content: m.content,
        embeds: m.embeds,
        components: m.components,
        private: ((Number(m.flags) || 0) & MessageFlags.Ephemeral) !== 0,
        loading: ((Number(m.flags) || 0) & MessageFlags.Loading) !== 0,
      }),
    );
}

function restCalls(from: number, skipCallbackOf?: string): unknown[] {
  return fake.requests
    .slice(from)
    .filter((r) => !(skipCallbackOf && r.route.startsWith(`/interactions/${skipCallbackOf}/`)))
    .map((r) => normalized({ method: r.method, route: r.route, body: r.body }));
}

async function overGateway(interaction: PartialInteraction): Promise<Outcome> {
  const from = fake.requests.length;
  const callback = await fake.sendInteraction(interaction);
  const id = callback.params.interactionId ?? '';
  await settled(gateway.logs, id);
  return {
    calls: [normalized(callback.body), ...restCalls(from, id)],
    visible: visibleMessages(id),
  };
}

async function overHttp(interaction: PartialInteraction): Promise<Outcome> {
  const from = fake.requests.length;
  const { body, interactionId } = await fake.postInteraction(http.url, interaction);
  await settled(httpLogs, interactionId);
  return { calls: [normalized(body), ...restCalls(from)], visible: visibleMessages(interactionId) };
}

const guild = () => fake.guilds[0]!;
const channelId = () => guild().channels[0]!.id;
const member = { user: MEMBER, permissions: PermissionFlagsBits.SendMessages };
const moderator = {
  user: MODERATOR,
  permissions: PermissionFlagsBits.ManageMessages | PermissionFlagsBits.PinMessages,
};
const someoneElse = {
  user: { ...MEMBER, id: '190000000000000999', username: 'other' },
  permissions: PermissionFlagsBits.SendMessages,
};
const manager = { user: MODERATOR, permissions: PermissionFlagsBits.ManageGuild };
const sub = (name: string, options: JsonObject[] = []) => [
  { name, type: ApplicationCommandOptionType.Subcommand, options },
];
const text = (name: string, value: string) => ({
  name,
  type: ApplicationCommandOptionType.String,
  value,
});

/** A message the bot posted with these buttons (what a button press or "Pin answer" acts on). */
const botMessage = (components: unknown): JsonObject => ({
  author: fake.botUser,
  components: components as JsonObject[],
  content: '',
});

/** Everything a member or moderator can do, in an order that makes each meaningful. */
function cases(
  answerComponents: unknown,
  notFoundComponents: unknown,
): [string, PartialInteraction][] {
  const pressed = (customId: string, who: object = member) =>
    button(customId, botMessage(answerComponents), who);
  const idOf = (components: unknown, start: string) =>
    ((components as { components: { custom_id: string }[] }[]) ?? [])
      .flatMap((row) => row.components)
      .find((c) => c.custom_id.startsWith(start))?.custom_id ?? `${start}missing`;
  return [
    ['/ask confident', chatInput('ask', { question: 'when was the second round held' }, member)],
    ['/ask uncertain', chatInput('ask', { question: 'what did the delegations eat' }, member)],
    ['/ask not found', chatInput('ask', { question: 'who won the 1998 world cup final' }, member)],
    [
      '/ask hide:true',
      chatInput('ask', { question: 'who led the russian delegation', hide: true }, member),
    ],
    [
      '/ask mention',
      chatInput(
        'ask',
        [
          text('question', 'how many prisoners were exchanged'),
          { name: 'mention', type: ApplicationCommandOptionType.User, value: MODERATOR.id },
        ],
        member,
      ),
    ],
    ['autocomplete /ask', autocomplete('ask', { question: 'who chai' }, 'question', member)],
    ['/help', chatInput('help', {}, member)],
    ['/sources', chatInput('sources', {}, member)],
    ['/source', chatInput('source', { article: 'no-such-article' }, member)],
    ['/timeline', chatInput('timeline', { from: '2025-05' }, member)],
    ['button Show context', pressed(idOf(answerComponents, 'ask:context:'))],
    ['button Sources', pressed(idOf(answerComponents, 'ask:sources:'))],
    ['button 👍', pressed(idOf(answerComponents, 'ask:up:'))],
    ['button 👎 (moderator)', pressed(idOf(answerComponents, 'ask:down:'), moderator)],
    ['button Pin (member, refused)', pressed(idOf(answerComponents, 'ask:pin:'))],
    ['button Pin (moderator)', pressed(idOf(answerComponents, 'ask:pin:'), moderator)],
    [
      '"Pin answer" on an answer',
      messageContext('Pin answer', botMessage(answerComponents), moderator),
    ],
    [
      'button related question',
      button(idOf(notFoundComponents, 'ask:suggest:'), botMessage(notFoundComponents), member),
    ],
    [
      '"Answer with sources"',
      messageContext('Answer with sources', { content: 'who chaired the second meeting?' }, member),
    ],
    [
      '/answers teach (member, refused)',
      chatInput('answers', sub('teach', [text('question', 'x'), text('answer', 'y')]), member),
    ],
    [
      '/answers teach',
      chatInput(
        'answers',
        sub('teach', [text('question', 'who hosted the talks'), text('answer', 'Istanbul')]),
        moderator,
      ),
    ],
    ['/answers learned', chatInput('answers', sub('learned'), moderator)],
    ['/answers gaps', chatInput('answers', sub('gaps'), moderator)],
    [
      'autocomplete /answers teach',
      autocomplete('answers', { question: 'who' }, 'question', moderator),
    ],
    ['button Forget (gone)', button('answers:forget:999999', botMessage([]), moderator)],
    ['/feedback', chatInput('feedback', {}, moderator)],
    ['/knowledge list', chatInput('knowledge', sub('list'), manager)],
    ['/knowledge add (nothing given)', chatInput('knowledge', sub('add'), manager)],
    [
      '/knowledge remove (unknown)',
      chatInput('knowledge', sub('remove', [text('article', 'no-such-article')]), manager),
    ],
    ['button Add (expired preview)', button('knowledge:add:expired', botMessage([]), manager)],
    ['/knowledge feeds (none yet)', chatInput('knowledge', sub('feeds'), manager)],
    [
      '/knowledge follow (not a web address)',
      chatInput('knowledge', sub('follow', [text('feed', 'not a link')]), manager),
    ],
    ['button Unfollow (gone)', button('knowledge:unfollow:999999', botMessage([]), manager)],
    [
      '/settings news-channel (member, refused)',
      chatInput(
        'settings',
        sub('news-channel', [
          { name: 'channel', type: ApplicationCommandOptionType.Channel, value: channelId() },
        ]),
        member,
      ),
    ],
    [
      '/settings (member, refused)',
      chatInput(
        'settings',
        sub('qa-channel', [
          { name: 'channel', type: ApplicationCommandOptionType.Channel, value: channelId() },
        ]),
        member,
      ),
    ],
    [
      'button 🗑 Delete (member, refused)',
      pressed(idOf(answerComponents, 'ask:delete:'), someoneElse),
    ],
    ['button 🗑 Delete (asker)', pressed(idOf(answerComponents, 'ask:delete:'))],
    ['an expired button', button('gone:away:1', botMessage([]), member)],
    ['a select menu', stringSelect('ask:select', ['a'], botMessage([]), member)],
    ['an unknown command', chatInput('no-such-command', {}, member)],
  ];
}

/** The components of a transport-neutral /ask answer, to press its buttons. */
async function componentsOf(question: string): Promise<unknown> {
  mode = 'as usual';
  // Asked through both, so both servers' stores hold the same (gaps, questions).
  await overGateway(chatInput('ask', { question }, member));
  const outcome = await overHttp(chatInput('ask', { question }, member));
  const message = (outcome.visible as { components?: unknown }[])[0];
  return JSON.parse(JSON.stringify(message?.components ?? []).replaceAll('<id>', MEMBER.id));
}

describe.each(MODES)('gateway and HTTP give members the same thing (%s)', (current) => {
  it('for every command, button, select and context-menu action', async () => {
    const answer = await componentsOf('when was the second round held');
    const notFound = await componentsOf('who won the 1998 world cup final');
    mode = current;
    for (const [name, interaction] of cases(answer, notFound)) {
      const viaGateway = await overGateway(structuredClone(interaction));
      const viaHttp = await overHttp(structuredClone(interaction));
      expect(viaHttp, `${name} (${current})`).toEqual(viaGateway);
      // Nothing is left "thinking…".
      expect(
        viaGateway.visible.some((m) => (m as { loading: boolean }).loading),
        name,
      ).toBe(false);
    }
  }, 120_000);
});

describe('who sees a deferred reply (HTTP)', () => {
  it('under overload, a deferred "not found" ends private and nothing public is left', async () => {
    mode = 'overload: defer';
    const outcome = await overHttp(
      chatInput('ask', { question: 'who won the 1998 world cup final' }, member),
    );
    expect(outcome.visible).toEqual([expect.objectContaining({ private: true })]);
  });

  it("a slow command's public answer is public", async () => {
    mode = 'slow';
    const outcome = await overHttp(
      chatInput('ask', { question: 'when was the second round held' }, member),
    );
    expect(outcome.visible).toEqual([expect.objectContaining({ private: false })]);
  });
});

describe('the question a pin confirms is the one asked, exactly', () => {
  it.each(['1. ', '- ', '> ', '# '])(
    'a question starting "%s" round-trips through the answer and its Pin button',
    async (marker) => {
      mode = 'as usual';
      const question = `${marker}who led the russian delegation at the talks in Istanbul?`;
      for (const [send, store] of [
        [overGateway, gateway.store],
        [overHttp, httpStore],
      ] as const) {
        const answer = await send(chatInput('ask', { question }, member));
        const components = JSON.parse(
          JSON.stringify((answer.visible[0] as { components: unknown }).components).replaceAll(
            '<id>',
            MEMBER.id,
          ),
        ) as { components: { custom_id: string }[] }[];
        const pin = components
          .flatMap((row) => row.components)
          .find((c) => c.custom_id.startsWith('ask:pin:'));
        await send(button(pin!.custom_id, botMessage(components), moderator));
        const confirmed = await store.confirmations.list(guild().id);
        expect(confirmed.at(-1)?.question).toBe(question);
      }
    },
  );
});
