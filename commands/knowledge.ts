/**
 * /knowledge add|list|remove|reload (Manage Server): change the articles the
 * bot answers from, without a restart. A failed change leaves the running
 * answers and the files exactly as they were.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandModule } from '../src/commands.ts';
import { MAX_UPLOAD_BYTES, type ChangeResult } from '../src/library.ts';
import { memberHas, privateNote } from '../src/moderation.ts';
import { clip, safeText, truncate } from '../src/text.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'knowledge',
  description: 'Manage the articles I answer from',
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  contexts: [0],
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
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

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

export const command: CommandModule = {
  definition,
  slow: true,
  async execute(invocation, { library, engine, logger }) {
    if (!memberHas(invocation, PermissionFlagsBits.ManageGuild)) {
      return privateNote('Only members with **Manage Server** can change the articles.');
    }
    if (!library) return privateNote('The knowledge folder cannot be changed from here.');
    const { args } = invocation;
    switch (args.subcommand?.()) {
      case 'list': {
        const lines = engine().articles.map(
          (a) =>
            `• ${safeText(a.id)} — ${safeText(clip(a.title, 120))} (${a.sentenceCount} sentences)`,
        );
        return privateNote([`**${lines.length} articles**`, ...lines].join('\n'));
      }
      case 'reload':
        return privateNote(describe(await library.reload(), 'Reload'));
      case 'remove': {
        const result = await library.remove(args.string('article') ?? '');
        logger.info({ ok: result.ok, userId: invocation.userId }, 'Knowledge remove');
        return privateNote(describe(result, 'Removing the article'));
      }
      case 'add': {
        const file = args.attachment?.('file');
        if (!file || !invocation.discord) return privateNote('Attach the article file.');
        const problems: string[] = [];
        if (file.size > MAX_UPLOAD_BYTES) {
          problems.push(
            `is ${Math.ceil(file.size / 1024)} KiB; the limit is ${MAX_UPLOAD_BYTES / 1024} KiB`,
          );
        }
        if (problems.length > 0)
          return privateNote(describe({ ok: false, problems }, 'Adding the article'));
        let bytes: Uint8Array;
        try {
          bytes = await invocation.discord.download(file.url, MAX_UPLOAD_BYTES);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return privateNote(
            describe(
              { ok: false, problems: [`could not be downloaded (${reason})`] },
              'Adding the article',
            ),
          );
        }
        const result = await library.add({ fileName: file.name, bytes });
        logger.info({ ok: result.ok, file: file.name, userId: invocation.userId }, 'Knowledge add');
        return privateNote(describe(result, 'Adding the article'));
      }
      default:
        return privateNote('Use /knowledge add, list, remove or reload.');
    }
  },
  autocomplete({ value }, { engine }) {
    const wanted = value.toLowerCase();
    return engine()
      .articles.filter((a) => a.title.toLowerCase().includes(wanted) || a.id.includes(wanted))
      .slice(0, 25)
      .map((a) => ({ name: clip(a.title, 100), value: truncate(a.id, 100) }));
  },
};
