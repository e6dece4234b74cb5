/**
 * Auto-answer in a Q&A forum channel, end to end: the real client, started by
 * startBot, against the fake Discord. A member's new post (a thread under the
 * forum and its starter message) gets a confident answer inside the post, once,
 * even across a restart; bots, unsure questions and later messages get nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationCommandOptionType, ChannelType, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatInput,
  snowflake,
  startFakeDiscord,
  type FakeDiscord,
  type JsonObject,
  type ThreadRecord,
} from '../fixtures/fake-discord.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { bodyOf, MEMBER, MODERATOR } from '../helpers/discord.ts';

const BOT_AUTHOR = { ...MEMBER, id: '190000000000000950', username: 'otherbot', bot: true };

describe('auto-answer in a Q&A forum', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-forum-'));
  let fake: FakeDiscord;
  let t: TestBot;
  let forumId: string;

  const start = () =>
    startTestBot({
      fake,
      dataDir,
      autoAnswer: true,
      env: { AUTO_ANSWER: 'true', AUTO_ANSWER_COOLDOWN_SECONDS: '0' },
    });

  beforeAll(async () => {
    fake = await startFakeDiscord({
      guilds: [
        {
          channels: [{ name: 'general' }, { name: 'questions', type: ChannelType.GuildForum }],
        },
      ],
    });
    forumId = fake.guilds[0]!.channels[1]!.id;
    t = await start();
  });
  afterAll(async () => {
    await t?.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Messages the bot posted in a channel (a post's thread). */
  const botPostsIn = (channelId: string) =>
    fake.requests.filter(
      (r) => r.method === 'POST' && r.route === `/channels/${channelId}/messages`,
    );
  /** Waits for the bot's answer in a post (the first test's answer may take a moment). */
  const answerIn = (threadId: string) =>
    fake.waitForRequest((r) => r.method === 'POST' && r.route === `/channels/${threadId}/messages`);
  /** Every thread the bot started itself (it never should in a forum). */
  const threadStarts = () =>
    fake.requests.filter((r) => r.method === 'POST' && /\/threads$/.test(r.route));
  /** Gives the bot time to act (or, correctly, not to). */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

  async function post(title: string, content: string, author: JsonObject = MEMBER) {
    const created = fake.createForumPost(forumId, { title, content, author });
    await settle();
    return created;
  }

  function enableForum() {
    const interaction = chatInput(
      'settings',
      [
        {
          name: 'qa-channel',
          type: ApplicationCommandOptionType.Subcommand,
          options: [
            { name: 'channel', type: ApplicationCommandOptionType.Channel, value: forumId },
          ],
        },
      ],
      { user: MODERATOR, permissions: PermissionFlagsBits.ManageGuild },
    );
    interaction.data.resolved = {
      channels: {
        [forumId]: {
          id: forumId,
          type: ChannelType.GuildForum,
          name: 'questions',
          permissions: '0',
        },
      },
    };
    return interaction;
  }

  it('stays silent in a forum no moderator enabled', async () => {
    const { thread } = await post('Drones', 'how many drones were smuggled into russia?');
    expect(botPostsIn(thread.id)).toEqual([]);
  });

  let answered: ThreadRecord;
  it('answers a new post once, inside the post, after a moderator enables the forum', async () => {
    const reply = bodyOf(await fake.sendInteraction(enableForum()));
    expect(reply.data?.content).toMatch(/Auto-answer is now on/);
    expect(await t.store.settings.qaChannels(fake.guilds[0]!.id)).toEqual([forumId]);

    const threadsBefore = threadStarts().length;
    const { thread, message } = await post(
      'Drones smuggled into Russia',
      'how many drones were smuggled into russia?',
    );
    answered = thread;
    await answerIn(thread.id);
    const answers = botPostsIn(thread.id);
    expect(answers).toHaveLength(1);
    const body = answers[0]!.body as JsonObject & { embeds: { description: string }[] };
    expect(body.embeds[0]!.description).toMatch(/117/);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    // The member who posted may delete the answer, as with any answer to their question.
    const buttons = (body.components as { components: { label: string; custom_id: string }[] }[])
      .flatMap((row) => row.components)
      .filter((button) => button.label === '🗑 Delete');
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.custom_id).toContain(MEMBER.id);
    expect(threadStarts()).toHaveLength(threadsBefore); // no new thread
    await expect
      .poll(() => t.logs.find((l) => l.msg === 'Auto-answered' && l.messageId === message.id))
      .toMatchObject({ channelId: forumId, threadId: thread.id });

    fake.dispatch('MESSAGE_CREATE', message); // the same starter message again (a replayed event)
    await settle();
    expect(botPostsIn(thread.id)).toHaveLength(1);
  });

  it('answers no later message in a post, only the post itself', async () => {
    const { thread } = await post('Delegations', 'a question for later');
    expect(botPostsIn(thread.id)).toEqual([]); // the post reads as no question
    fake.dispatch('MESSAGE_CREATE', {
      ...fake.messages.get(thread.id)!,
      id: snowflake(),
      content: 'who led the russian delegation?',
    });
    await settle();
    expect(botPostsIn(thread.id)).toEqual([]);
  });

  it('ignores posts by bots and posts it is not confident about', async () => {
    const fromBot = await post('Drones', 'how many drones were smuggled into russia?', BOT_AUTHOR);
    const notFound = await post('Pizza', 'what is the best pizza in istanbul?');
    // Found, but the chatty message makes it unsure: a reply nobody asked for must be confident.
    const [title, content] = [
      'How many drones were smuggled into Russia?',
      'I keep reading different numbers, does anyone know?',
    ];
    expect(t.engine.answer(`${title}\n${content}`)).toMatchObject({
      answered: true,
      uncertain: true,
    });
    const unsure = await post(title, content);
    for (const skipped of [fromBot, notFound, unsure])
      expect(botPostsIn(skipped.thread.id)).toEqual([]);
    for (const skipped of [notFound, unsure])
      expect(
        t.logs.some(
          (l) =>
            l.msg === 'Auto-answer skipped: not confident' && l.messageId === skipped.message.id,
        ),
      ).toBe(true);
  });

  it('never answers a post twice, even after a restart with the same data', async () => {
    const { thread, message } = await post('Russian delegation', 'who led the russian delegation?');
    await answerIn(thread.id);
    expect(botPostsIn(thread.id)).toHaveLength(1);
    await t.stop();
    t = await start();

    // The restarted client knows the posts (GUILD_CREATE threads), so the replays do reach it.
    expect(t.bot.client.channels.cache.get(thread.id)?.isThread()).toBe(true);
    for (const replay of [message, fake.messages.get(answered.id)!])
      fake.dispatch('MESSAGE_CREATE', replay);
    await settle();
    expect(botPostsIn(thread.id)).toHaveLength(1);
    expect(botPostsIn(answered.id)).toHaveLength(1);

    // …while a new post is still answered.
    const next = await post('Drones again', 'how many drones were smuggled into russia?');
    await answerIn(next.thread.id);
    expect(botPostsIn(next.thread.id)).toHaveLength(1);
  });
});

