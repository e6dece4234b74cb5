/**
 * Discord's HTTP interactions endpoint, end to end: the fake Discord signs
 * each request with its own Ed25519 key pair and POSTs it; the endpoint
 * answers with the initial response (checked against Discord's contract),
 * and deferred answers arrive over REST as edits. Unsigned, wrongly signed,
 * replayed and oversized requests are refused and run nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botContext } from '../../src/runtime/context.ts';
import { loadRegistry } from '../../src/runtime/registry.ts';
import { loadConfig } from '../../src/config.ts';
import { createRest } from '../../src/discord/application.ts';
import {
  MAX_BODY_BYTES,
  startHttpInteractions,
  type HttpInteractions,
} from '../../src/discord/http-interactions.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { createLibrary } from '../../src/engine/library.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import {
  autocomplete,
  button,
  chatInput,
  startFakeDiscord,
  type FakeDiscord,
  type PartialInteraction,
} from '../fixtures/fake-discord.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';

let fake: FakeDiscord;
let endpoint: HttpInteractions;
let store: Store;
let dataDir: string;
let answered = 0;

beforeAll(async () => {
  fake = await startFakeDiscord();
  dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-http-'));
  const engine = await openTestEngine(KNOWLEDGE_DIR);
  // Counts answers, to show a refused request ran nothing.
  const counting: Engine = {
    ...engine,
    answer: (question, request) => {
      answered += 1;
      return engine.answer(question, request);
    },
  };
  const logger = pino({ level: 'silent' });
  const config = loadConfig({
    DATA_DIR: dataDir,
    ASK_COOLDOWN_SECONDS: '0',
    INTERACTIONS_PORT: '0',
    DISCORD_PUBLIC_KEY: fake.publicKeyHex,
  });
  store = await openStore(config);
  const registry = await loadRegistry();
  const library = createLibrary(KNOWLEDGE_DIR, counting);
  endpoint = await startHttpInteractions({
    port: 0,
    host: '127.0.0.1',
    publicKey: fake.publicKeyHex,
    registry,
    context: botContext({ config, logger, library, store, registry }),
    logger,
    rest: createRest(fake.apiUrl, fake.token),
  });
});
afterAll(async () => {
  await endpoint?.close();
  await store?.close();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (
  interaction: PartialInteraction,
  options?: Parameters<FakeDiscord['postInteraction']>[2],
) => fake.postInteraction(endpoint.url, interaction, options);

describe('HTTP interactions', () => {
  it('answers a PING with a PONG', async () => {
    const { status, body } = await post({ type: InteractionType.Ping, data: {} });
    expect(status).toBe(200);
    expect(body).toEqual({ type: InteractionResponseType.Pong });
  });

  it('answers a signed /ask in the HTTP response, within Discord’s contract', async () => {
    const { status, body } = await post(
      chatInput('ask', { question: 'how many drones were smuggled into russia' }),
    );
    expect(status).toBe(200);
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const data = body.data as { embeds: { description: string }[]; flags?: number };
    expect(data.embeds[0]?.description).toMatch(/117(?:\*\*)? drones/);
    expect(data.flags ?? 0).toBe(0);
    expect(fake.contractViolations).toEqual([]);
  });

  it('completes while typing, and presses a button of an answer it posted', async () => {
    const choices = await post(autocomplete('ask', { question: 'prisoner exch' }, 'question'));
    expect(choices.body.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect((choices.body.data as { choices: unknown[] }).choices.length).toBeGreaterThan(1);

    const asked = await post(chatInput('ask', { question: 'who chaired the second meeting' }));
    const message = fake.messages.get(
      fake.interactions.get(asked.interactionId)!.originalMessageId!,
    )!;
    const rows = message.components as { components: { label: string; custom_id: string }[] }[];
    const sources = rows.flatMap((r) => r.components).find((c) => c.label === 'Sources')!;
    const pressed = await post(button(sources.custom_id, message));
    expect(pressed.body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect((pressed.body.data as { flags: number }).flags).toBe(MessageFlags.Ephemeral);
  });

  it('defers a slow command and sends the answer as an edit over REST', async () => {
    const { body, interactionId } = await post(
      chatInput('knowledge', [{ name: 'list', type: ApplicationCommandOptionType.Subcommand }], {
        permissions: PermissionFlagsBits.ManageGuild,
      }),
    );
    expect(body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    const token = fake.interactions.get(interactionId)!.token;
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.route.includes(`/${token}/messages/@original`),
    );
    expect((edit.body as { content: string }).content).toMatch(/articles/);
  });

  it.each([
    ['no signature', { signature: 'none' as const }],
    ['a wrong signature', { signature: 'wrong' as const }],
    ['a replayed old timestamp', { timestamp: Math.floor(Date.now() / 1000) - 600 }],
  ])('refuses %s with 401 and runs nothing', async (_, options) => {
    const before = answered;
    const { status } = await post(
      chatInput('ask', { question: 'who led the russian delegation' }),
      options,
    );
    expect(status).toBe(401);
    expect(answered).toBe(before);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const before = answered;
    const { status } = await post(chatInput('ask', { question: 'x' }), {
      body: JSON.stringify({ type: 2, padding: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    expect(status).toBe(413);
    expect(answered).toBe(before);
  });
});
