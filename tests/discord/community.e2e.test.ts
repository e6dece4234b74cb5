/**
 * Community and moderator features end to end: the real client, started by
 * startBot, against the fake Discord. Pins, Answer with sources, auto-answer,
 * feedback across restarts, live knowledge changes and cooldowns.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApplicationCommandOptionType,
  ChannelType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
} from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  button,
  chatInput,
  messageContext,
  snowflake,
  startFakeDiscord,
  type FakeDiscord,
  type JsonObject,
} from '../fixtures/fake-discord.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';
import { askCommand, bodyOf, finalReply, MEMBER, MODERATOR } from '../helpers/discord.ts';
import { MONTHS } from '../../src/render/dates.ts';

const MANAGE_MESSAGES = PermissionFlagsBits.ManageMessages;
const MANAGE_GUILD = PermissionFlagsBits.ManageGuild;
const SEND_MESSAGES = PermissionFlagsBits.SendMessages;

const ask = (question: string, user = MEMBER) =>
  askCommand(question, { user, permissions: SEND_MESSAGES });

/** Asks publicly and returns the answer message as the fake stored it. */
async function postAnswer(t: TestBot, question: string): Promise<JsonObject> {
  const request = await t.fake.sendInteraction(ask(question));
  const messageId = t.fake.interactions.get(request.params.interactionId ?? '')?.originalMessageId;
  const message = t.fake.messages.get(messageId ?? '');
  expect(message, 'the answer message').toBeDefined();
  return message!;
}

function customIdOf(message: JsonObject, label: string): string {
  const rows = message.components as { components: { label: string; custom_id: string }[] }[];
  const id = rows.flatMap((r) => r.components).find((c) => c.label === label)?.custom_id;
  expect(id, `button ${label}`).toBeDefined();
  return id!;
}

function memberMessage(t: TestBot, content: string, author = MEMBER): JsonObject {
  return {
    id: snowflake(),
    channel_id: t.fake.guilds[0]!.channels[0]!.id,
    guild_id: t.fake.guilds[0]!.id,
    author,
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
  };
}

const pinRequests = (fake: FakeDiscord) =>
  fake.requests.filter((r) => r.method === 'PUT' && /\/pins\//.test(r.route));

const deleteRequests = (fake: FakeDiscord, message: JsonObject) =>
  fake.requests.filter(
    (r) =>
      r.method === 'DELETE' && r.route === `/channels/${message.channel_id}/messages/${message.id}`,
  );

describe('deleting answers', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses anyone but the asker or a moderator, privately, and deletes nothing', async () => {
    const answer = await postAnswer(t, 'who led the russian delegation');
    const other = { ...MEMBER, id: '190000000000000955', username: 'other' };
    const reply = bodyOf(
      await t.fake.sendInteraction(
        button(customIdOf(answer, '🗑 Delete'), answer, { user: other, permissions: SEND_MESSAGES }),
      ),
    );
    expect(reply.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(reply.data?.content).toMatch(/Only the member who asked, or members with/);
    expect(deleteRequests(t.fake, answer)).toEqual([]);
  });

  it('lets the member who asked delete their answer', async () => {
    const answer = await postAnswer(t, 'how many drones were smuggled into russia');
    const reply = bodyOf(
      await t.fake.sendInteraction(
        button(customIdOf(answer, '🗑 Delete'), answer, {
          user: MEMBER,
          permissions: SEND_MESSAGES,
        }),
      ),
    );
    expect(reply.data?.content).toMatch(/Deleted/);
    expect(deleteRequests(t.fake, answer)).toHaveLength(1);
  });

  it('lets a moderator delete any answer', async () => {
    const answer = await postAnswer(t, 'who led the russian delegation');
    const press = () =>
      t.fake.sendInteraction(
        button(customIdOf(answer, '🗑 Delete'), answer, {
          user: MODERATOR,
          permissions: MANAGE_MESSAGES,
        }),
      );
    expect(bodyOf(await press()).data?.content).toMatch(/Deleted/);
    expect(deleteRequests(t.fake, answer)).toHaveLength(1);
  });

  it('puts no Delete button on a hidden answer', async () => {
    const request = await t.fake.sendInteraction(
      askCommand('who led the russian delegation', { user: MEMBER }, [
        { name: 'hide', type: ApplicationCommandOptionType.Boolean, value: true },
      ]),
    );
    const labels = (bodyOf(request).data?.components ?? []).flatMap((row) =>
      row.components.map((b) => b.label),
    );
    expect(labels).not.toContain('🗑 Delete');
    expect(labels).toContain('Sources');
  });
});

