import { once } from 'node:events';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  ChannelType,
  Client,
  Events,
  GatewayCloseCodes,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
  ModalBuilder,
  ActionRowBuilder,
  TextInputBuilder,
  TextInputStyle,
  type AnyThreadChannel,
  type ClientOptions,
  type Interaction,
  type Message,
} from 'discord.js';
import {
  autocomplete,
  button,
  chatInput,
  messageContext,
  modalSubmit,
  rateLimited,
  shardOf,
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
  type RecordedRequest,
} from '../fixtures/fake-discord.ts';

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

const cleanups: Array<() => Promise<void>> = [];
const timings = { loginToReadyMs: [] as number[], interactionToCallbackMs: [] as number[] };

afterEach(async () => {
  // Client first: destroying the fake first would make the client start reconnecting.
  while (cleanups.length > 0) await cleanups.pop()?.();
});

afterAll(() => {
  const summary = (values: number[]): string =>
    values.length === 0
      ? 'n/a'
      : `n=${values.length} min=${Math.min(...values)} median=${[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]} max=${Math.max(...values)} ms`;
  console.log(`[timings] login→ready: ${summary(timings.loginToReadyMs)}`);
  console.log(`[timings] interaction→callback: ${summary(timings.interactionToCallbackMs)}`);
});

interface Harness {
  fake: FakeDiscord;
  client: Client;
  /** Errors thrown inside interaction handlers (otherwise they'd be unhandled rejections). */
  handlerErrors: unknown[];
  onInteraction(handler: (interaction: Interaction) => Promise<void>): void;
}

async function setup(
  fakeOptions: FakeDiscordOptions = {},
  clientOptions: Partial<ClientOptions> = {},
): Promise<Harness> {
  const fake = await startFakeDiscord(fakeOptions);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // retries: 0 + short timeout: a wrong or missing route fails the test fast instead of hanging.
    rest: { api: fake.apiUrl, retries: 0, timeout: 2000 },
    ...clientOptions,
  });
  cleanups.push(async () => {
    await client.destroy();
    await fake.close();
  });
  const handlerErrors: unknown[] = [];
  const onInteraction = (handler: (interaction: Interaction) => Promise<void>): void => {
    client.on(Events.InteractionCreate, (interaction) => {
      handler(interaction).catch((error: unknown) => handlerErrors.push(error));
    });
  };
  return { fake, client, handlerErrors, onInteraction };
}

async function loginAndWaitReady(client: Client, token: string): Promise<number> {
  const started = performance.now();
  // login() resolves on READY; the client's 'ready' additionally waits for every GUILD_CREATE.
  const ready = once(client, Events.ClientReady);
  await client.login(token);
  await ready;
  const elapsed = Math.round(performance.now() - started);
  timings.loginToReadyMs.push(elapsed);
  return elapsed;
}

async function startReady(
  fakeOptions: FakeDiscordOptions = {},
  clientOptions: Partial<ClientOptions> = {},
): Promise<Harness> {
  const harness = await setup(fakeOptions, clientOptions);
  await loginAndWaitReady(harness.client, harness.fake.token);
  return harness;
}

async function timed(send: Promise<RecordedRequest>): Promise<RecordedRequest> {
  const started = performance.now();
  const callback = await send;
  timings.interactionToCallbackMs.push(Math.round(performance.now() - started));
  return callback;
}

