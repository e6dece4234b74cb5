/**
 * Plain-text rendering of an Answer for the console and `npm run ask`.
 */
import type { Reply } from '../command/reply.ts';
import { formatIsoDate } from './dates.ts';
import type { Answer, ArticleSummary } from '../search/types.ts';
import { describeCitation, numberCitations, reportedBy } from './citations.ts';
import { disagreementLines, SOURCES_DIFFER } from './disagreements.ts';
import { RELATED_QUESTIONS_NOTE, UNCERTAIN_NOTE } from './wording.ts';

export const NOT_ANSWERED = "The articles don't answer that.";

export function renderAnswerText(answer: Answer): string {
  if (!answer.answered) {
    const lines = [NOT_ANSWERED];
    if (answer.suggestions?.length) {
      lines.push(`${RELATED_QUESTIONS_NOTE}:`, ...answer.suggestions.map((s) => `  • ${s}`));
    }
    lines.push('Type /sources to see which articles I know.');
    return lines.join('\n');
  }
  const { itemNumbers, citations } = numberCitations(answer);
  const lines = answer.uncertain ? [UNCERTAIN_NOTE] : [];
  answer.answers.forEach((item, i) => {
    const marks = (itemNumbers[i] ?? []).map((n) => `[${n}]`).join('');
    const merged = reportedBy(item.sources.length);
    lines.push(`${i + 1}. ${item.text} ${marks}${merged ? ` (${merged})` : ''}`);
  });
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

/** Any command reply as console text. */
export function renderReplyText(reply: Reply): string {
  switch (reply.kind) {
    case 'answer':
      return renderAnswerText(reply.answer);
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
                `${formatIsoDate(e.date)} — ${e.text}\n   (${e.sources.map((s) => describeCitation(s)).join('; ')})`,
            )
            .join('\n');
    case 'notice':
      return reply.text;
  }
}
