/**
 * Reply → Discord message payload. Pure: no client, no I/O, so every Discord
 * limit is checked by unit tests on generated input.
 *
 * Safety rules held here for every payload:
 *  - allowed_mentions is `{ parse: [] }` (nobody can be pinged by echoed text),
 *    except `{ users: [id] }` for the member a /ask `mention` points at;
 *  - text from members and articles is markdown-escaped;
 *  - every length is within Discord's limits, cut at sentence or word ends.
 */
import {
  bold,
  ButtonStyle,
  hyperlink,
  userMention,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import { describeCitation, describePublication, numberCitations, reportedBy } from './citations.ts';
import { formatIsoDate } from './dates.ts';
import type { Reply, ReplyButton } from '../runtime/reply.ts';
import type { NewsInput } from '../store/types.ts';
import { visibilityOf } from '../runtime/visibility.ts';
import type { AnswerItem, ArticleSummary, Citation } from '../search/types.ts';
import { clip, truncate } from './clip.ts';
import { safeText, safeTextWithBold } from './discord-markdown.ts';
import { disagreementLines, SOURCES_DIFFER } from './disagreements.ts';
import { CAPTION_NOTE, confirmedNote, RELATED_QUESTIONS_NOTE, UNCERTAIN_NOTE } from './wording.ts';

/** Discord's documented message limits. */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  customId: 100,
  choices: 25,
  choiceLength: 100,
} as const;

const ACCENT_COLOR = 0x3b82f6;

export interface MessagePayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  flags?: MessageFlags.Ephemeral;
  allowed_mentions: { parse: []; users?: [string] };
}