describe('pinning answers', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  /**
   * The first of these the engine is unsure about (the fitted model decides
   * which) and that no test pinned yet: a pin confirms it, and then it is sure.
   */
  const uncertainQuestion = async () => {
    const pinned = new Set(
      (await t.store.confirmations.list(t.fake.guilds[0]!.id)).map((c) => c.question),
    );
    const question = [
      'who chaired the second meeting',
      'how many prisoners were exchanged',
      'who is hakan fidan',
      'when did the second round of talks happen',
      'did zelensky go to istanbul',
      'how long did the june talks last',
      'who was leading the ukranian delegation in istanbul?',
    ].find((q) => !pinned.has(q) && t.engine.answer(q).uncertain === true);
    expect(question, 'none of the questions gets an uncertain answer').toBeDefined();
    return question!;
  };

  it('posts an uncertain answer publicly, labelled, and a moderator can pin it', async () => {
    const answer = await postAnswer(t, await uncertainQuestion());
    expect(answer.flags ?? 0).toBe(0); // a channel message, not an ephemeral one
    expect(answer.content).toBe('These passages may answer it:');
    const embed = (answer.embeds as { description: string; footer: { text: string } }[])[0]!;
    expect(embed.description).toMatch(/\*\*1\.\*\* /);
    expect(embed.footer.text).toMatch(/may not answer it/);
    const before = pinRequests(t.fake).length;
    const reply = bodyOf(
      await t.fake.sendInteraction(
        button(customIdOf(answer, 'Pin'), answer, {
          user: MODERATOR,
          permissions: MANAGE_MESSAGES,
        }),
      ),
    );
    expect(reply.data?.content).toMatch(/Pinned/);
    expect(pinRequests(t.fake).length).toBe(before + 1);
  });

  it('points an uncertain answer at a member with mention, and hide:true keeps it private', async () => {
    const question = await uncertainQuestion();
    const pointed = askCommand(question, { user: MEMBER, permissions: SEND_MESSAGES }, [
      { name: 'mention', type: ApplicationCommandOptionType.User, value: MODERATOR.id },
    ]);
    pointed.data.resolved = { users: { [MODERATOR.id]: MODERATOR } };
    const mentioned = await finalReply(t.fake, await t.fake.sendInteraction(pointed));
    expect(mentioned?.flags ?? 0).toBe(0);
    expect(mentioned?.content).toBe(`<@${MODERATOR.id}>, these passages may answer it:`);
    expect(mentioned?.allowed_mentions).toEqual({ parse: [], users: [MODERATOR.id] });

    const hidden = await finalReply(
      t.fake,
      await t.fake.sendInteraction(
        askCommand(question, { user: MEMBER, permissions: SEND_MESSAGES }, [
          { name: 'hide', type: ApplicationCommandOptionType.Boolean, value: true },
        ]),
      ),
    );
    expect(hidden?.flags).toBe(MessageFlags.Ephemeral);
    expect(hidden?.content).toBe('These passages may answer it:');
  });

  it('refuses a member without Manage/Pin Messages and pins nothing', async () => {
    const answer = await postAnswer(t, 'who led the russian delegation');
    const before = pinRequests(t.fake).length;
    const reply = bodyOf(
      await t.fake.sendInteraction(
        button(customIdOf(answer, 'Pin'), answer, { user: MEMBER, permissions: SEND_MESSAGES }),
      ),
    );
    expect(reply.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(reply.data?.content).toMatch(/Only members with/);
    expect(pinRequests(t.fake).length).toBe(before);
  });

  it('a moderator pins with exactly one PUT carrying an audit-log reason, and the answer shows it', async () => {
    const answer = await postAnswer(t, 'how many drones were smuggled');
    const before = pinRequests(t.fake).length;
    const reply = bodyOf(
      await t.fake.sendInteraction(
        button(customIdOf(answer, 'Pin'), answer, {
          user: MODERATOR,
          permissions: MANAGE_MESSAGES,
        }),
      ),
    );
    expect(reply.data?.content).toMatch(/Pinned/);
    const pins = pinRequests(t.fake).slice(before);
    expect(pins).toHaveLength(1);
    expect(pins[0]!.route).toBe(`/channels/${answer.channel_id}/messages/pins/${answer.id}`);
    expect(pins[0]!.auditLogReason).toMatch(/Answer pinned by mod \(190000000000000900\)/);
    const edit = await t.fake.waitForRequest(
      (r) =>
        r.method === 'PATCH' && r.route === `/channels/${answer.channel_id}/messages/${answer.id}`,
    );
    const labels = (
      edit.body as { components: { components: { label: string; disabled?: boolean }[] }[] }
    ).components[0]!.components;
    expect(labels.find((b) => b.label.startsWith('Pinned by'))).toMatchObject({
      label: 'Pinned by mod',
      disabled: true,
    });
  });

  it.each([
    [apiError(403, 50013, 'Missing Permissions'), /Pin Messages/],
    [apiError(400, 30003, 'Maximum number of pins reached'), /limit of pinned messages/],
  ])(
    'explains to the moderator when Discord refuses the pin (%#)',
    async (failure, explanation) => {
      const answer = await postAnswer(t, 'how many drones were smuggled into russia');
      t.fake.setResponder('PUT', /\/pins\//, failure, { times: 1 });
      const reply = bodyOf(
        await t.fake.sendInteraction(
          button(customIdOf(answer, 'Pin'), answer, {
            user: MODERATOR,
            permissions: MANAGE_MESSAGES,
          }),
        ),
      );
      expect(reply.data?.flags).toBe(MessageFlags.Ephemeral);
      expect(reply.data?.content).toMatch(explanation);
    },
  );

  it('"Pin answer" pins the bot’s answers for moderators and refuses other messages', async () => {
    const answer = await postAnswer(t, 'who led the russian delegation');
    const before = pinRequests(t.fake).length;
    const pinned = bodyOf(
      await t.fake.sendInteraction(
        messageContext('Pin answer', answer, { user: MODERATOR, permissions: MANAGE_MESSAGES }),
      ),
    );
    expect(pinned.data?.content).toMatch(/Pinned/);
    expect(pinRequests(t.fake).length).toBe(before + 1);

    const other = bodyOf(
      await t.fake.sendInteraction(
        messageContext('Pin answer', memberMessage(t, 'hello'), {
          user: MODERATOR,
          permissions: MANAGE_MESSAGES,
        }),
      ),
    );
    expect(other.data?.content).toMatch(/pins my answers/);
    expect(pinRequests(t.fake).length).toBe(before + 1);
  });
});

describe('Answer with sources', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('replies under the member’s message, referencing it, and confirms privately', async () => {
    const question = memberMessage(t, 'how many drones were smuggled into russia?');
    const confirmation = bodyOf(
      await t.fake.sendInteraction(
        messageContext('Answer with sources', question, { user: MODERATOR }),
      ),
    );
    expect(confirmation.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(confirmation.data?.content).toMatch(/my reply is under their message/);
    const post = await t.fake.waitForRequest(
      (r) => r.method === 'POST' && r.route === `/channels/${question.channel_id}/messages`,
    );
    const body = post.body as JsonObject & {
      message_reference: { message_id: string };
      embeds: { description: string }[];
    };
    expect(body.message_reference.message_id).toBe(question.id);
    expect(body.embeds[0]!.description).toMatch(/117(?:\*\*)? drones/);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('keeps an abstention private to whoever ran it, posting nothing in the channel', async () => {
    const posts = () =>
      t.fake.requests.filter(
        (r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.route),
      ).length;
    const before = posts();
    const reply = bodyOf(
      await t.fake.sendInteraction(
        messageContext('Answer with sources', memberMessage(t, 'anyone know a good pizza place?'), {
          user: MODERATOR,
        }),
      ),
    );
    expect(reply.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(reply.data?.content).toMatch(/couldn't find that/);
    expect(posts()).toBe(before);
  });
});

describe('auto-answer in Q&A channels', () => {
  let t: TestBot;
  let channelId: string;
  beforeAll(async () => {
    t = await startTestBot({
      autoAnswer: true,
      env: { AUTO_ANSWER: 'true', AUTO_ANSWER_COOLDOWN_SECONDS: '0' },
    });
    channelId = t.fake.guilds[0]!.channels[0]!.id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  function qaChannel(user: typeof MEMBER, permissions: bigint) {
    const interaction = chatInput(
      'settings',
      [
        {
          name: 'qa-channel',
          type: ApplicationCommandOptionType.Subcommand,
          options: [
            { name: 'channel', type: ApplicationCommandOptionType.Channel, value: channelId },
          ],
        },
      ],
      { user, permissions },
    );
    interaction.data.resolved = {
      channels: {
        [channelId]: {
          id: channelId,
          type: ChannelType.GuildText,
          name: 'general',
          permissions: '0',
        },
      },
    };
    return interaction;
  }

  const threadsFor = (messageId: string) =>
    t.fake.threads.filter((th) => th.startMessageId === messageId);
  async function sendMessage(message: JsonObject) {
    t.fake.dispatch('MESSAGE_CREATE', message, t.fake.guilds[0]!.id);
    // Give the bot time to act (or, correctly, not to).
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  it('stays silent in channels no moderator enabled', async () => {
    const message = memberMessage(t, 'how many drones were smuggled into russia?');
    await sendMessage(message);
    expect(threadsFor(message.id as string)).toEqual([]);
  });

  it('/settings qa-channel needs Manage Server', async () => {
    const refused = bodyOf(await t.fake.sendInteraction(qaChannel(MEMBER, MANAGE_MESSAGES)));
    expect(refused.data?.content).toMatch(/Manage Server/);
    expect(await t.store.settings.qaChannels(t.fake.guilds[0]!.id)).toEqual([]);
  });

  it('answers a confident question once, in a thread, after a moderator enables the channel', async () => {
    const enabled = bodyOf(await t.fake.sendInteraction(qaChannel(MODERATOR, MANAGE_GUILD)));
    expect(enabled.data?.content).toMatch(/Auto-answer is now on/);

    const message = memberMessage(t, 'How many drones were smuggled into Russia?');
    await sendMessage(message);
    const threads = threadsFor(message.id as string);
    expect(threads).toHaveLength(1);
    const post = await t.fake.waitForRequest(
      (r) => r.method === 'POST' && r.route === `/channels/${threads[0]!.id}/messages`,
    );
    expect((post.body as { embeds: { description: string }[] }).embeds[0]!.description).toMatch(
      /117/,
    );

    await sendMessage(message); // the same message again (e.g. a replayed event)
    expect(threadsFor(message.id as string)).toHaveLength(1);
  });

  it('stops answering when a moderator turns the channel off', async () => {
    const off = qaChannel(MODERATOR, MANAGE_GUILD);
    (off.data.options as JsonObject[])[0]!.options = [
      { name: 'channel', type: ApplicationCommandOptionType.Channel, value: channelId },
      { name: 'enabled', type: ApplicationCommandOptionType.Boolean, value: false },
    ];
    const reply = bodyOf(await t.fake.sendInteraction(off));
    expect(reply.data?.content).toMatch(/Auto-answer is now off/);
    const message = memberMessage(t, 'How many drones were smuggled into Russia?');
    await sendMessage(message);
    expect(threadsFor(message.id as string)).toEqual([]);
    // Back on for the next test.
    await t.fake.sendInteraction(qaChannel(MODERATOR, MANAGE_GUILD));
  });

  it('ignores bots, statements and questions it is not confident about', async () => {
    const fromBot = memberMessage(t, 'How many drones were smuggled into Russia?', {
      ...MEMBER,
      id: '190000000000000950',
      bot: true,
    } as never);
    const statement = memberMessage(t, 'drones are cool');
    const unsure = memberMessage(t, 'what is the best pizza in istanbul?');
    for (const message of [fromBot, statement, unsure]) await sendMessage(message);
    for (const message of [fromBot, statement, unsure])
      expect(threadsFor(message.id as string)).toEqual([]);
  });
});

describe('feedback', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-feedback-'));
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records one changeable vote per member and keeps it across a bot restart', async () => {
    const first = await startTestBot({ fake, dataDir });
    const answer = await postAnswer(first, 'who led the russian delegation');
    const vote = async (label: string, user = MEMBER) =>
      bodyOf(
        await fake.sendInteraction(
          button(customIdOf(answer, label), answer, { user, permissions: SEND_MESSAGES }),
        ),
      );
    expect((await vote('👍')).data?.content).toMatch(/recorded/);
    expect((await vote('👍')).data?.content).toMatch(/already voted/);
    expect((await vote('👎')).data?.content).toMatch(/Changed your vote/);
    expect((await vote('👎', MODERATOR)).data?.content).toMatch(/recorded/);
    await first.stop();

    const second = await startTestBot({ fake, dataDir });
    try {
      const refused = bodyOf(
        await fake.sendInteraction(
          chatInput('feedback', {}, { user: MEMBER, permissions: SEND_MESSAGES }),
        ),
      );
      expect(refused.data?.content).toMatch(/Only members with/);
      const summary = bodyOf(
        await fake.sendInteraction(
          chatInput('feedback', {}, { user: MODERATOR, permissions: MANAGE_MESSAGES }),
        ),
      );
      expect(summary.data?.flags).toBe(MessageFlags.Ephemeral);
      expect(summary.data?.content).toMatch(/0 👍 · 2 👎 on 1 answer\b/);
      expect(summary.data?.content).toMatch(/who led the russian delegation — 2 👎/);
    } finally {
      await second.stop();
    }
  });
});

describe('/knowledge: live updates', () => {
  let t: TestBot;
  let dir: string;
  const files = () => readdirSync(dir).sort();
  const snapshot = () => files().map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
  let served = new Map<string, string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'talks-bot-knowledge-live-'));
    cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
    t = await startTestBot({ knowledgeDir: dir });
    // The fake's CDN: attachment URLs point back at the fake.
    t.fake.setResponder('GET', /^\/cdn\//, (req) => {
      const content = served.get(req.path);
      return content === undefined
        ? apiError(404, 0, 'no such file')
        : { status: 200, rawBody: content, headers: { 'content-type': 'text/markdown' } };
    });
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    served = new Map();
  });

  function upload(fileName: string, content: string, size = Buffer.byteLength(content)) {
    const id = snowflake();
    const path = `/cdn/attachments/${id}/${encodeURIComponent(fileName)}`;
    served.set(decodeURIComponent(path), content);
    const interaction = chatInput(
      'knowledge',
      [
        {
          name: 'add',
          type: ApplicationCommandOptionType.Subcommand,
          options: [{ name: 'file', type: ApplicationCommandOptionType.Attachment, value: id }],
        },
      ],
      { user: MODERATOR, permissions: MANAGE_GUILD },
    );
    interaction.data.resolved = {
      attachments: {
        [id]: {
          id,
          filename: fileName,
          size,
          url: `http://127.0.0.1:${t.fake.port}${path}`,
          proxy_url: `http://127.0.0.1:${t.fake.port}${path}`,
          content_type: 'text/markdown',
        },
      },
    };
    return interaction;
  }

  const NEW_ARTICLE = `---\ntitle: Black Sea grain corridor talks resume in Ankara\n---\nNegotiators met in Ankara on Tuesday to discuss reopening the Black Sea grain corridor.\nThe delegations agreed that 42 cargo ships would be inspected jointly in Turkish ports.\nBoth sides said further technical meetings would follow within a month.\n`;

  it('refuses members without Manage Server', async () => {
    const interaction = upload('x.md', NEW_ARTICLE);
    interaction.member = { permissions: MANAGE_MESSAGES.toString() };
    (interaction as JsonObject).user = MEMBER;
    const reply = await finalReply(t.fake, await t.fake.sendInteraction(interaction));
    expect(reply?.content).toMatch(/Manage Server/);
  });

  it('adds a good article under its own name made safe, and answers from it at once', async () => {
    const before = files();
    const reply = await finalReply(
      t.fake,
      await t.fake.sendInteraction(upload('../../etc/passwd.md', NEW_ARTICLE)),
    );
    expect(reply?.content).toMatch(/Added "Black Sea grain corridor talks resume in Ankara"/);
    const added = files().filter((f) => !before.includes(f));
    // Only the file's own name counts, reduced to letters, digits, - and _.
    expect(added).toEqual(['passwd.md']);
    expect(readFileSync(join(dir, added[0]!), 'utf8')).toBe(NEW_ARTICLE);

    const answer = bodyOf(
      await t.fake.sendInteraction(ask('how many cargo ships will be inspected')),
    );
    expect(answer.data?.embeds?.[0]?.description).toMatch(/42(?:\*\*)? cargo ships/);
    expect(answer.data?.embeds?.[0]?.fields?.[0]?.value).toMatch(/Black Sea grain corridor/);
  });

  it.each([
    ['no front matter', 'bad.md', 'Just some text without a header.', /no front matter/],
    [
      'a missing title',
      'bad.md',
      '---\npublisher: X\n---\nThe delegations met again in Istanbul.',
      /"title" is required/,
    ],
    [
      'a wrong file type',
      'evil.exe',
      NEW_ARTICLE.replace('Ankara', 'Izmir'),
      /Markdown \(\.md\) or plain-text/,
    ],
  ])(
    'rejects a file with %s, listing the problem, and changes nothing',
    async (_, name, content, problem) => {
      const before = snapshot();
      const answerBefore = bodyOf(
        await t.fake.sendInteraction(ask('who chaired the second meeting')),
      ).data?.embeds;
      const reply = await finalReply(t.fake, await t.fake.sendInteraction(upload(name, content)));
      expect(reply?.content).toMatch(/failed; nothing changed/);
      expect(reply?.content).toMatch(problem);
      expect(snapshot()).toEqual(before);
      expect(
        bodyOf(await t.fake.sendInteraction(ask('who chaired the second meeting'))).data?.embeds,
      ).toEqual(answerBefore);
    },
  );

  it('rejects an oversized file before downloading it', async () => {
    const before = snapshot();
    const interaction = upload('big.md', NEW_ARTICLE, 5 * 1024 * 1024);
    const downloads = () => t.fake.requests.filter((r) => r.path.startsWith('/cdn/')).length;
    const downloadsBefore = downloads();
    const reply = await finalReply(t.fake, await t.fake.sendInteraction(interaction));
    expect(reply?.content).toMatch(/the limit is 256 KiB/);
    expect(downloads()).toBe(downloadsBefore);
    expect(snapshot()).toEqual(before);
  });

  it('lists, removes and reloads', async () => {
    const list = await finalReply(
      t.fake,
      await t.fake.sendInteraction(
        chatInput('knowledge', [{ name: 'list', type: ApplicationCommandOptionType.Subcommand }], {
          user: MODERATOR,
          permissions: MANAGE_GUILD,
        }),
      ),
    );
    expect(list?.content).toMatch(/Black Sea grain corridor/);
    const id = files()
      .find((f) => f === 'passwd.md')!
      .replace(/\.md$/, '');
    const removed = await finalReply(
      t.fake,
      await t.fake.sendInteraction(
        chatInput(
          'knowledge',
          [
            {
              name: 'remove',
              type: ApplicationCommandOptionType.Subcommand,
              options: [{ name: 'article', type: ApplicationCommandOptionType.String, value: id }],
            },
          ],
          {
            user: MODERATOR,
            permissions: MANAGE_GUILD,
          },
        ),
      ),
    );
    expect(removed?.content).toMatch(/Removed "Black Sea grain corridor/);
    expect(files().some((f) => f.startsWith('black-sea'))).toBe(false);
    const after = bodyOf(
      await t.fake.sendInteraction(ask('how many cargo ships will be inspected')),
    );
    expect(JSON.stringify(after.data)).not.toMatch(/42(?:\*\*)? cargo ships/);

    const reload = await finalReply(
      t.fake,
      await t.fake.sendInteraction(
        chatInput(
          'knowledge',
          [{ name: 'reload', type: ApplicationCommandOptionType.Subcommand }],
          {
            user: MODERATOR,
            permissions: MANAGE_GUILD,
          },
        ),
      ),
    );
    expect(reload?.content).toMatch(/Reloaded: 5 articles/);
  });
});

describe('cooldowns', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ env: { ASK_COOLDOWN_SECONDS: '30' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers once, then tells the same member to wait, while others are served', async () => {
    expect(bodyOf(await t.fake.sendInteraction(ask('who is medinsky'))).data?.embeds?.length).toBe(
      1,
    );
    const refused = bodyOf(await t.fake.sendInteraction(ask('who is umerov')));
    expect(refused.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(refused.data?.content).toMatch(/try again in (29|30) s/);
    expect(
      bodyOf(await t.fake.sendInteraction(ask('who is umerov', MODERATOR))).data?.embeds?.length,
    ).toBe(1);
  });
});

