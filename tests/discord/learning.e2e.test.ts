/**
 * The bot learns from its community, end to end through the real discord.js
 * client and the fake Discord: a moderator's pin, members' votes and
 * /answers teach confirm answers that then answer rewordings, per server,
 * across a restart; members without permission change nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApplicationCommandOptionType,
  InteractionType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { askCommand, bodyOf, finalReply, MEMBER, MODERATOR } from '../helpers/discord.ts';
import {
  button,
  chatInput,
  snowflake,
  startFakeDiscord,
  type FakeDiscord,
  type JsonObject,
} from '../fixtures/fake-discord.ts';

const SEND_MESSAGES = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel;
const MANAGE_MESSAGES = PermissionFlagsBits.ManageMessages | SEND_MESSAGES;

/** Asked first, then reworded: the rewording should get the first answer once it is confirmed. */
const ASKED = 'when did the second round of talks happen';
const REWORDED = 'when did the second round happen';
const CONFIRMED_NOTE = /^✓ confirmed by this server's (moderators|members)/;

const members = Array.from({ length: 4 }, (_, i) => ({
  ...MEMBER,
  id: `19000000000000${1000 + i}`,
  username: `member${i}`,
  global_name: `Member ${i}`,
}));

let dataDir: string;
let fake: FakeDiscord;
let t: TestBot;
let guildA: string;
let guildB: string;
const channelOf = (guildId: string) => fake.guilds.find((g) => g.id === guildId)!.channels[0]!.id;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-learning-'));
  fake = await startFakeDiscord({ guilds: 2 });
  [guildA, guildB] = fake.guilds.map((g) => g.id) as [string, string];
  t = await startTestBot({ fake, dataDir });
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A member asks in a server; the answer message as posted in the channel. */
async function posted(question: string, guildId: string, user = MEMBER): Promise<JsonObject> {
  const request = await fake.sendInteraction(
    askCommand(question, {
      user,
      permissions: SEND_MESSAGES,
      guildId,
      channelId: channelOf(guildId),
    }),
  );
  const messageId = fake.interactions.get(request.params.interactionId ?? '')?.originalMessageId;
  const message = fake.messages.get(messageId ?? '');
  expect(message, `"${question}" was answered in the channel`).toBeDefined();
  return message!;
}

function press(label: string, message: JsonObject, user: typeof MEMBER, permissions: bigint) {
  const rows = message.components as { components: { label: string; custom_id: string }[] }[];
  const id = rows.flatMap((r) => r.components).find((c) => c.label === label)?.custom_id;
  expect(id, `button ${label}`).toBeDefined();
  return fake.sendInteraction(
    button(id!, message, {
      user,
      permissions,
      guildId: message.guild_id as string,
      channelId: message.channel_id as string,
    }),
  );
}

const footerOf = (message: JsonObject) =>
  (message.embeds as { footer?: { text: string } }[])[0]?.footer?.text ?? '';
/** The first numbered sentence (a confident answer opens with its short answer). */
const firstLine = (message: JsonObject) =>
  ((message.embeds as { description: string }[])[0]?.description ?? '')
    .split('\n')
    .find((line) => line.startsWith('**1.**'));

