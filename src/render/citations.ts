/**
 * Numbered citations shared by every renderer: the first answer's sources get
 * [1], [2]…, and a source cited again keeps its number.
 */
import type { Answer, Citation } from '../search/types.ts';
import { formatIsoDate } from './dates.ts';

export interface NumberedAnswer {
  /** For each answer item, the citation numbers of its sources. */
  readonly itemNumbers: readonly (readonly number[])[];
  /** The cited articles, in number order (number = index + 1). */
  readonly citations: readonly Citation[];
}

export function numberCitations(answer: Answer): NumberedAnswer {
  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  const itemNumbers = answer.answers.map((item) =>
    item.sources.map((source) => {
      let n = numberOf.get(source.id);
      if (n === undefined) {
        citations.push(source);
        n = citations.length;
        numberOf.set(source.id, n);
      }
      return n;
    }),
  );
  return { itemNumbers, citations };
}

/** "Title (2025-06-02, Publisher)" — only the facts the article states. */
export function describeCitation(citation: Citation): string {
  const details = [citation.published, citation.publisher].filter(Boolean).join(', ');
  return details ? `${citation.title} (${details})` : citation.title;
}

/** "Publisher, 24 July 2025" — the facts an article states about itself; empty when none. */
export function describePublication(article: {
  readonly publisher?: string;
  readonly published?: string;
}): string {
  return [article.publisher, article.published && formatIsoDate(article.published)]
    .filter(Boolean)
    .join(', ');
}

/** "reported by 3 sources" for merged copies; empty for a single source. */
export function reportedBy(sourceCount: number): string {
  return sourceCount > 1 ? `reported by ${sourceCount} sources` : '';
}