describe('/timeline', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** "**16 May 2025** — …" → '2025-05-16' ('2025-05' or '2025' when less precise). */
  function isoOf(line: string): string {
    const parts = (/^\*\*([^*]+)\*\*/.exec(line)?.[1] ?? '').split(' ');
    const year = parts.at(-1) ?? '';
    if (parts.length === 1) return year;
    const month = String(MONTHS.indexOf(parts.at(-2)!) + 1).padStart(2, '0');
    return parts.length === 3
      ? `${year}-${month}-${parts[0]!.padStart(2, '0')}`
      : `${year}-${month}`;
  }
  /** In order when each date is not before the previous one, compared at the coarser precision. */
  function inOrder(dates: string[]): boolean {
    return dates.every((date, i) => {
      const previous = dates[i - 1];
      if (previous === undefined) return true;
      const length = Math.min(date.length, previous.length);
      return previous.slice(0, length) <= date.slice(0, length);
    });
  }

  it('lists dated events in order, each with a citation number that resolves to a source', async () => {
    const body = bodyOf(await t.fake.sendInteraction(chatInput('timeline')));
    const embed = body.data!.embeds![0]!;
    const lines = embed.description!.split('\n').filter((l) => l.startsWith('**'));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const dates = lines.map(isoOf);
    expect(inOrder(dates), dates.join(' ')).toBe(true);
    expect(inOrder(['2025-06-02', '2025-05-16'])).toBe(false); // the check itself can fail
    expect(lines.some((l) => l.startsWith('**16 May 2025**'))).toBe(true);
    expect(lines.some((l) => l.startsWith('**2 June 2025**'))).toBe(true);
    const sources = embed.fields?.find((f) => f.name === 'Sources')?.value ?? '';
    for (const line of lines) {
      const marks = [...line.matchAll(/\[(\d+)\]/g)].map((m) => m[1]);
      expect(marks.length, line).toBeGreaterThan(0);
      for (const n of marks) expect(sources).toContain(`[${n}] `);
    }
  });

  it('filters with from/to and explains a date it cannot read', async () => {
    const body = bodyOf(
      await t.fake.sendInteraction(chatInput('timeline', { from: 'May 2025', to: '31 May 2025' })),
    );
    const lines = body.data!.embeds![0]!.description!.split('\n').filter((l) => l.startsWith('**'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\*\*(\d+ )?May 2025\*\*/);

    const bad = bodyOf(await t.fake.sendInteraction(chatInput('timeline', { from: 'last week' })));
    expect(bad.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(bad.data?.content).toMatch(/can't read "last week" as a date/);
  });
});
