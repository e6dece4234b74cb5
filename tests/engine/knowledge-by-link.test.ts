/** /knowledge add url: through the command module itself (no Discord): preview, Add, Cancel. */
import { PermissionFlagsBits } from 'discord.js';
import pino from 'pino';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../commands/knowledge.ts';
import type { ArgsByName, CommandContext, Invocation } from '../../src/runtime/module.ts';
import { parseButtonId } from '../../src/runtime/button-id.ts';
import type { Reply } from '../../src/runtime/reply.ts';
import { createPendingStore } from '../../src/runtime/pending.ts';
import { loadConfig } from '../../src/config.ts';
import { createLibrary, type KnowledgeLibrary } from '../../src/engine/library.ts';
import { renderReply } from '../../src/render/discord.ts';
import { openTestEngine, tempKnowledge, type TempKnowledge } from '../helpers/knowledge.ts';
import { html, newsPage, servePages, type Served } from '../helpers/pages.ts';

const PAGE = {
  title: 'Prisoner exchange completed at the Belarus border',
  paragraphs: [
    'The prisoner exchange agreed in Istanbul was completed at the Belarus border on Monday.',
    'Each side released 390 prisoners in the exchange, the defence ministries of both countries said.',
    'Families waited at the border for hours before the buses carrying the prisoners arrived.',
    'Further prisoner exchanges are planned for the coming weeks, according to the Istanbul agreement.',
  ],
};
const MODERATOR = PermissionFlagsBits.ManageGuild;

function args(values: { sub?: string; url?: string; article?: string }): ArgsByName {
  return {
    string: (name) =>
      name === 'url' ? values.url : name === 'article' ? values.article : undefined,
    boolean: () => undefined,
    user: () => undefined,
    channel: () => undefined,
    attachment: () => undefined,
    subcommand: () => values.sub,
  };
}

const invocation = (a: ArgsByName, permissions: bigint = MODERATOR): Invocation => ({
  args: a,
  userId: '100000000000000001',
  memberPermissions: permissions,
});
const press = (a: ArgsByName, permissions: bigint = MODERATOR) => invocation(a, permissions);

function textOf(reply: Reply): string {
  expect(reply.kind).toBe('notice');
  return reply.kind === 'notice' ? reply.text : '';
}

