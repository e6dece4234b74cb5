/**
 * /knowledge add|list|remove|reload (Manage Server): change the articles the
 * bot answers from, without a restart. A failed change leaves the running
 * answers and the files exactly as they were. /knowledge teach|learned
 * (Manage Messages): confirm the sentence that answers a question, list and
 * forget what the server confirmed.
 */
import { createHash } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  hideLinkEmbed,
  ApplicationCommandType,
  bold,
  InteractionContextType,
  PermissionFlagsBits,
} from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/command/module.ts';
import { buttonId } from '../src/command/button-id.ts';
import type { Invocation, CommandContext } from '../src/command/module.ts';
import { createPendingStore } from '../src/command/pending.ts';
import type { Reply } from '../src/command/reply.ts';
import { duplicateProblems, previewLink, type ArticlePreview } from '../src/engine/import-link.ts';
import { MAX_UPLOAD_BYTES, type ChangeResult } from '../src/engine/library.ts';
import { memberHas } from '../src/command/member-permissions.ts';
import { privateNotice } from '../src/command/reply.ts';
import { clip, truncate } from '../src/render/clip.ts';
import { safeText } from '../src/render/discord-markdown.ts';
import { isModerator, scopeOf } from '../src/command/learning.ts';
import { describeHow, describeUse, learnedEntries, teach } from '../src/command/teaching.ts';
import { GAP_DAYS } from '../src/store/store.ts';
import { MAX_QUESTION_LENGTH } from '../src/search/answer/options.ts';

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
      description: `Add an article: a web page's link, or a .md/.txt file with front matter (max ${MAX_UPLOAD_BYTES / 1024} KiB)`,
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'url',
          description:
            "The article's web address (https://…): you see a preview before it is added",
          max_length: 2000,
        },
        {
          type: ApplicationCommandOptionType.Attachment,
          name: 'file',
          description: 'Or the article file (format: knowledge/README.md)',
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
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'teach',
      description: 'Confirm the sentence that answers a question, for every way of asking it',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'question',
          description: 'The question, as members ask it (recent unanswered ones are offered)',
          required: true,
          max_length: MAX_QUESTION_LENGTH,
          autocomplete: true,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'answer',
          description: 'Start typing the answer and pick the sentence (or quote it)',
          required: true,
          autocomplete: true,
          max_length: MAX_QUESTION_LENGTH,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'learned',
      description: 'The answers this server confirmed, with buttons to forget them',
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'gaps',
      description: "Members' recent questions that got no answer or an unsure one: what to teach",
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

/** Previews waiting for Add or Cancel; the buttons carry only the id. */
const previews = createPendingStore<ArticlePreview>({ ttlMs: 15 * 60_000 });
const ONLY_MODERATORS = `Only members with ${bold('Manage Server')} can change the articles.`;

/** What the moderator sees before choosing: title, date, publisher, size, first sentences. */
function previewText(preview: ArticlePreview): string {
  const { article, sentences } = preview;
  const facts = [
    article.published ?? 'no date stated',
    article.publisher !== undefined
      ? safeText(clip(article.publisher, 100))
      : 'no publisher stated',
  ];
  const lines = [
    bold('Add this article?'),
    bold(safeText(clip(article.title, 300))),
    facts.join(' · '),
    ...(article.url !== undefined ? [hideLinkEmbed(article.url)] : []),
    `${sentences.length} sentences to answer from. It begins:`,
    ...sentences.slice(0, 3).map((s) => `> ${safeText(clip(s, 300))}`),
    'Nothing is saved until you press Add. This preview expires in 15 minutes.',
  ];
  return lines.join('\n');
}

async function addByLink(
  link: string,
  invocation: Invocation,
  { library, config, logger }: CommandContext,
): Promise<Reply> {
  if (!library) return privateNotice('The knowledge folder cannot be changed from here.');
  const result = await previewLink(link, library.dir, library.current(), {
    allowedHosts: config.linkAllowedHosts,
  });
  logger.info({ ok: result.ok, userId: invocation.userId }, 'Knowledge preview by link');
  if (!result.ok) return privateNotice(describe(result, `Adding ${safeText(link)}`));
  const id = previews.put(result.preview);
  return privateNotice(previewText(result.preview), [
    { label: 'Add', customId: buttonId('knowledge', 'add', id) },
    { label: 'Cancel', customId: buttonId('knowledge', 'cancel', id) },
  ]);
}

const EXPIRED_PREVIEW = privateNotice(
  'This preview has expired or was already used; nothing was added. Run `/knowledge add url:` again.',
);

/** At most this many confirmations are listed, newest first, each with a Forget button. */
const LEARNED_SHOWN = 20;
const ONLY_ANSWER_MODERATORS = `Only moderators (${bold('Manage Messages')}) can confirm or forget answers.`;

async function teachHere(invocation: Invocation, context: CommandContext): Promise<Reply> {
  const { store } = context;
  const scope = scopeOf(invocation, context);
  if (!store || scope === undefined) return privateNotice('Answers are confirmed in servers only.');
  const { args } = invocation;
  const outcome = await teach(
    { engine: context.engine(), store },
    {
      scope,
      question: args.string('question') ?? '',
      answer: args.string('answer') ?? '',
      byUserId: invocation.userId,
      ...(invocation.userName !== undefined && { byName: invocation.userName }),
    },
  );
  if (!outcome.ok) {
    const choices = (outcome.choices ?? []).map((item) => `• ${safeText(clip(item.text, 200))}`);
    return privateNotice(
      [`Nothing was taught: ${safeText(outcome.problem)}.`, ...choices].join('\n') +
        (choices.length > 0 ? '\nPick one from the list as you type the answer.' : ''),
    );
  }
  context.logger.info(
    { scope, confirmationId: outcome.id, sentenceKey: outcome.item.key, userId: invocation.userId },
    'Answer taught',
  );
  return privateNotice(
    `✓ Taught (#${outcome.id}): "${safeText(clip(args.string('question') ?? '', 200))}" is answered by "${safeText(clip(outcome.item.text, 300))}", also when asked in other words. /knowledge learned lists what this server confirmed.`,
  );
}

async function learnedHere(invocation: Invocation, context: CommandContext): Promise<Reply> {
  const { store } = context;
  const scope = scopeOf(invocation, context);
  if (!store || scope === undefined) return privateNotice('Answers are confirmed in servers only.');
  const entries = (await learnedEntries(context.engine(), store, scope)).reverse();
  if (entries.length === 0) {
    return privateNotice(
      'No confirmed answers yet. A moderator pinning an answer, /knowledge teach, or enough 👍 from members confirm one.',
    );
  }
  const shown = entries.slice(0, LEARNED_SHOWN);
  const lines = shown.map(
    ({ confirmation: c, stale }) =>
      `${bold(`#${c.id}`)} "${safeText(clip(c.question, 120))}" → "${safeText(clip(c.sentence, 160))}" (${safeText(describeHow(c))}) · ${safeText(describeUse(c))}${stale ? ' — stale: the articles no longer hold this sentence' : ''}`,
  );
  if (entries.length > shown.length) {
    lines.push(`…and ${entries.length - shown.length} older ones.`);
  }
  return privateNotice(
    [bold(`${entries.length} confirmed answers`), ...lines].join('\n'),
    shown.map(({ confirmation: c }) => ({
      label: `Forget #${c.id}`,
      customId: buttonId('knowledge', 'forget', String(c.id)),
    })),
  );
}

/** At most this many gaps are listed, most asked first, each with a Forget button. */
const GAPS_SHOWN = 15;

/** A gap's button payload: its key, hashed to fit a custom id. */
const gapId = (key: string) => createHash('sha1').update(key).digest('base64url').slice(0, 12);

async function gapsHere(invocation: Invocation, context: CommandContext): Promise<Reply> {
  const { store } = context;
  const scope = scopeOf(invocation, context);
  if (!store || scope === undefined) return privateNotice('Questions are kept in servers only.');
  const gaps = await store.gaps.list(scope, GAPS_SHOWN);
  if (gaps.length === 0) {
    return privateNotice(
      `No unanswered questions in the last ${GAP_DAYS} days. When members ask something the articles do not answer well, it is listed here to teach with /knowledge teach.`,
    );
  }
  const lines = gaps.map(
    (gap, i) =>
      `${bold(`${i + 1}.`)} "${safeText(clip(gap.question, 150))}" — asked ${gap.asked}×, ${gap.outcome === 'not-found' ? 'not found' : `shown "${safeText(clip(gap.shown ?? '', 120))}"`}`,
  );
  return privateNotice(
    [
      bold('Questions members asked that got no answer or an unsure one'),
      ...lines,
      'Teach one with /knowledge teach (its question box offers these).',
    ].join('\n'),
    gaps.slice(0, 5).map((gap, i) => ({
      label: `Forget ${i + 1}`,
      customId: buttonId('knowledge', 'forgetGap', gapId(gap.key)),
    })),
  );
}

export const command = defineCommand(definition, {
  slow: true,
  async execute(invocation, context) {
    const { library, engine, logger } = context;
    const subcommand = invocation.args.subcommand?.();
    if (subcommand === 'teach' || subcommand === 'learned' || subcommand === 'gaps') {
      if (!isModerator(invocation)) return privateNotice(ONLY_ANSWER_MODERATORS);
      if (subcommand === 'teach') return teachHere(invocation, context);
      return subcommand === 'learned'
        ? learnedHere(invocation, context)
        : gapsHere(invocation, context);
    }
    if (!memberHas(invocation, PermissionFlagsBits.ManageGuild)) {
      return privateNotice(ONLY_MODERATORS);
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
        const id = args.string('article') ?? '';
        const result = await library.remove(id);
        logger.info({ ok: result.ok, userId: invocation.userId }, 'Knowledge remove');
        const unknown = !result.ok && !engine().articles.some((a) => a.id === id);
        return privateNotice(
          describe(result, 'Removing the article') +
            (unknown
              ? '\nPick the article from the list as you type; /knowledge list shows every id.'
              : ''),
        );
      }
      case 'add': {
        const file = args.attachment?.('file');
        const link = args.string('url')?.trim();
        if (link && file) {
          return privateNotice('Give either a link or a file, not both.');
        }
        if (link) return addByLink(link, invocation, context);
        if (!file || !invocation.discord) {
          return privateNotice('Give the article: `url:` a web page, or `file:` an article file.');
        }
        // Every refusal names the file refused.
        const adding = `Adding ${safeText(file.name)}`;
        const problems: string[] = [];
        if (file.size > MAX_UPLOAD_BYTES) {
          problems.push(
            `is ${Math.ceil(file.size / 1024)} KiB; the limit is ${MAX_UPLOAD_BYTES / 1024} KiB`,
          );
        }
        if (problems.length > 0) return privateNotice(describe({ ok: false, problems }, adding));
        let bytes: Uint8Array;
        try {
          bytes = await invocation.discord.download(file.url, MAX_UPLOAD_BYTES);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return privateNotice(
            describe({ ok: false, problems: [`could not be downloaded (${reason})`] }, adding),
          );
        }
        const result = await library.add(
          { fileName: file.name, bytes },
          { refuse: duplicateProblems },
        );
        logger.info({ ok: result.ok, file: file.name, userId: invocation.userId }, 'Knowledge add');
        return privateNotice(describe(result, adding));
      }
      default:
        return privateNotice('Use /knowledge add, list, remove, reload, teach, learned or gaps.');
    }
  },
  buttons: {
    async add(id, invocation, { library, logger }) {
      // Checked on the member who pressed, every time: seeing the button is not permission.
      if (!memberHas(invocation, PermissionFlagsBits.ManageGuild)) {
        return privateNotice(ONLY_MODERATORS);
      }
      if (!library) return privateNotice('The knowledge folder cannot be changed from here.');
      const preview = previews.take(id);
      if (!preview) return EXPIRED_PREVIEW;
      const result = await library.add(
        { fileName: preview.fileName, bytes: new TextEncoder().encode(preview.text) },
        // Checked again at saving time: another article may have arrived meanwhile.
        { refuse: duplicateProblems },
      );
      logger.info(
        { ok: result.ok, url: preview.article.url, userId: invocation.userId },
        'Knowledge add by link',
      );
      return privateNotice(describe(result, `Adding "${safeText(preview.article.title)}"`));
    },
    async forget(id, invocation, context) {
      // Checked on the member who pressed, every time: seeing the button is not permission.
      if (!isModerator(invocation)) return privateNotice(ONLY_ANSWER_MODERATORS);
      const scope = scopeOf(invocation, context);
      if (!context.store || scope === undefined) {
        return privateNotice('Answers are confirmed in servers only.');
      }
      const forgotten = await context.store.confirmations.forget(scope, Number(id));
      context.logger.info(
        { scope, confirmationId: id, forgotten, userId: invocation.userId },
        'Confirmed answer forgotten',
      );
      return privateNotice(
        forgotten
          ? `Forgotten: #${id} no longer answers anything. Answers go back to what the articles say.`
          : `#${id} was already forgotten.`,
      );
    },
    async forgetGap(id, invocation, context) {
      if (!isModerator(invocation)) return privateNotice(ONLY_ANSWER_MODERATORS);
      const scope = scopeOf(invocation, context);
      if (!context.store || scope === undefined) {
        return privateNotice('Questions are kept in servers only.');
      }
      const gap = (await context.store.gaps.list(scope)).find((g) => gapId(g.key) === id);
      const forgotten = gap !== undefined && (await context.store.gaps.forget(scope, gap.key));
      return privateNotice(
        forgotten
          ? `Forgotten: "${safeText(clip(gap.question, 150))}" is no longer listed.`
          : 'That question was already forgotten.',
      );
    },
    cancel(id, invocation) {
      if (!memberHas(invocation, PermissionFlagsBits.ManageGuild)) {
        return privateNotice(ONLY_MODERATORS);
      }
      return previews.take(id) ? privateNotice('Cancelled; nothing was added.') : EXPIRED_PREVIEW;
    },
  },
  async autocomplete({ name, value, guildId }, { engine, store }) {
    // teach's answer: the same sentence previews as /ask, valued by their key.
    if (name === 'answer')
      return engine()
        .suggest(value)
        .filter((c) => engine().hasSentence(c.value));
    // teach's question: what members asked and the bot could not answer well.
    if (name === 'question') {
      if (!store || guildId === undefined) return [];
      const typed = value.trim().toLowerCase();
      const gaps = await store.gaps.list(guildId).catch(() => []);
      return gaps
        .filter((gap) => gap.question.toLowerCase().includes(typed))
        .slice(0, 25)
        .map((gap) => ({ name: clip(gap.question, 100), value: truncate(gap.question, 100) }));
    }
    const wanted = value.toLowerCase();
    return engine()
      .articles.filter((a) => a.title.toLowerCase().includes(wanted) || a.id.includes(wanted))
      .slice(0, 25)
      .map((a) => ({ name: clip(a.title, 100), value: truncate(a.id, 100) }));
  },
});
