/**
 * Plain-text rendering for the terminal: the local console and `npm run ask`.
 * Each surface names only what works there (`PlainTextSurface`), and the
 * Discord markdown that command notices are written in is turned into plain
 * text, so a terminal never shows raw `**` or backticks.
 */
import type { Reply } from '../runtime/reply.ts';
import { formatIsoDate } from './dates.ts';
import type { Answer, ArticleSummary } from '../search/types.ts';
import { describeCitation, describePublication, numberCitations, reportedBy } from './citations.ts';
import { disagreementLines, SOURCES_DIFFER } from './disagreements.ts';
import {
  CAPTION_NOTE,
  LOCAL_CONFIRMED_NOTE,
  RELATED_QUESTIONS_NOTE,
  UNCERTAIN_NOTE,
} from './wording.ts';

export const NOT_ANSWERED = "The articles don't answer that.";
/** Before the short answer: "Answer: 2 June 2025". */
export const SHORT_ANSWER_LABEL = 'Answer:';

/** What differs between the terminal surfaces: how a member lists the articles there. */
export interface PlainTextSurface {
  /** A sentence saying how to see which articles are known, in this surface's own terms. */
  readonly listArticles: string;
  /** Bold, where the terminal shows it (ANSI); absent: plain text. */
  readonly bold?: (text: string) => string;
}

/**
 * ANSI bold when `stream` is a terminal that shows it (not piped, NO_COLOR
 * unset, TERM not "dumb"); undefined otherwise.
 */
export function terminalBold(stream: NodeJS.WriteStream): ((text: string) => string) | undefined {
  const shows = stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  return shows ? (text) => `\x1b[1m${text}\x1b[22m` : undefined;
}

/** The surface with bold text where `stream` shows it. */
export function styledFor(surface: PlainTextSurface, stream: NodeJS.WriteStream): PlainTextSurface {
  const bold = terminalBold(stream);
  return bold ? { ...surface, bold } : surface;
}

/** The sentence with its answering phrase in bold, where the surface shows bold. */
function withHighlight(
  text: string,
  span: readonly [number, number] | undefined,
  surface: PlainTextSurface,
) {
  if (!span || !surface.bold) return text;
  return `${text.slice(0, span[0])}${surface.bold(text.slice(span[0], span[1]))}${text.slice(span[1])}`;
}

export const CONSOLE_SURFACE: PlainTextSurface = {
  listArticles: 'Type /sources to see which articles I know.',
};

export const CLI_SURFACE: PlainTextSurface = {
  listArticles: 'To see which articles I know: npm run knowledge -- list',
};

export function renderAnswerText(answer: Answer, surface: PlainTextSurface): string {
  if (!answer.answered) {
    const lines = [NOT_ANSWERED];
    if (answer.suggestions?.length) {
      lines.push(
        `${RELATED_QUESTIONS_NOTE}:`,
        ...answer.suggestions.map((s) => `  • ${s.question}`),
      );
    }
    lines.push(surface.listArticles);
    return lines.join('\n');
  }
  const { itemNumbers, citations } = numberCitations(answer);
  const lines = answer.uncertain ? [UNCERTAIN_NOTE] : [];
  // A confident answer states the answer itself first, on a line of its own.
  if (answer.short !== undefined && !answer.uncertain) {
    lines.push(`${SHORT_ANSWER_LABEL} ${surface.bold?.(answer.short) ?? answer.short}`, '');
  }
  answer.answers.forEach((item, i) => {
    const marks = (itemNumbers[i] ?? []).map((n) => `[${n}]`).join('');
    const merged = reportedBy(item.sources.length);
    const text = withHighlight(item.text, item.highlight, surface);
    const notes = [merged, item.caption ? CAPTION_NOTE : ''].filter(Boolean);
    lines.push(`${i + 1}. ${text} ${marks}${notes.map((note) => ` (${note})`).join('')}`);
  });
  if (answer.confirmed) lines.push(LOCAL_CONFIRMED_NOTE);
  const differ = disagreementLines(answer);
  if (differ.length > 0) lines.push('', `${SOURCES_DIFFER}:`, ...differ);
  lines.push('', 'Sources:');
  citations.forEach((citation, i) => {
    lines.push(
      `  [${i + 1}] ${describeCitation(citation)}${citation.url ? ` <${citation.url}>` : ''}`,
    );
  });
  return lines.join('\n');
}

export function renderSourcesText(articles: readonly ArticleSummary[]): string {
  if (articles.length === 0) return 'No articles are loaded.';
  return articles
    .map((a, i) => `${i + 1}. ${describeCitation(a)} — ${a.sentenceCount} sentences [${a.id}]`)
    .join('\n');
}

function renderArticleText(article: ArticleSummary): string {
  return [
    article.title,
    `  published: ${article.published ?? 'not stated'}`,
    `  publisher: ${article.publisher ?? 'not stated'}`,
    ...(article.url ? [`  link: ${article.url}`] : []),
    `  sentences indexed: ${article.sentenceCount}`,
    `  file: ${article.file}`,
  ].join('\n');
}

/**
 * Discord markdown as plain text: bold, italics, underline, strike-through and
 * code spans lose their markers, escaped characters their backslash. Notices
 * are written once, for Discord; the terminal shows their words.
 */
export function plainFromMarkdown(text: string): string {
  return text
    .replace(/```(?:\w+\n)?([\s\S]*?)```/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__|~~)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(?<![\\*\w])([*_])(?=\S)([^*_\n]*?\S)\1(?![*\w])/g, '$2')
    .replace(/\\([\\*_~`|[\]>#-])/g, '$1');
}

/** Any command reply as terminal text. */
export function renderReplyText(reply: Reply, surface: PlainTextSurface): string {
  switch (reply.kind) {
    case 'answer':
      return renderAnswerText(reply.answer, surface);
    case 'articles':
      return renderSourcesText(reply.articles);
    case 'article':
      return renderArticleText(reply.article);
    case 'context':
      return reply.items
        .map((item, i) =>
          [
            `${i + 1}. ${item.sources[0]?.title ?? ''}`,
            item.context.before,
            `>> ${item.text}`,
            item.context.after,
          ]
            .filter(Boolean)
            .join('\n   '),
        )
        .join('\n\n');
    case 'citations':
      return reply.items
        .map(
          (item, i) =>
            `${i + 1}. ${item.text}\n${item.sources.map((s) => `   - ${describeCitation(s)}${s.url ? ` <${s.url}>` : ''}`).join('\n')}`,
        )
        .join('\n\n');
    case 'timeline':
      return reply.events.length === 0
        ? `No dated events${reply.range ? ` ${reply.range}` : ''}.`
        : reply.events
            .map(
              (e) =>
                `${formatIsoDate(e.date)} — ${e.textAfterDate ?? e.text}\n   (${e.sources.map((s) => describeCitation(s)).join('; ')})`,
            )
            .join('\n');
    case 'news': {
      const { news } = reply;
      const details = describePublication(news);
      return [
        `New article: ${news.title}${details ? ` (${details})` : ''}`,
        ...(news.sentences.length === 0 ? ['Nothing new beyond the earlier articles.'] : []),
        ...news.sentences.map((s, i) => `${i + 1}. ${s.text}`),
        ...(news.url ? [`   <${news.url}>`] : []),
      ].join('\n');
    }
    case 'notice':
      return plainFromMarkdown(reply.text);
  }
}