describe('/knowledge add url:', () => {
  let folder: TempKnowledge;
  let site: Served;
  let library: KnowledgeLibrary;
  let context: CommandContext;

  beforeAll(async () => {
    folder = tempKnowledge({ withRealArticles: true });
    site = await servePages({
      '/exchange': html(
        newsPage({ ...PAGE, siteName: 'Border Post', published: '2025-06-09T07:00:00Z' }),
      ),
    });
    library = createLibrary(folder.dir, await openTestEngine(folder.dir));
    context = {
      engine: () => library.current(),
      config: loadConfig({ LINK_ALLOWED_HOSTS: site.host, KNOWLEDGE_DIR: folder.dir }),
      logger: pino({ level: 'silent' }),
      commands: () => [],
      library,
    };
  });
  afterAll(async () => {
    await site.close();
    folder.remove();
  });

  const preview = async () => {
    const reply = await command.execute(
      invocation(args({ sub: 'add', url: `${site.origin}/exchange` })),
      context,
    );
    expect(reply.kind === 'notice' && reply.hidden).toBe(true);
    const buttons = reply.kind === 'notice' ? (reply.buttons ?? []) : [];
    const ids = buttons.map((b) => parseButtonId(b.customId)!);
    return { reply, buttons, ids };
  };

  it('shows a private preview with Add and Cancel, saving nothing yet', async () => {
    const before = readdirSync(folder.dir).sort();
    const { reply, buttons, ids } = await preview();
    const text = textOf(reply);
    expect(text).toContain(PAGE.title);
    expect(text).toContain('2025-06-09 · Border Post');
    expect(text).toContain('4 sentences to answer from');
    expect(text).toContain(`> ${PAGE.paragraphs[0]}`);
    expect(text).toContain(`> ${PAGE.paragraphs[2]}`);
    expect(text).not.toContain(PAGE.paragraphs[3]);
    expect(buttons.map((b) => b.label)).toEqual(['Add', 'Cancel']);
    expect(ids.map((id) => [id.command, id.button])).toEqual([
      ['knowledge', 'add'],
      ['knowledge', 'cancel'],
    ]);
    for (const b of buttons) expect(b.customId.length).toBeLessThanOrEqual(100);
    expect(readdirSync(folder.dir).sort()).toEqual(before);
    // Discord gets the buttons, privately.
    const payload = renderReply(reply);
    expect(payload.components).toHaveLength(1);
    expect(payload.flags).toBeDefined();
  });

  it('Cancel discards the preview; its Add button then has expired', async () => {
    const { ids } = await preview();
    const before = readdirSync(folder.dir).sort();
    expect(
      textOf(await command.buttons!.cancel!(ids[1]!.payload, press(args({})), context)),
    ).toMatch(/Cancelled; nothing was added/);
    expect(textOf(await command.buttons!.add!(ids[0]!.payload, press(args({})), context))).toMatch(
      /expired or was already used/,
    );
    expect(readdirSync(folder.dir).sort()).toEqual(before);
  });

  it('only Manage Server may press Add, and the refusal does not use the preview up', async () => {
    const { ids } = await preview();
    const refused = await command.buttons!.add!(ids[0]!.payload, press(args({}), 0n), context);
    expect(textOf(refused)).toMatch(/Only members with \*\*Manage Server\*\*/);
    expect(
      textOf(await command.buttons!.cancel!(ids[1]!.payload, press(args({}), 0n), context)),
    ).toMatch(/Only members/);
    expect(
      textOf(await command.buttons!.cancel!(ids[1]!.payload, press(args({})), context)),
    ).toMatch(/Cancelled/);
  });

  it('Add saves the article and it answers at once; the same link is then refused by name', async () => {
    const { ids } = await preview();
    const added = textOf(await command.buttons!.add!(ids[0]!.payload, press(args({})), context));
    expect(added).toMatch(
      /✅ Added "Prisoner exchange completed at the Belarus border" as prisoner-exchange-/,
    );
    const file = readdirSync(folder.dir).find((f) => f.startsWith('prisoner-exchange-'))!;
    expect(readFileSync(join(folder.dir, file), 'utf8')).toMatch(
      /^---\ntitle: Prisoner exchange completed at the Belarus border\npublished: 2025-06-09\npublisher: Border Post\nurl: http:\/\/127\.0\.0\.1:\d+\/exchange\n---\n/,
    );
    const answer = library
      .current()
      .answer('how many prisoners did each side release at the border');
    expect(answer.answers[0]?.text).toMatch(/390 prisoners/);
    // A double click finds nothing to add.
    expect(textOf(await command.buttons!.add!(ids[0]!.payload, press(args({})), context))).toMatch(
      /expired/,
    );
    const again = textOf(
      await command.execute(
        invocation(args({ sub: 'add', url: `${site.origin}/exchange` })),
        context,
      ),
    );
    expect(again).toMatch(
      /failed; nothing changed[\s\S]*"Prisoner exchange completed at the Belarus border" \(prisoner-exchange-/,
    );
  });

  it('refuses with the reason: private addresses, other schemes, non-moderators', async () => {
    const closed = { ...context, config: loadConfig({}) };
    const local = await command.execute(
      invocation(args({ sub: 'add', url: `${site.origin}/exchange` })),
      closed,
    );
    expect(textOf(local)).toMatch(/loopback/);
    const ftp = await command.execute(
      invocation(args({ sub: 'add', url: 'ftp://x.example/a' })),
      context,
    );
    expect(textOf(ftp)).toMatch(/only http and https/);
    const member = await command.execute(
      invocation(args({ sub: 'add', url: `${site.origin}/exchange` }), 0n),
      context,
    );
    expect(textOf(member)).toMatch(/Only members/);
    const nothing = await command.execute(invocation(args({ sub: 'add' })), context);
    expect(textOf(nothing)).toMatch(/`url:` a web page, or `file:`/);
  });
});

describe('pending previews', () => {
  it('expire, are taken once, and stay bounded', () => {
    let time = 0;
    const store = createPendingStore<string>({ ttlMs: 1000, max: 3, now: () => time });
    const a = store.put('a');
    expect(a).toMatch(/^[\w-]{11}$/);
    expect(store.peek(a)).toBe('a');
    time = 1000;
    expect(store.take(a)).toBeUndefined();
    const ids = ['b', 'c', 'd', 'e'].map((v) => store.put(v));
    expect(store.peek(ids[0]!)).toBeUndefined(); // the oldest made room
    expect(store.take(ids[3]!)).toBe('e');
    expect(store.take(ids[3]!)).toBeUndefined();
  });
});
