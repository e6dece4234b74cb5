/**
 * /knowledge add|list|remove|reload|follow|feeds (Manage Server): change the
 * articles the bot answers from, without a restart, and the feeds it follows
 * for new ones. A failed change leaves the running answers and the files
 * exactly as they were. Confirmed answers are /answers (moderators).
 */
import {
  ApplicationCommandOptionType,
  hideLinkEmbed,
  ApplicationCommandType,
  bold,
  InteractionContextType,
} from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/runtime/module.ts';
import { buttonId } from '../src/runtime/button-id.ts';
import type { Invocation, CommandContext } from '../src/runtime/module.ts';
import { createPendingStore } from '../src/runtime/pending.ts';
import type { Reply } from '../src/runtime/reply.ts';
import { duplicateProblems, previewLink, type ArticlePreview } from '../src/engine/import-link.ts';
import { MAX_UPLOAD_BYTES, type ChangeResult } from '../src/engine/library.ts';
import { defaultPermissions, may, refusal } from '../src/runtime/permissions.ts';
import { privateNotice } from '../src/runtime/reply.ts';
import { clip, truncate } from '../src/render/clip.ts';
import { safeText } from '../src/render/discord-markdown.ts';
import { feedFacts, nothingNewLine } from '../src/feeds/describe.ts';
import { followFeed, MAX_MATCH_LENGTH } from '../src/feeds/follow.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'knowledge',
  description: 'Manage the articles I answer from',
  default_member_permissions: defaultPermissions('changeArticles'),
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
      name: 'follow',
      description: 'Follow a news feed: its new articles about the talks are added as they appear',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'feed',
          description: 'The RSS, Atom or JSON feed address (https://…)',
          required: true,
          max_length: 2000,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'match',
          description:
            'Words every added article must contain (any form); none: articles on the topic',
          max_length: MAX_MATCH_LENGTH,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'feeds',
      description: 'The feeds I follow: last poll, last new article, errors',
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
const ONLY_MODERATORS = refusal('changeArticles', 'change the articles');

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

async function follow(
  invocation: Invocation,
  { store, config, logger }: CommandContext,
): Promise<Reply> {
  if (!store) return privateNotice('Feeds cannot be followed from here.');
  const url = invocation.args.string('feed')?.trim() ?? '';
  const match = invocation.args.string('match')?.trim();
  const result = await followFeed(
    {
      url,
      ...(match && { match }),
      ...(invocation.guildId !== undefined && { guildId: invocation.guildId }),
      ...(invocation.channelId !== undefined && { channelId: invocation.channelId }),
      userId: invocation.userId,
    },
    store,
    { allowedHosts: config.linkAllowedHosts },
  );
  logger.info({ ok: result.ok, userId: invocation.userId }, 'Feed follow');
  if (!result.ok) {
    return privateNotice(
      describe({ ok: false, problems: [result.problem] }, `Following ${safeText(url)}`),
    );
  }
  const { feed } = result;
  const news = (await store.settings.newsChannel(invocation.guildId ?? ''))?.channelId;
  return privateNotice(
    [
      `✅ ${result.created ? 'Following' : 'Already following; updated'} ${bold(safeText(clip(feed.title ?? feed.url, 200)))} (${result.items} items now).`,
      feed.match !== undefined
        ? `New articles containing every word of "${safeText(feed.match)}" are added.`
        : 'New articles about what the knowledge covers are added; others are skipped. Related news (the war, the same people) may be taken too: follow again with `match:` words to narrow it.',
      config.feedPollMinutes > 0
        ? `I read it within a minute, then every ${config.feedPollMinutes} minutes.`
        : 'This instance polls no feeds (FEED_POLL_MINUTES=0): another instance or `npm run knowledge -- poll` does.',
      news !== undefined
        ? `New articles are announced in <#${news}>.`
        : 'To announce new articles, name a channel with `/settings news-channel`.',
    ].join('\n'),
  );
}

async function listFeeds({ store }: CommandContext): Promise<Reply> {
  if (!store) return privateNotice('Feeds cannot be followed from here.');
  const feeds = await store.feeds.list();
  if (feeds.length === 0) {
    return privateNotice('No feeds followed yet. Follow one with `/knowledge follow feed:`.');
  }
  const now = Date.now();
  const shown = feeds.slice(0, MAX_FEED_BUTTONS);
  const lines = shown.map((feed) => {
    const facts = feedFacts(feed, now);
    return [
      `${bold(safeText(clip(facts.name, 200)))} — ${hideLinkEmbed(facts.url)}`,
      safeText(facts.summary),
      ...(facts.lastError !== undefined
        ? [`Last error: ${safeText(clip(facts.lastError, 300))}`]
        : []),
      ...(facts.nothingNew !== undefined
        ? [safeText(nothingNewLine(clip(facts.nothingNew, 200)))]
        : []),
    ].join('\n');
  });
  if (feeds.length > shown.length) {
    lines.push(`…and ${feeds.length - shown.length} more (npm run knowledge -- feeds lists all).`);
  }
  return privateNotice(
    [bold(`${feeds.length} feed${feeds.length === 1 ? '' : 's'} followed`), ...lines].join('\n'),
    shown.map((feed) => ({
      label: clip(`Unfollow #${feed.id}`, 80),
      customId: buttonId('knowledge', 'unfollow', String(feed.id)),
    })),
  );
}

/** Discord shows at most 25 buttons (five rows of five) under a message. */
const MAX_FEED_BUTTONS = 25;

const EXPIRED_PREVIEW = privateNotice(
  'This preview has expired or was already used; nothing was added. Run `/knowledge add url:` again.',
);

export const command = defineCommand(definition, {
  slow: true,
  async execute(invocation, context) {
    const { library, engine, logger } = context;
    if (!may(invocation, 'changeArticles')) return privateNotice(ONLY_MODERATORS);
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
      case 'follow':
        return follow(invocation, context);
      case 'feeds':
        return listFeeds(context);
      default:
        return privateNotice('Use /knowledge add, list, remove, reload, follow or feeds.');
    }
  },
  buttons: {
    async add(id, invocation, { library, logger }) {
      // Checked on the member who pressed, every time: seeing the button is not permission.
      if (!may(invocation, 'changeArticles')) return privateNotice(ONLY_MODERATORS);
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
    async unfollow(id, invocation, { store, logger }) {
      if (!may(invocation, 'changeArticles')) return privateNotice(ONLY_MODERATORS);
      if (!store) return privateNotice('Feeds cannot be followed from here.');
      const feed = await store.feeds.get(Number(id));
      const done = feed !== undefined && (await store.feeds.unfollow(feed.id));
      logger.info({ ok: done, feedId: id, userId: invocation.userId }, 'Feed unfollow');
      return privateNotice(
        done
          ? `No longer following ${bold(safeText(clip(feed.title ?? feed.url, 200)))}; the articles it added stay.`
          : 'That feed is no longer followed.',
      );
    },
    cancel(id, invocation) {
      if (!may(invocation, 'changeArticles')) return privateNotice(ONLY_MODERATORS);
      return previews.take(id) ? privateNotice('Cancelled; nothing was added.') : EXPIRED_PREVIEW;
    },
  },
  autocomplete({ value }, { engine }) {
    const wanted = value.toLowerCase();
    return engine()
      .articles.filter((a) => a.title.toLowerCase().includes(wanted) || a.id.includes(wanted))
      .slice(0, 25)
      .map((a) => ({ name: clip(a.title, 100), value: truncate(a.id, 100) }));
  },
});
