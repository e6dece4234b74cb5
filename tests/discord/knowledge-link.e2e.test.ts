/**
 * /knowledge add url: end to end: the real client against the fake Discord,
 * the page served by a local web server (allowed through LINK_ALLOWED_HOSTS).
 */
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, chatInput, type JsonObject } from '../fixtures/fake-discord.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { askCommand, bodyOf, finalReply, MEMBER, MODERATOR } from '../helpers/discord.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';
import { html, newsPage, RIYADH_STORY, servePages, type Served } from '../helpers/pages.ts';

describe('/knowledge add url: through Discord', () => {
  let t: TestBot;
  let site: Served;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'talks-bot-knowledge-link-'));
    cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
    site = await servePages({
      '/riyadh': html(newsPage(RIYADH_STORY)),
    });
    t = await startTestBot({ knowledgeDir: dir, env: { LINK_ALLOWED_HOSTS: site.host } });
  });
  afterAll(async () => {
    await t?.stop();
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const addUrl = (url: string) =>
    chatInput(
      'knowledge',
      [
        {
          name: 'add',
          type: ApplicationCommandOptionType.Subcommand,
          options: [{ name: 'url', type: ApplicationCommandOptionType.String, value: url }],
        },
      ],
      { user: MODERATOR, permissions: PermissionFlagsBits.ManageGuild },
    );

  it('previews privately, then Add saves it and it answers at once', async () => {
    const before = readdirSync(dir);
    const preview = await finalReply(
      t.fake,
      await t.fake.sendInteraction(addUrl(`${site.origin}/riyadh`)),
    );
    expect(preview?.content).toMatch(/Add this article\?/);
    expect(preview?.content).toContain('2025-07-06 · Gulf Wire');
    expect(preview?.content).toContain('3 sentences to answer from');
    const buttons = preview?.components?.[0]?.components ?? [];
    expect(buttons.map((b) => b.label)).toEqual(['Add', 'Cancel']);
    expect(readdirSync(dir)).toEqual(before);

    const message = { content: preview?.content, components: preview?.components } as JsonObject;
    // Add re-indexes, so its presses are acknowledged first (deferred) and answered after.
    const byMember = await finalReply(
      t.fake,
      await t.fake.sendInteraction(
        button(buttons[0]!.custom_id, message, {
          user: MEMBER,
          permissions: PermissionFlagsBits.SendMessages,
        }),
      ),
    );
    expect(byMember?.content).toMatch(/Manage Server/);
    expect(readdirSync(dir)).toEqual(before);

    const pressed = await t.fake.sendInteraction(
      button(buttons[0]!.custom_id, message, {
        user: MODERATOR,
        permissions: PermissionFlagsBits.ManageGuild,
      }),
    );
    expect(bodyOf(pressed).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(bodyOf(pressed).data?.flags).toBe(MessageFlags.Ephemeral);
    const added = await finalReply(t.fake, pressed);
    expect(added?.content).toMatch(/Added "Energy ceasefire talks open in Riyadh"/);
    // Named after its title (a hash is appended only when that id is taken).
    expect(readdirSync(dir).filter((f) => !before.includes(f))).toEqual([
      'energy-ceasefire-talks-open-in-riyadh.md',
    ]);

    const answer = bodyOf(
      await t.fake.sendInteraction(
        askCommand('how many power plants would the energy ceasefire protect'),
      ),
    );
    expect(answer.data?.embeds?.[0]?.description).toMatch(/14(?:\*\*)? power plants/);
  });

  it('refuses a private address with the reason', async () => {
    const reply = await finalReply(
      t.fake,
      await t.fake.sendInteraction(addUrl('http://169.254.169.254/latest/meta-data/')),
    );
    expect(reply?.content).toMatch(/link-local/);
    expect(reply?.components ?? []).toEqual([]);
  });
});
