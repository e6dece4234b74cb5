/**
 * /knowledge add|list|remove|reload (Manage Server): change the articles the
 * bot answers from, without a restart. A failed change leaves the running
 * answers and the files exactly as they were.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  bold,
  InteractionContextType,
  PermissionFlagsBits,
} from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/command/module.ts';
import { MAX_UPLOAD_BYTES, type ChangeResult } from '../src/engine/library.ts';
import { memberHas } from '../src/command/member-permissions.ts';
import { privateNotice } from '../src/command/reply.ts';
import { clip, truncate } from '../src/render/clip.ts';
import { safeText } from '../src/render/discord-markdown.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'knowledge',
  description: 'Manage the articles I answer from',
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: `Add an article: a .md or .txt file with front matter (max ${MAX_UPLOAD_BYTES / 1024} KiB)`,
      options: [
        {
          type: ApplicationCommandOptionType.Attachment,
          name: 'file',
          description: 'The article file (format: knowledge/README.md)',
          required: true,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'list',
      description: 'List the articles',
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Remove an article',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'article',
          description: 'Start typing its title',
          required: true,
          autocomplete: true,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'reload',
      description: 'Pick up article files changed on disk',
    },
  ],
} as const satisfies CommandDefinition;

function describe(result: ChangeResult, what: string): string {
  if (!result.ok) {
    return [
      `${what} failed; nothing changed. Problems:`,
      ...result.problems.map((p) => `• ${p}`),
    ].join('\n');
  }
  const lines = [`✅ ${result.message}`];
  if (result.warnings.length > 0) {
    lines.push(
      'Skipped files (fix them and /knowledge reload):',
      ...result.warnings.map((w) => `• ${w}`),
    );
  }
  return lines.join('\n');
}

export const command = defineCommand(definition, {
  slow: true,
  async execute(invocation, { library, engine, logger }) {
    if (!memberHas(invocation, PermissionFlagsBits.ManageGuild)) {
      return privateNotice(`Only members with ${bold('Manage Server')} can change the articles.`);
    }
    if (!library) return privateNotice('The knowledge folder cannot be changed from here.');
    const { args } = invocation;
    switch (args.subcommand?.()) {
      case 'list': {
        const lines = engine().articles.map(
          (a) =>
            `• ${safeText(a.id)} — ${safeText(clip(a.title, 120))} (${a.sentenceCount} sentences)`,
        );
        return privateNotice([bold(`${lines.length} articles`), ...lines].join('\n'));
      }
      case 'reload':
        return privateNotice(describe(await library.reload(), 'Reload'));
      case 'remove': {
        const result = await library.remove(args.string('article') ?? '');
        logger.info({ ok: result.ok, userId: invocation.userId }, 'Knowledge remove');
        return privateNotice(describe(result, 'Removing the article'));
      }
      case 'add': {
        const file = args.attachment?.('file');
        if (!file || !invocation.discord) return privateNotice('Attach the article file.');
        const problems: string[] = [];
        if (file.size > MAX_UPLOAD_BYTES) {
          problems.push(
            `is ${Math.ceil(file.size / 1024)} KiB; the limit is ${MAX_UPLOAD_BYTES / 1024} KiB`,
          );
        }
        if (problems.length > 0)
          return privateNotice(describe({ ok: false, problems }, 'Adding the article'));
        let bytes: Uint8Array;
        try {
          bytes = await invocation.discord.download(file.url, MAX_UPLOAD_BYTES);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return privateNotice(
            describe(
              { ok: false, problems: [`could not be downloaded (${reason})`] },
              'Adding the article',
            ),
          );
        }
        const result = await library.add({ fileName: file.name, bytes });
        logger.info({ ok: result.ok, file: file.name, userId: invocation.userId }, 'Knowledge add');
        return privateNotice(describe(result, 'Adding the article'));
      }
      default:
        return privateNotice('Use /knowledge add, list, remove or reload.');
    }
  },
  autocomplete({ value }, { engine }) {
    const wanted = value.toLowerCase();
    return engine()
      .articles.filter((a) => a.title.toLowerCase().includes(wanted) || a.id.includes(wanted))
      .slice(0, 25)
      .map((a) => ({ name: clip(a.title, 100), value: truncate(a.id, 100) }));
  },
});
