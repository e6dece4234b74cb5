/**
 * End to end: the real discord.js client, started by the project's own
 * startBot, answering interactions sent through the fake Discord.
 */
import { ApplicationCommandOptionType, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandModule } from '../../src/runtime/module.ts';
import { createRegistry, loadRegistry } from '../../src/runtime/registry.ts';
import {
  apiError,
  autocomplete,
  button,
  chatInput,
  DEFAULT_USER,
  type JsonObject,
} from '../fixtures/fake-discord.ts';
import { safeText } from '../../src/render/discord-markdown.ts';
import { askCommand, finalReply, bodyOf } from '../helpers/discord.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';

const MEMBER = {
  id: '190000000000000777',
  username: 'newcomer',
  discriminator: '0',
  global_name: 'Newcomer',
  avatar: null,
};

const ask = (question: string, otherOptions: JsonObject[] = []) =>
  askCommand(question, {}, otherOptions);

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.stop();
});

describe('the bot against a local Discord', () => {
  it('logs in and becomes ready as the fake bot user', () => {
    expect(t.bot.client.isReady()).toBe(true);
    expect(t.bot.client.user?.id).toBe(t.fake.botUser.id);
  });

  it('/ask replies publicly with an embed of cited sentences, buttons and no pings', async () => {
    const body = bodyOf(
      await t.fake.sendInteraction(ask('How many drones were smuggled into Russia?')),
    );
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data?.flags ?? 0).toBe(0);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    const embed = body.data?.embeds?.[0];
    expect(embed?.title).toContain('How many drones');
    expect(embed?.description).toMatch(/\*\*1\.\*\* .*117.*\[1\]/);
    expect(embed?.fields?.[0]).toEqual({
      name: 'Sources',
      value: expect.stringMatching(/^\[1\] \S/),
    });
    const labels = body.data?.components?.[0]?.components.map((c) => c.label);
    expect(labels).toEqual(['Show context', 'Sources', 'Pin', '👍', '👎']);
  });

  it('echoes the question with markdown escaped', async () => {
    const body = bodyOf(await t.fake.sendInteraction(ask('**who** chaired the _second_ meeting?')));
    expect(body.data?.embeds?.[0]?.title).toBe('\\*\\*who\\*\\* chaired the \\_second\\_ meeting?');
  });

  it('hide → the answer is ephemeral', async () => {
    const body = bodyOf(
      await t.fake.sendInteraction(
        ask('who led the russian delegation', [
          { name: 'hide', type: ApplicationCommandOptionType.Boolean, value: true },
        ]),
      ),
    );
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral);
    // Nobody else sees an ephemeral answer, so it cannot be pinned.
    expect(body.data?.components?.[0]?.components.map((c) => c.label)).not.toContain('Pin');
  });

  it('mention → names that member and allows pinging only them', async () => {
    const interaction = ask('how much damage did the drones cause', [
      { name: 'mention', type: ApplicationCommandOptionType.User, value: MEMBER.id },
    ]);
    interaction.data.resolved = { users: { [MEMBER.id]: MEMBER } };
    const body = bodyOf(await t.fake.sendInteraction(interaction));
    expect(body.data?.content).toContain(`<@${MEMBER.id}>`);
    expect(body.data?.allowed_mentions).toEqual({ parse: [], users: [MEMBER.id] });
  });

  it('autocomplete → up to 25 valid choices from the engine, the typed text first', async () => {
    const body = bodyOf(
      await t.fake.sendInteraction(autocomplete('ask', { question: 'prisoner exch' }, 'question')),
    );
    expect(body.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const choices = body.data?.choices ?? [];
    expect(choices.length).toBeGreaterThan(1);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]?.value).toBe('prisoner exch');
    expect(choices.map((c) => c.value)).toContain('prisoner exchange');
    for (const c of choices) {
      expect(c.name.length).toBeGreaterThanOrEqual(1);
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
  });

  it('previews answers while typing; picking one answers with that sentence first', async () => {
    const typed = 'how many drones were smuggled into ';
    const body = bodyOf(
      await t.fake.sendInteraction(autocomplete('ask', { question: typed }, 'question')),
    );
    const choices = body.data?.choices ?? [];
    expect(choices[0]?.value).toBe(typed.trim());
    // Previews: a sentence snippet as the name, its key (not the text) as the value.
    const preview = choices.find((c) => c.name !== c.value);
    expect(preview).toBeDefined();
    const picked = bodyOf(await t.fake.sendInteraction(ask(preview!.value)));
    expect(picked.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    // The preview shows the part of the sentence that answers; the answer starts with that sentence.
    const first = (picked.data?.embeds?.[0]?.description ?? '').split('\n')[0] ?? '';
    const shown = preview!.name.replace(/^…|…$/g, '').trim().split(' ').slice(0, 6).join(' ');
    expect(first.startsWith('**1.** ')).toBe(true);
    expect(first).toContain(safeText(shown));
  });

  it('does not call reports of different rounds a disagreement', async () => {
    // "16 May … 1,000 prisoners" is the first round, "June 2 … 1,000 prisoners" the second:
    // two events, not one fact dated two ways. (Same-event disagreements: disagreement.test.ts.)
    for (const question of [
      'when did the second round of talks happen',
      'how many prisoners were exchanged',
    ]) {
      const reply = await finalReply(t.fake, await t.fake.sendInteraction(ask(question)));
      const names = (reply?.embeds?.[0]?.fields ?? []).map((f) => f.name);
      expect(names, question).not.toContain('⚠️ Sources differ');
    }
  });

  it('stays silent about numbers when the articles agree', async () => {
    const body = bodyOf(
      await t.fake.sendInteraction(ask('how many drones were smuggled into russia')),
    );
    const names = (body.data?.embeds?.[0]?.fields ?? []).map((f) => f.name);
    expect(names).toEqual(['Sources']);
  });

  it('treats a sentence key that no longer exists as the text it is', async () => {
    const body = bodyOf(await t.fake.sendInteraction(ask('Zq9_staleKey')));
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral); // not found, privately
  });

  it('free text that was not picked from autocomplete is answered too', async () => {
    const body = bodyOf(
      await t.fake.sendInteraction(ask('zelenskyy putin erdogan summit istanbul ankara')),
    );
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data?.embeds?.length).toBe(1);
  });

  it('Show context and Sources buttons answer ephemerally with the passage and the citations', async () => {
    const answer = bodyOf(await t.fake.sendInteraction(ask('who chaired the second meeting')));
    const [contextId, sourcesId] = answer.data!.components![0]!.components.map((c) => c.custom_id);
    const message = {
      embeds: answer.data!.embeds,
      components: answer.data!.components,
    } as JsonObject;

    const context = bodyOf(await t.fake.sendInteraction(button(contextId!, message)));
    expect(context.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(context.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(context.data?.embeds?.[0]?.description).toMatch(
      /\*\*As he did for the first, Fidan chaired/,
    );

    const sources = bodyOf(await t.fake.sendInteraction(button(sourcesId!, message)));
    expect(sources.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(sources.data?.embeds?.[0]?.title).toBe('Sources');
    expect(sources.data?.embeds?.[0]?.fields?.[0]?.value).toMatch(
      /Russia-Ukraine talks in the shadow/,
    );
  });

  it('an off-topic question gets an ephemeral "not in the articles"', async () => {
    const body = bodyOf(await t.fake.sendInteraction(ask('how do i center a div in css')));
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data?.content).toMatch(/couldn't find that in the articles/);
    expect(body.data?.embeds ?? []).toEqual([]);
  });

  it('not found with related questions → a button per question that shows its answer', async () => {
    // The first of these (rounds the talks never had, facts the articles lack) that the
    // engine finds no answer to but offers related questions for; which one depends on
    // the fitted model.
    const question = [
      'what happened at the fourth round',
      'did they agree anything at the third round',
      'was there a fourth round of talks',
      'how old is umerov',
    ].find((q) => {
      const answer = t.engine.answer(q);
      return !answer.answered && (answer.suggestions ?? []).length > 0;
    });
    expect(question, 'none of the questions is "not found" with related questions').toBeDefined();
    const suggestions = t.engine.answer(question!).suggestions!;

    const body = bodyOf(await t.fake.sendInteraction(ask(question!)));
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data?.content).toMatch(/couldn't find that in the articles/);
    expect(body.data?.embeds ?? []).toEqual([]);
    const buttons = body.data?.components?.flatMap((row) => row.components) ?? [];
    expect(buttons.map((b) => b.custom_id)).toEqual(suggestions.map((s) => `ask:suggest:${s.key}`));
    expect(buttons.map((b) => b.label)).toEqual(suggestions.map((s) => s.question));
    for (const { question: asked } of suggestions) {
      expect(asked).toMatch(/^What do the articles say about (?:the |[A-Z0-9]).+\?$/);
    }

    // Pressing one shows the sentence it was made from, first, citing its article.
    const pressed = buttons[0]!;
    const message = {
      content: body.data!.content,
      components: body.data!.components,
      flags: MessageFlags.Ephemeral,
    } as JsonObject;
    const reply = bodyOf(await t.fake.sendInteraction(button(pressed.custom_id, message)));
    expect(reply.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const embed = reply.data?.embeds?.[0];
    const [first] = t.engine.explain([suggestions[0]!.key]);
    expect(embed?.description).toContain(safeText(first!.text).slice(0, 60));
    expect(embed?.description).toMatch(/\*\*1\.\*\* .+\[1\]/);
    const titles = t.engine.articles.map((a) => a.title);
    const cited = /^\[1\] (.+)$/m.exec(
      embed?.fields?.find((f) => f.name === 'Sources')?.value ?? '',
    );
    expect(cited, 'the reply cites a source').not.toBeNull();
    expect(titles.some((title) => cited![1]!.includes(title))).toBe(true);
  });

  it('/sources, /source and /help answer ephemerally', async () => {
    const sources = bodyOf(await t.fake.sendInteraction(chatInput('sources')));
    expect(sources.data?.embeds?.[0]?.description).toMatch(/sentences/);
    const id = t.engine.articles[0]!.id;
    const source = bodyOf(await t.fake.sendInteraction(chatInput('source', { article: id })));
    expect(source.data?.embeds?.[0]?.title).toBe(t.engine.articles[0]!.title);
    const help = bodyOf(await t.fake.sendInteraction(chatInput('help')));
    expect(help.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(help.data?.content).toMatch(/\/ask/);
  });

  it('an unknown command and an expired button get a polite ephemeral note', async () => {
    const unknown = bodyOf(await t.fake.sendInteraction(chatInput('retired-command')));
    expect(unknown.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(unknown.data?.content).toMatch(/don't know that command/);
    const expired = bodyOf(await t.fake.sendInteraction(button('ask:context:nokey.gone')));
    expect(expired.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(expired.data?.content).toMatch(/changed since it was posted|expired/);
    const foreign = bodyOf(await t.fake.sendInteraction(button('something-else')));
    expect(foreign.data?.content).toMatch(/expired/);
  });

  it.each([500, 404])(
    'a REST %i on the callback is logged and the next interaction is still answered',
    async (status) => {
      const failing =
        status === 500
          ? apiError(500, 0, 'Internal Server Error')
          : apiError(404, 10062, 'Unknown interaction');
      t.fake.setResponder('POST', /^\/interactions\/\d+\/[^/]+\/callback$/, failing, { times: 1 });
      const before = t.logs.length;
      await t.fake.sendInteraction(ask('who is medinsky')).catch(() => undefined);
      await expect
        .poll(() => t.logs.slice(before).find((l) => l.msg === 'Interaction failed'))
        .toBeTruthy();
      const line = t.logs.slice(before).find((l) => l.msg === 'Interaction failed')!;
      expect(line).toMatchObject({
        command: 'ask',
        interactionId: expect.any(String),
        ref: expect.any(String),
      });

      const next = bodyOf(await t.fake.sendInteraction(ask('who is medinsky')));
      expect(next.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(t.bot.client.isReady()).toBe(true);
    },
  );
});

describe('a failing command', () => {
  let failing: TestBot;
  beforeAll(async () => {
    const broken: CommandModule = {
      definition: { name: 'broken', description: 'Always fails' },
      execute: () => {
        throw new Error('boom');
      },
    };
    failing = await startTestBot({
      registry: createRegistry([...(await loadRegistry()).all, broken]),
    });
  });
  afterAll(async () => {
    await failing?.stop();
  });

  it('tells the member with a reference id that is also in the error log line', async () => {
    const body = bodyOf(
      await failing.fake.sendInteraction(chatInput('broken', {}, { user: DEFAULT_USER })),
    );
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral);
    const reference = /`([0-9a-f]{8})`/.exec(body.data?.content ?? '')?.[1];
    expect(reference).toBeDefined();
    const line = failing.logs.find((l) => l.msg === 'Interaction failed');
    expect(line).toMatchObject({
      ref: reference,
      command: 'broken',
      latencyMs: expect.any(Number),
    });
    expect((line?.err as { message?: string })?.message).toBe('boom');
    // …and the bot keeps serving.
    expect(bodyOf(await failing.fake.sendInteraction(chatInput('help'))).type).toBe(
      InteractionResponseType.ChannelMessageWithSource,
    );
  });
});

describe('fake Discord routes', () => {
  it('saw no request the fake does not know', () => {
    expect(t.fake.unmatched.map((r) => `${r.method} ${r.route}`)).toEqual([]);
  });
});