/** Only plain http(s) addresses become links; anything odd is shown as text. */
const SAFE_URL = /^https?:\/\/[^\s<>()[\]`"'\\]+$/;

/** "example.org" for a link's text; the whole address if it has no readable host. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

function citationLine(n: number, citation: Citation): string {
  const title = safeText(describeCitation(citation));
  return citation.url && SAFE_URL.test(citation.url)
    ? `[${n}] ${hyperlink(title, citation.url)}`
    : `[${n}] ${title}`;
}

function answerEmbed(reply: Extract<Reply, { kind: 'answer' }>): APIEmbed {
  const { answer } = reply;
  const { itemNumbers, citations } = numberCitations(answer);
  const lines = answer.answers.map((item, i) => {
    const marks = (itemNumbers[i] ?? []).map((n) => `[${n}]`).join('');
    const merged = reportedBy(item.sources.length);
    // The phrase that answers is bold in every sentence, so a member scanning sees it at once.
    const notes = [merged, item.caption ? CAPTION_NOTE : ''].filter(Boolean);
    return `${bold(`${i + 1}.`)} ${safeTextWithBold(item.text, item.highlight)} ${marks}${notes.map((note) => ` · *${note}*`).join('')}`;
  });
  // A confident answer opens with the answer itself: "**2 June 2025**".
  if (answer.short !== undefined && !answer.uncertain) {
    lines.unshift(bold(safeText(answer.short)), '');
  }
  const differ = disagreementLines(answer).map(safeText);
  return {
    color: ACCENT_COLOR,
    title: clip(safeText(answer.question) || 'Your question', LIMITS.title),
    description: fitLines(lines, LIMITS.description),
    fields: [
      {
        name: 'Sources',
        value: fitLines(
          citations.map((c, i) => citationLine(i + 1, c)),
          LIMITS.fieldValue,
        ),
      },
      ...(differ.length > 0
        ? [{ name: `⚠️ ${SOURCES_DIFFER}`, value: fitLines(differ, LIMITS.fieldValue) }]
        : []),
    ],
    footer: {
      text: answer.uncertain
        ? 'The closest passages in the articles; they may not answer it · a moderator can pin the one that does'
        : answer.confirmed
          ? `${confirmedNote(answer.confirmed.how)} · Quoted from news articles`
          : 'Quoted from news articles · Show context for the surrounding text',
    },
  };
}

function notAnsweredContent(reply: Extract<Reply, { kind: 'answer' }>): string {
  const lines = ["I couldn't find that in the articles, so I won't guess."];
  const suggestions = reply.answer.suggestions ?? [];
  if (suggestions.length > 0) {
    lines.push(`${RELATED_QUESTIONS_NOTE} — press one to see its answer.`);
  }
  lines.push('Use `/sources` to see which articles I know.');
  return fitLines(lines, LIMITS.content);
}

function contextEmbeds(items: readonly AnswerItem[]): APIEmbed[] {
  const shown = items.slice(0, LIMITS.embeds);
  const perEmbed = Math.floor(LIMITS.embedTotal / Math.max(shown.length, 1)) - 300;
  return shown.map((item, i) => ({
    color: ACCENT_COLOR,
    title: clip(`${i + 1}. ${safeText(item.sources[0]?.title ?? 'Article')}`, LIMITS.title),
    description: clip(
      [
        item.context.before && safeText(item.context.before),
        bold(safeText(item.text)),
        item.context.after && safeText(item.context.after),
      ]
        .filter(Boolean)
        .join(' '),
      Math.min(LIMITS.description, perEmbed),
    ),
  }));
}

function citationsEmbed(items: readonly AnswerItem[]): APIEmbed {
  const fields: APIEmbedField[] = items.slice(0, LIMITS.fields).map((item, i) => ({
    name: clip(`${i + 1}. ${safeText(item.text)}`, LIMITS.fieldName),
    value: fitLines(
      item.sources.map((source) => {
        const details = [source.published, source.publisher].filter(Boolean).join(' · ');
        const title = safeText(source.title);
        const link = source.url && SAFE_URL.test(source.url) ? hyperlink(title, source.url) : title;
        return `• ${link}${details ? ` — ${safeText(details)}` : ''} (${safeText(source.id)})`;
      }),
      LIMITS.fieldValue,
    ),
  }));
  return { color: ACCENT_COLOR, title: 'Sources', fields };
}

function articlesEmbed(articles: readonly ArticleSummary[]): APIEmbed {
  const lines = articles.map(
    (a, i) =>
      `${bold(`${i + 1}.`)} ${safeText(describeCitation(a))} — ${a.sentenceCount} sentences`,
  );
  return {
    color: ACCENT_COLOR,
    title: `${articles.length} article${articles.length === 1 ? '' : 's'}`,
    description: fitLines(lines, LIMITS.description) || 'No articles are loaded.',
    footer: { text: 'Details: /source article' },
  };
}

function timelineEmbed(reply: Extract<Reply, { kind: 'timeline' }>): APIEmbed {
  const citations: Citation[] = [];
  const numberOf = (source: Citation) => {
    let index = citations.findIndex((c) => c.id === source.id);
    if (index === -1) index = citations.push(source) - 1;
    return index + 1;
  };
  const lines = reply.events.map((event) => {
    const marks = event.sources.map((s) => `[${numberOf(s)}]`).join('');
    return `${bold(formatIsoDate(event.date))} — ${safeText(event.textAfterDate ?? event.text)} ${marks}`;
  });
  return {
    color: ACCENT_COLOR,
    title: clip(`Timeline${reply.range ? ` ${reply.range}` : ''}`, LIMITS.title),
    description:
      fitLines(lines, LIMITS.description) || 'No dated events in the articles for that range.',
    ...(citations.length > 0 && {
      fields: [
        {
          name: 'Sources',
          value: fitLines(
            citations.map((c, i) => citationLine(i + 1, c)),
            LIMITS.fieldValue,
          ),
        },
      ],
    }),
  };
}

function articleEmbed(article: ArticleSummary): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: 'Published', value: article.published ?? 'not stated', inline: true },
    {
      name: 'Publisher',
      value: clip(safeText(article.publisher ?? 'not stated'), 1024),
      inline: true,
    },
    { name: 'Sentences indexed', value: String(article.sentenceCount), inline: true },
    { name: 'File', value: clip(safeText(article.file), LIMITS.fieldValue) },
  ];
  if (article.url && SAFE_URL.test(article.url)) {
    // A masked link: the address itself is never shown as text (it may hold "@everyone").
    const link = hyperlink(safeText(hostOf(article.url)), article.url);
    if (link.length <= LIMITS.fieldValue) fields.push({ name: 'Link', value: link });
  }
  return { color: ACCENT_COLOR, title: clip(safeText(article.title), LIMITS.title), fields };
}

/** "📰 New article: **Title** (Publisher, 16 May 2025)" — only the facts the article states. */
function newsHeadline(news: NewsInput): string {
  const details = describePublication(news);
  const title = bold(safeText(clip(news.title, 300)));
  return `📰 New article: ${title}${details ? ` (${safeText(details)})` : ''}`;
}

/** What the article adds, each sentence cited with a link to the article. */
function newsEmbed(news: NewsInput): APIEmbed {
  const source = safeText(
    clip(news.publisher ?? (news.url ? hostOf(news.url) : 'the article'), 80),
  );
  const cite = news.url && SAFE_URL.test(news.url) ? hyperlink(source, news.url) : source;
  const lines = news.sentences.map((s, i) => `**${i + 1}.** ${safeText(s.text)} — ${cite}`);
  return {
    color: ACCENT_COLOR,
    // No title link: each sentence links to the article already, and the
    // embed's url field would carry the site's address unchecked by markdown.
    title: 'What it adds',
    description: clip(lines.join('\n\n'), LIMITS.description),
    footer: { text: 'Said by no earlier article. Ask me about it with /ask.' },
  };
}

/** Buttons in rows of five (Discord's limit per row), at most five rows. */
function buttonRows(
  buttons: readonly ReplyButton[],
): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (
    let i = 0;
    i < Math.min(buttons.length, LIMITS.buttonsPerRow * LIMITS.rows);
    i += LIMITS.buttonsPerRow
  ) {
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + LIMITS.buttonsPerRow).map(({ label, customId }) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: clip(label, LIMITS.buttonLabel),
        custom_id: truncate(customId, LIMITS.customId),
      })),
    });
  }
  return rows;
}

const NO_MENTIONS = { parse: [] } as { parse: [] };

/** The message for a reply; ephemeral exactly when runtime/visibility.ts says private. */
export function renderReply(reply: Reply): MessagePayload {
  const payload = messageOf(reply);
  return visibilityOf(reply) === 'private'
    ? { ...payload, flags: MessageFlags.Ephemeral }
    : payload;
}

function messageOf(reply: Reply): MessagePayload {
  switch (reply.kind) {
    case 'answer': {
      const buttons = reply.buttons ?? [];
      const components = buttonRows(buttons);
      if (!reply.answer.answered) {
        return {
          content: notAnsweredContent(reply),
          embeds: [],
          components,
          allowed_mentions: NO_MENTIONS,
        };
      }
      const mention = reply.mentionUserId;
      const uncertain = reply.answer.uncertain === true;
      const lead =
        mention !== undefined
          ? `${userMention(mention)}, ${uncertain ? UNCERTAIN_NOTE.replace(/^T/, 't') : 'this may answer your question:'}`
          : uncertain
            ? UNCERTAIN_NOTE
            : undefined;
      return {
        ...(lead !== undefined && { content: lead }),
        embeds: fitEmbeds([answerEmbed(reply)]),
        components,
        allowed_mentions: mention !== undefined ? { parse: [], users: [mention] } : NO_MENTIONS,
      };
    }
    case 'context':
      return {
        embeds: fitEmbeds(contextEmbeds(reply.items)),
        components: [],
        allowed_mentions: NO_MENTIONS,
      };
    case 'citations':
      return {
        embeds: fitEmbeds([citationsEmbed(reply.items)]),
        components: [],
        allowed_mentions: NO_MENTIONS,
      };
    case 'articles':
      return {
        embeds: fitEmbeds([articlesEmbed(reply.articles)]),
        components: [],
        allowed_mentions: NO_MENTIONS,
      };
    case 'article':
      return {
        embeds: fitEmbeds([articleEmbed(reply.article)]),
        components: [],
        allowed_mentions: NO_MENTIONS,
      };
    case 'timeline':
      return {
        embeds: fitEmbeds([timelineEmbed(reply)]),
        components: [],
        allowed_mentions: NO_MENTIONS,
      };
    case 'news':
      return {
        // Not posted without sentences; shown, it says so rather than an empty embed.
        content: clip(
          newsHeadline(reply.news) +
            (reply.news.sentences.length === 0 ? ' — nothing new beyond the earlier articles' : ''),
          LIMITS.content,
        ),
        embeds: reply.news.sentences.length > 0 ? fitEmbeds([newsEmbed(reply.news)]) : [],
        components: [],
        allowed_mentions: NO_MENTIONS,
      };
    case 'notice':
      return {
        content: clip(reply.text, LIMITS.content),
        embeds: [],
        components: buttonRows(reply.buttons ?? []),
        allowed_mentions:
          reply.mentionUserId !== undefined
            ? { parse: [], users: [reply.mentionUserId] }
            : NO_MENTIONS,
      };
  }
}

/** Autocomplete choices within Discord's limits (≤ 25, names and values 1–100 characters). */
export function renderChoices(choices: readonly { name: string; value: string }[]) {
  return choices
    .map((c) => ({
      name: clip(c.name.trim(), LIMITS.choiceLength),
      value: truncate(c.value, LIMITS.choiceLength),
    }))
    .filter((c) => c.name.length > 0 && c.value.length > 0)
    .slice(0, LIMITS.choices);
}

/** Joins whole lines while they fit; a line that does not fit is clipped, and the rest are counted. */
export function fitLines(lines: readonly string[], max: number): string {
  const whole = lines.join('\n');
  if (whole.length <= max) return whole;
  const kept: string[] = [];
  let length = 0;
  for (const [i, line] of lines.entries()) {
    const more = `\n…and ${lines.length - i - 1} more`;
    const room = max - length - (kept.length > 0 ? 1 : 0) - more.length;
    if (line.length <= room) {
      length += line.length + (kept.length > 0 ? 1 : 0);
      kept.push(line);
      continue;
    }
    if (room > 40) kept.push(clip(line, room));
    const left = lines.length - kept.length;
    const tail = left > 0 ? `…and ${left} more` : '';
    return clip([...kept, tail].filter(Boolean).join('\n'), max);
  }
  return kept.join('\n');
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/**
 * Clips each embed part to its limit, then shortens descriptions until all
 * embeds together fit in 6,000 characters.
 */
export function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, LIMITS.embeds).map((embed) => ({
    ...embed,
    ...(embed.title !== undefined && { title: clip(embed.title, LIMITS.title) }),
    ...(embed.description !== undefined && {
      description: clip(embed.description, LIMITS.description),
    }),
    ...(embed.footer && {
      footer: { ...embed.footer, text: clip(embed.footer.text, LIMITS.footer) },
    }),
    ...(embed.fields && {
      fields: embed.fields.slice(0, LIMITS.fields).map((f) => ({
        ...f,
        name: clip(f.name, LIMITS.fieldName) || '\u200b',
        value: clip(f.value, LIMITS.fieldValue) || '\u200b',
      })),
    }),
  }));
  const total = () => fitted.reduce((sum, e) => sum + embedLength(e), 0);
  for (const embed of fitted) {
    if (total() <= LIMITS.embedTotal) break;
    const description = embed.description ?? '';
    const keep = Math.max(1, description.length - (total() - LIMITS.embedTotal));
    embed.description = clip(description, keep);
  }
  // Still too long (many long fields): drop fields from the end, then whole embeds.
  for (const embed of [...fitted].reverse()) {
    while (total() > LIMITS.embedTotal && (embed.fields?.length ?? 0) > 0) embed.fields?.pop();
  }
  while (total() > LIMITS.embedTotal && fitted.length > 1) fitted.pop();
  return fitted;
}