describe('learning from the community', () => {
  it('a pinned uncertain answer answers a rewording, publicly, confident and labelled', async () => {
    expect(t.engine.answer(ASKED).uncertain, 'the question must start out uncertain').toBe(true);
    expect(t.engine.answer(REWORDED).uncertain).toBe(true);
    const answer = await posted(ASKED, guildA);
    expect(answer.content).toBe('These passages may answer it:');

    const refused = bodyOf(await press('Pin', answer, MEMBER, SEND_MESSAGES));
    expect(refused.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(await t.store.confirmations.list(guildA)).toEqual([]);

    const pinned = bodyOf(await press('Pin', answer, MODERATOR, MANAGE_MESSAGES));
    expect(pinned.data?.content).toMatch(/Pinned[\s\S]*confirmed answer/);
    expect(await t.store.confirmations.list(guildA)).toEqual([
      expect.objectContaining({ question: ASKED, how: 'pin', verdict: 'right' }),
    ]);

    const other = await posted(REWORDED, guildA, members[0]);
    expect(other.flags ?? 0).toBe(0);
    expect(other.content ?? '').toBe(''); // not "may answer it": confident
    expect(firstLine(other)).toBe(firstLine(answer));
    expect(footerOf(other)).toMatch(CONFIRMED_NOTE);
  });

  it('changes nothing in another server', async () => {
    const elsewhere = await posted(REWORDED, guildB, members[1]);
    expect(elsewhere.content).toBe('These passages may answer it:');
    expect(footerOf(elsewhere)).not.toMatch(CONFIRMED_NOTE);
    expect(await t.store.confirmations.list(guildB)).toEqual([]);
  });

  it('three members’ 👍 confirm an answer; a moderator’s 👎 takes it back', async () => {
    const question = 'how many prisoners were exchanged';
    const answer = await posted(question, guildB);
    for (const voter of members.slice(0, 2)) {
      await press('👍', answer, voter, SEND_MESSAGES);
    }
    expect(await t.store.confirmations.list(guildB)).toEqual([]); // two are not enough
    const third = bodyOf(await press('👍', answer, members[2]!, SEND_MESSAGES));
    expect(third.data?.content).toMatch(/confirmed answer/);
    expect(await t.store.confirmations.list(guildB)).toEqual([
      expect.objectContaining({ question, how: 'votes', verdict: 'right' }),
    ]);
    const reworded = await posted('how many prisoners did they exchange', guildB, members[3]);
    expect(footerOf(reworded)).toMatch(/✓ confirmed by this server's members/);

    const overruled = bodyOf(await press('👎', answer, MODERATOR, MANAGE_MESSAGES));
    expect(overruled.data?.content).toMatch(/marked wrong/);
    expect(await t.store.confirmations.list(guildB)).toEqual([
      expect.objectContaining({ question, verdict: 'wrong' }),
    ]);
    const after = await posted(question, guildB, members[3]);
    expect(firstLine(after)).not.toBe(firstLine(answer));
  });

  it('/answers teach and learned are for moderators; Forget is checked on press', async () => {
    const [item] = t.engine.sentencesQuoting('Fidan chaired the second meeting');
    const teach = (permissions: bigint) =>
      fake.sendInteraction(
        chatInput(
          'answers',
          [
            {
              name: 'teach',
              type: ApplicationCommandOptionType.Subcommand,
              options: [
                {
                  name: 'question',
                  type: ApplicationCommandOptionType.String,
                  value: 'who ran round two',
                },
                { name: 'answer', type: ApplicationCommandOptionType.String, value: item!.key },
              ],
            },
          ],
          { user: MODERATOR, permissions, guildId: guildA, channelId: channelOf(guildA) },
        ),
      );
    const refused = await finalReply(fake, await teach(SEND_MESSAGES));
    expect(refused?.content).toMatch(/Only members with/);
    const taught = await finalReply(
      fake,
      await teach(MANAGE_MESSAGES | PermissionFlagsBits.ManageGuild),
    );
    expect(taught?.content).toMatch(/✓ Taught \(#\d+\)/);

    const learned = await finalReply(
      fake,
      await fake.sendInteraction(
        chatInput('answers', [{ name: 'learned', type: ApplicationCommandOptionType.Subcommand }], {
          user: MODERATOR,
          permissions: MANAGE_MESSAGES,
          guildId: guildA,
          channelId: channelOf(guildA),
        }),
      ),
    );
    expect(learned?.content).toMatch(/2 confirmed answers/);
    expect(learned?.content).toMatch(/who ran round two/);
    const forget = learned?.components?.[0]?.components[0];
    expect(forget?.label).toMatch(/^Forget #\d+$/);
    const message = {
      id: snowflake(),
      channel_id: channelOf(guildA),
      guild_id: guildA,
      components: learned?.components,
    } as JsonObject;
    // /knowledge works slowly (it may rebuild the index): its buttons answer after a deferral.
    const denied = await finalReply(
      fake,
      await press(forget!.label, message, MEMBER, SEND_MESSAGES),
    );
    expect(denied?.content).toMatch(/Only members with/);
    expect(await t.store.confirmations.list(guildA)).toHaveLength(2);
    const done = await finalReply(
      fake,
      await press(forget!.label, message, MODERATOR, MANAGE_MESSAGES),
    );
    expect(done?.content).toMatch(/^Forgotten/);
    expect(await t.store.confirmations.list(guildA)).toHaveLength(1);
  });

  it('/answers gaps lists what members asked and got no answer to; teach offers those questions; learned counts what each answered', async () => {
    const asker = { ...MEMBER, id: '190000000000009001' };
    const ask = (question: string) =>
      fake.sendInteraction(
        askCommand(question, {
          user: asker,
          permissions: SEND_MESSAGES,
          guildId: guildB,
          channelId: channelOf(guildB),
        }),
      );
    for (const question of [
      'was there a third round of talks in july',
      'Was there a third round of talks in July?',
    ]) {
      const body = bodyOf(await ask(question));
      expect(body.data?.flags).toBe(MessageFlags.Ephemeral); // not found: only the asker sees it
    }
    const asModerator = {
      user: MODERATOR,
      permissions: MANAGE_MESSAGES,
      guildId: guildB,
      channelId: channelOf(guildB),
    };
    const gaps = await finalReply(
      fake,
      await fake.sendInteraction(
        chatInput(
          'answers',
          [{ name: 'gaps', type: ApplicationCommandOptionType.Subcommand }],
          asModerator,
        ),
      ),
    );
    expect(gaps?.content).toMatch(/third round of talks in July\?" — asked 2×, not found/);
    expect(gaps?.content).not.toMatch(new RegExp(asker.id));

    // The teach command's question box offers them.
    const offered = bodyOf(
      await fake.sendInteraction({
        type: InteractionType.ApplicationCommandAutocomplete,
        data: {
          name: 'answers',
          options: [
            {
              name: 'teach',
              type: ApplicationCommandOptionType.Subcommand,
              options: [
                {
                  name: 'question',
                  type: ApplicationCommandOptionType.String,
                  value: 'third',
                  focused: true,
                },
                { name: 'answer', type: ApplicationCommandOptionType.String, value: '' },
              ],
            },
          ],
        },
        user: MODERATOR,
        member: { permissions: MANAGE_MESSAGES.toString() },
        guild_id: guildB,
        channel_id: channelOf(guildB),
      } as never),
    );
    expect(offered.data?.choices?.map((c: { name: string }) => c.name)).toEqual([
      'Was there a third round of talks in July?',
    ]);

    // Forget clears a gap, checked on the member who presses.
    const message = {
      id: snowflake(),
      channel_id: channelOf(guildB),
      guild_id: guildB,
      components: gaps?.components,
    } as JsonObject;
    const done = await finalReply(
      fake,
      await press('Forget 1', message, MODERATOR, MANAGE_MESSAGES),
    );
    expect(done?.content).toMatch(/^Forgotten/);
    expect((await t.store.gaps.list(guildB)).map((g) => g.question)).not.toContain(
      'Was there a third round of talks in July?',
    );

    // A confirmation that answers a later question first says so in /answers learned.
    const [item] = t.engine.sentencesQuoting('Fidan chaired the second meeting');
    await t.store.confirmations.confirm({
      scope: guildB,
      question: 'who chaired meeting two',
      sentenceKey: item!.key,
      sentence: item!.text,
      verdict: 'right',
      how: 'teach',
    });
    await ask('who chaired meeting two?');
    await vi.waitFor(async () =>
      expect(
        (await t.store.confirmations.list(guildB)).find(
          (c) => c.question === 'who chaired meeting two',
        )?.answered,
      ).toBe(1),
    );
    const learned = await finalReply(
      fake,
      await fake.sendInteraction(
        chatInput(
          'answers',
          [{ name: 'learned', type: ApplicationCommandOptionType.Subcommand }],
          asModerator,
        ),
      ),
    );
    expect(learned?.content).toMatch(
      /who chaired meeting two.*answered 1 later question, last: "who chaired meeting two\?"/s,
    );
  });

  it('keeps what it learned across a restart', async () => {
    await t.stop();
    t = await startTestBot({ fake, dataDir });
    const again = await posted(REWORDED, guildA, members[3]);
    expect(footerOf(again)).toMatch(CONFIRMED_NOTE);
  });
});