function describeUnmatched(fake: FakeDiscord): string[] {
  return fake.unmatched.map((r) => `${r.method} ${r.path}`);
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe('fake discord with the real discord.js client', () => {
  it('logs in and becomes ready', async () => {
    const { fake, client } = await setup();
    await loginAndWaitReady(client, fake.token);

    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(client.guilds.cache.map((g) => g.id)).toEqual(fake.guilds.map((g) => g.id));
    // Guild channels come from GUILD_CREATE, so interaction.channel resolves from cache.
    expect(client.channels.cache.has(fake.guilds[0]?.channels[0]?.id ?? '')).toBe(true);
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]?.shard).toEqual([0, 1]);
    expect(fake.identifies[0]?.payload.intents).toBe(GatewayIntentBits.Guilds);
    expect(fake.requests.map((r) => `${r.method} ${r.route}`)).toContain('GET /gateway/bot');
    expect(describeUnmatched(fake)).toEqual([]);
  });

  it('rejects a bad token at REST (401 on /gateway/bot, like Discord)', async () => {
    const { client } = await setup();
    await expect(client.login('not-the-token')).rejects.toThrow(/invalid token/i);
  });

  it('rejects a bad token at the gateway (close 4004) when REST auth is not checked', async () => {
    const { fake, client } = await setup({ checkRestAuth: false });
    await expect(client.login('not-the-token')).rejects.toThrow(
      /invalid token|authentication failed/i,
    );
    expect(fake.identifies.map((i) => i.accepted)).toEqual([false]);
    // login() rejects as soon as the client sees the close frame; the server logs the close a moment later.
    await fake.waitForGatewayEvent(
      (e) => e.type === 'close' && e.code === GatewayCloseCodes.AuthenticationFailed,
    );
  });

  it('captures an ephemeral reply to a chat-input command (callback type 4, flags 64)', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    const seen: Array<{ word: string | null; user: string; channel: string | undefined }> = [];
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen.push({
        word: interaction.options.getString('word'),
        user: interaction.user.username,
        channel: interaction.channel?.id,
      });
      await interaction.reply({ content: 'x', flags: MessageFlags.Ephemeral });
    });

    const callback = await timed(fake.sendInteraction(chatInput('ping', { word: 'hi' })));

    expect(callback.method).toBe('POST');
    expect(callback.body).toEqual({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: expect.objectContaining({ content: 'x', flags: MessageFlags.Ephemeral }),
    });
    expect(callback.query).toEqual({ with_response: 'false' });
    expect(callback.status).toBe(204);
    expect(callback.headers.authorization).toBeUndefined(); // callbacks are sent with auth: false
    expect(seen).toEqual([
      { word: 'hi', user: 'tester', channel: fake.guilds[0]?.channels[0]?.id },
    ]);
    expect(handlerErrors).toEqual([]);
    expect(describeUnmatched(fake)).toEqual([]);
  });

  it('returns the created message for reply({ withResponse: true })', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    const created: Array<string | undefined> = [];
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const response = await interaction.reply({ content: 'with body', withResponse: true });
      created.push(response.resource?.message?.content);
    });

    const callback = await fake.sendInteraction(chatInput('ping'));

    expect(callback.query).toEqual({ with_response: 'true' });
    expect(callback.status).toBe(200);
    await expect.poll(() => created).toEqual(['with body']);
    expect(handlerErrors).toEqual([]);
  });

  it('defers then edits the original reply (type 5, then PATCH @original)', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      const message = await interaction.editReply({ content: 'done' });
      await interaction.followUp({ content: 'and one more', flags: MessageFlags.Ephemeral });
      if (message.content !== 'done') throw new Error(`editReply returned ${message.content}`);
    });

    const callback = await timed(fake.sendInteraction(chatInput('slow')));
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
    });

    const token = callback.params.token;
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.params.token === token);
    expect(edit.route).toBe(`/webhooks/${fake.applicationId}/${token}/messages/@original`);
    expect(edit.rawUrl).toContain('/messages/%40original'); // percent-encoded on the wire…
    expect(edit.path).toContain('/messages/@original'); // …decoded in the record
    expect(edit.body).toMatchObject({ content: 'done' });

    const followUp = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.route === `/webhooks/${fake.applicationId}/${token}`,
    );
    expect(followUp.body).toMatchObject({ content: 'and one more', flags: MessageFlags.Ephemeral });
    expect(followUp.query.wait).toBe('true');
    expect(handlerErrors).toEqual([]);
    expect(describeUnmatched(fake)).toEqual([]);
  });

  it('answers autocomplete with respond() (type 8)', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    onInteraction(async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const focused = interaction.options.getFocused(true);
      await interaction.respond([{ name: `${focused.name}:${focused.value}!`, value: 'v1' }]);
    });

    const callback = await timed(
      fake.sendInteraction(autocomplete('search', { scope: 'all', query: 'ab' }, 'query')),
    );

    expect(callback.body).toEqual({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name: 'query:ab!', value: 'v1' }] },
    });
    expect(handlerErrors).toEqual([]);
  });

  it('updates the message of a clicked button (type 7)', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    const seenContent: string[] = [];
    onInteraction(async (interaction) => {
      if (!interaction.isButton()) return;
      seenContent.push(interaction.message.content);
      await interaction.update({ content: `clicked ${interaction.customId}`, components: [] });
    });

    const original = { id: '1300000000000000001', content: 'press me' };
    const callback = await timed(fake.sendInteraction(button('confirm:42', original)));

    expect(callback.body).toEqual({
      type: InteractionResponseType.UpdateMessage,
      data: expect.objectContaining({ content: 'clicked confirm:42', components: [] }),
    });
    expect(seenContent).toEqual(['press me']);
    expect(fake.messages.get(original.id)).toMatchObject({ content: 'clicked confirm:42' });
    expect(handlerErrors).toEqual([]);
  });

  it('surfaces a 500 on the callback and still answers the next interaction', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    onInteraction(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'hello' });
    });
    fake.setResponder(
      'POST',
      /\/callback$/,
      { status: 500, body: { message: 'boom', code: 0 } },
      { times: 1 },
    );

    const failed = await fake.sendInteraction(chatInput('first'));
    expect(failed.status).toBe(500);
    await expect.poll(() => handlerErrors.length).toBe(1);
    expect(handlerErrors[0]).toMatchObject({ status: 500 });

    const ok = await timed(fake.sendInteraction(chatInput('second')));
    expect(ok.status).toBe(204);
    expect(ok.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'hello' },
    });
    expect(handlerErrors).toHaveLength(1);
  });

  it('waits out a 429 on the callback and then succeeds', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    onInteraction(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'eventually' });
    });
    fake.setResponder('POST', /\/callback$/, rateLimited(0.05), { times: 1 });

    const first = await fake.sendInteraction(chatInput('limited'));
    expect(first.status).toBe(429);
    const retried = await fake.waitForRequest((r) => r.route === first.route && r.status === 204);
    expect(retried.body).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource });
    expect(handlerErrors).toEqual([]);
  });

  it('resumes after the connection drops and answers the next interaction', async () => {
    const { fake, client, onInteraction, handlerErrors } = await startReady();
    onInteraction(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'still here' });
    });

    fake.dropConnection();
    await fake.waitForGatewayEvent((e) => e.type === 'resumed');
    const callback = await timed(fake.sendInteraction(chatInput('after-drop')));
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'still here' },
    });

    // An interaction sent while the socket is down is replayed on RESUME.
    fake.dropConnection();
    const replayed = await fake.sendInteraction(chatInput('during-drop'), { timeoutMs: 8000 });
    expect(replayed.status).toBe(204);

    expect(fake.identifies).toHaveLength(1); // resumed, never re-identified
    expect(fake.gatewayEvents.filter((e) => e.type === 'resumed')).toHaveLength(2);
    expect(client.isReady()).toBe(true);
    expect(handlerErrors).toEqual([]);
  });

  it('resumes on a resumable INVALID_SESSION and re-identifies on a non-resumable one', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    onInteraction(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'ok' });
    });

    fake.invalidateSession(true);
    await fake.waitForGatewayEvent((e) => e.type === 'resumed');
    // Answering an interaction proves the client finished handling RESUMED. Invalidating again within the
    // same tick races discord.js (its RESUMED handler then reads a nulled sessionInfo → unhandled TypeError).
    expect((await fake.sendInteraction(chatInput('after-resume'))).status).toBe(204);
    expect(fake.identifies).toHaveLength(1);

    const firstSession = fake.gatewayEvents.find((e) => e.type === 'ready')?.sessionId;
    fake.invalidateSession(false);
    // discord.js throttles identifies 5 s apart (+ up to 1.5 s jitter) per max_concurrency bucket.
    await fake.waitForGatewayEvent(
      (e) => e.type === 'ready' && e.sessionId !== firstSession,
      10_000,
    );
    expect(fake.identifies).toHaveLength(2);
    const callback = await fake.sendInteraction(chatInput('after-reidentify'), {
      timeoutMs: 10_000,
    });
    expect(callback.status).toBe(204);
    expect(handlerErrors).toEqual([]);
  }, 20_000);

  it('delivers a message-context command with the resolved target message', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    const seen: Array<{ name: string; target: string; author: string }> = [];
    onInteraction(async (interaction) => {
      if (!interaction.isMessageContextMenuCommand()) return;
      seen.push({
        name: interaction.commandName,
        target: interaction.targetMessage.content,
        author: interaction.targetMessage.author.username,
      });
      await interaction.reply({
        content: `quoted: ${interaction.targetMessage.content}`,
        flags: MessageFlags.Ephemeral,
      });
    });

    const callback = await timed(
      fake.sendInteraction(messageContext('Quote', { content: 'hello world' })),
    );

    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'quoted: hello world', flags: MessageFlags.Ephemeral },
    });
    expect(seen).toEqual([{ name: 'Quote', target: 'hello world', author: 'tester' }]);
    expect(handlerErrors).toEqual([]);
  });

  it('captures a pin with its audit-log reason', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    onInteraction(async (interaction) => {
      if (!interaction.isMessageContextMenuCommand()) return;
      await interaction.targetMessage.pin('Pinned by tester: "ünïcode" & spaces');
      await interaction.reply({ content: 'pinned', flags: MessageFlags.Ephemeral });
    });

    const target = { id: '1300000000000000077', content: 'pin me' };
    await fake.sendInteraction(messageContext('Pin', target));

    const channelId = fake.guilds[0]?.channels[0]?.id ?? '';
    const pin = await fake.waitForRequest((r) => r.method === 'PUT');
    expect(pin.route).toBe(`/channels/${channelId}/messages/pins/${target.id}`);
    expect(pin.auditLogReason).toBe('Pinned by tester: "ünïcode" & spaces');
    expect(pin.headers['x-audit-log-reason']).toBe(
      encodeURIComponent('Pinned by tester: "ünïcode" & spaces'),
    );
    expect(fake.pins.get(channelId)?.map((p) => p.messageId)).toEqual([target.id]);
    expect(handlerErrors).toEqual([]);
    expect(describeUnmatched(fake)).toEqual([]);
  });

  it('lists pins via GET /channels/:id/messages/pins', async () => {
    const { fake, client } = await startReady();
    const channelId = fake.guilds[0]?.channels[0]?.id ?? '';
    const channel = await client.channels.fetch(channelId);
    if (!channel?.isTextBased() || channel.isDMBased())
      throw new Error('expected a guild text channel');
    const sent = await channel.send({ content: 'remember this' });
    await sent.pin();
    const pins = await channel.messages.fetchPins();
    expect(pins.items.map((p) => p.message.content)).toEqual(['remember this']);
    expect(describeUnmatched(fake)).toEqual([]);
  });

  it('creates a forum post as Discord does: a thread under the forum and its starter message', async () => {
    const { fake, client } = await startReady(
      { guilds: [{ channels: [{ name: 'questions', type: ChannelType.GuildForum }] }] },
      {
        intents: [
          GatewayIntentBits.Guilds,
          GatewayIntentBits.GuildMessages,
          GatewayIntentBits.MessageContent,
        ],
      },
    );
    const forumId = fake.guilds[0]?.channels[0]?.id ?? '';
    const created = once(client, Events.ThreadCreate);
    const received = once(client, Events.MessageCreate);
    const { thread } = fake.createForumPost(forumId, { title: 'A title', content: 'the body' });
    const [cachedThread, newlyCreated] = (await created) as [AnyThreadChannel, boolean];
    const [message] = (await received) as [Message];
    expect(newlyCreated).toBe(true);
    expect(cachedThread).toMatchObject({ id: thread.id, parentId: forumId, name: 'A title' });
    expect(cachedThread.parent?.type).toBe(ChannelType.GuildForum);
    expect(message).toMatchObject({ id: thread.id, channelId: thread.id, content: 'the body' });

    // The thread is a channel for REST: fetched fresh, and messages sent into it are stored.
    const fetched = await client.channels.fetch(thread.id, { force: true });
    expect(fetched?.isThread() && fetched.parentId).toBe(forumId);
    const sent = await cachedThread.send('a reply');
    expect(fake.messages.get(sent.id)).toMatchObject({
      channel_id: thread.id,
      guild_id: fake.guilds[0]?.id,
    });
    expect(() => fake.createForumPost(thread.id, { title: 'x', content: 'y' })).toThrow(
      /not a forum/,
    );
    expect(describeUnmatched(fake)).toEqual([]);
  });

  it('registers commands (global + guild bulk overwrite) and routes interactions with their ids', async () => {
    const { fake, client, onInteraction } = await startReady();
    const guildId = fake.guilds[0]?.id ?? '';
    const global = await client.application?.commands.set([{ name: 'ping', description: 'Ping!' }]);
    const guild = await client.guilds.cache
      .get(guildId)
      ?.commands.set([{ name: 'local', description: 'Guild only' }]);

    const put = fake.requests.filter((r) => r.method === 'PUT').map((r) => r.route);
    expect(put).toEqual([
      `/applications/${fake.applicationId}/commands`,
      `/applications/${fake.applicationId}/guilds/${guildId}/commands`,
    ]);
    expect(global?.first()?.id).toBe(fake.registeredCommands()[0]?.id);
    expect(guild?.first()?.guildId).toBe(guildId);

    const commandIds: string[] = [];
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      commandIds.push(interaction.commandId);
      await interaction.reply('pong');
    });
    await fake.sendInteraction(chatInput('ping'));
    expect(commandIds).toEqual([global?.first()?.id]);
  });

  it('parses multipart bodies (reply with an attachment)', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({
        content: 'file!',
        files: [{ attachment: Buffer.from('hello file'), name: 'hello.txt' }],
      });
    });

    const callback = await fake.sendInteraction(chatInput('upload'));

    expect(callback.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'file!' },
    });
    expect(callback.files.map((f) => [f.filename, f.data.toString()])).toEqual([
      ['hello.txt', 'hello file'],
    ]);
    expect(handlerErrors).toEqual([]);
  });

  it('shows a modal (type 9) and receives the modal submit', async () => {
    const { fake, onInteraction, handlerErrors } = await startReady();
    const submitted: string[] = [];
    onInteraction(async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const input = new TextInputBuilder()
          .setCustomId('reason')
          .setLabel('Reason')
          .setStyle(TextInputStyle.Short);
        await interaction.showModal(
          new ModalBuilder()
            .setCustomId('report')
            .setTitle('Report')
            .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
        );
      } else if (interaction.isModalSubmit()) {
        submitted.push(interaction.fields.getTextInputValue('reason'));
        await interaction.reply({ content: 'thanks', flags: MessageFlags.Ephemeral });
      }
    });

    const modal = await fake.sendInteraction(chatInput('report'));
    expect(modal.body).toMatchObject({
      type: InteractionResponseType.Modal,
      data: { custom_id: 'report', title: 'Report' },
    });

    const reply = await fake.sendInteraction(modalSubmit('report', { reason: 'spam' }));
    expect(reply.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'thanks', flags: MessageFlags.Ephemeral },
    });
    expect(submitted).toEqual(['spam']);
    expect(handlerErrors).toEqual([]);
  });

  it('supports sharding: each shard gets only its guilds, interactions route by guild', async () => {
    // shards: 'auto' makes discord.js use the shard count from GET /gateway/bot (default is 1 shard).
    const { fake, client, onInteraction, handlerErrors } = await startReady(
      { guilds: 4, shardCount: 2 },
      { shards: 'auto' },
    );
    onInteraction(async (interaction) => {
      if (interaction.isChatInputCommand())
        await interaction.reply(`shard ${interaction.guild?.shardId ?? -1}`);
    });

    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(client.guilds.cache.size).toBe(4);
    for (const guild of fake.guilds) {
      expect(client.guilds.cache.get(guild.id)?.shardId).toBe(shardOf(guild.id, 2));
    }
    const onShardOne = fake.guilds.find((g) => shardOf(g.id, 2) === 1);
    const callback = await fake.sendInteraction(
      chatInput('where', {}, { guildId: onShardOne?.id ?? '' }),
    );
    expect(callback.body).toMatchObject({ data: { content: 'shard 1' } });
    expect(handlerErrors).toEqual([]);
  });

  it('records unmatched routes as 404s', async () => {
    const { fake, client } = await startReady();
    await expect(client.rest.get('/guilds/1/this-route-does-not-exist')).rejects.toMatchObject({
      status: 404,
    });
    expect(describeUnmatched(fake)).toEqual(['GET /api/v10/guilds/1/this-route-does-not-exist']);
  });

  it('times out sendInteraction with a clear message when the bot never answers', async () => {
    const { fake } = await startReady();
    await expect(fake.sendInteraction(chatInput('ignored'), { timeoutMs: 300 })).rejects.toThrow(
      /timed out after 300 ms waiting for the callback for interaction type 2 "ignored"/,
    );
  });
});