describe('auto-answer cooldown in a Q&A forum', () => {
  let t: TestBot;
  let forumId: string;
  beforeAll(async () => {
    t = await startTestBot({
      fake: { guilds: [{ channels: [{ name: 'questions', type: ChannelType.GuildForum }] }] },
      autoAnswer: true,
      env: { AUTO_ANSWER: 'true', AUTO_ANSWER_COOLDOWN_SECONDS: '60' },
    });
    forumId = t.fake.guilds[0]!.channels[0]!.id;
    await t.store.settings.setQaChannel(t.fake.guilds[0]!.id, forumId, true);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('counts per member per forum, not per post', async () => {
    const answers = (threadId: string) =>
      t.fake.requests.filter(
        (r) => r.method === 'POST' && r.route === `/channels/${threadId}/messages`,
      ).length;
    const posts = [
      [MEMBER, 'Drones smuggled into Russia', 'how many drones were smuggled into russia?'],
      [MEMBER, 'Russian delegation', 'who led the russian delegation?'],
      [MODERATOR, 'Russian delegation', 'who led the russian delegation?'],
    ] as const;
    const threads = [];
    for (const [author, title, content] of posts) {
      threads.push(t.fake.createForumPost(forumId, { title, content, author }).thread);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    for (const answered of [threads[0]!, threads[2]!])
      await t.fake.waitForRequest(
        (r) => r.method === 'POST' && r.route === `/channels/${answered.id}/messages`,
      );
    expect(threads.map((thread) => answers(thread.id))).toEqual([1, 0, 1]);
    expect(t.logs.filter((l) => l.msg === 'Auto-answer skipped: cooldown')).toHaveLength(1);
  });
});
