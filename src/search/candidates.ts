/**
 * Stage 2: the sentences worth scoring. MiniSearch (BM25+) over the
 * question's own terms and vocabulary synonyms picks most of them; sentences
 * holding words near the question's in meaning come in beside them, without
 * touching the BM25 scores. In a large corpus, very common terms do not
 * select candidates (they still count in the features), so a question full
 * of common words costs no more than one with rare words.
 */
import type { SentenceIndex } from './index.ts';
import type { AnswerOptions } from './options.ts';
import type { AnalysedQuestion } from './question.ts';
import type { SearchContext } from './search-context.ts';

export interface Candidate {
  /** Sentence id. */
  readonly id: number;
  /** BM25 relative to the best candidate's (0–1); 0 for a candidate found only by meaning. */
  readonly bm25: number;
}

/** Terms already processed by the pipeline: MiniSearch must take them as they are. */
const PREPROCESSED = {
  tokenize: (text: string) => text.split(' '),
  processTerm: (term: string) => term,
} as const;

/**
 * Whether a term is rare enough to select sentences: in a large corpus a term
 * found in a sizeable share of all sentences barely changes the ranking but
 * makes a search walk most of the index.
 */
export function selectsSentences(
  index: SentenceIndex,
  options: Pick<AnswerOptions, 'commonTermShare' | 'minCommonDocumentFrequency'>,
): (term: string) => boolean {
  const commonDf = Math.max(
    options.minCommonDocumentFrequency,
    index.sentenceCount * options.commonTermShare,
  );
  return (term) => (index.documentFrequency.get(term) ?? 0) <= commonDf;
}

export function findCandidates(
  query: AnalysedQuestion,
  { index }: SearchContext,
  options: AnswerOptions,
): Candidate[] {
  const selects = selectsSentences(index, options);

  const boosts = new Map<string, number>();
  for (const { term, credit, synonyms } of query.terms) {
    for (const synonym of synonyms) {
      if (!boosts.has(synonym)) boosts.set(synonym, credit * options.synonymCredit);
    }
    boosts.set(term, credit);
  }
  const rare = [...boosts.keys()].filter(selects);
  const lexicalTerms = rare.length > 0 ? rare : [...boosts.keys()];
  const lexical = index.search.search(lexicalTerms.join(' '), {
    ...PREPROCESSED,
    boost: { ...options.fieldBoost },
    boostTerm: (term) => boosts.get(term) ?? 1,
  });
  const top = lexical[0]?.score ?? 1;
  const candidates: Candidate[] = lexical
    .slice(0, options.candidates)
    .map((result) => ({ id: result.id as number, bm25: result.score / top }));

  const related = new Map<string, number>();
  for (const term of query.terms) {
    for (const [word, similarity] of term.related) {
      if (!boosts.has(word) && selects(word)) {
        related.set(word, Math.max(related.get(word) ?? 0, similarity));
      }
    }
  }
  if (related.size > 0) {
    const seen = new Set(candidates.map((c) => c.id));
    const byMeaning = index.search.search([...related.keys()].join(' '), {
      ...PREPROCESSED,
      fields: ['text'],
      boostTerm: (term) => related.get(term) ?? 1,
    });
    for (const result of byMeaning.slice(0, options.semanticCandidates)) {
      const id = result.id as number;
      if (!seen.has(id)) candidates.push({ id, bm25: 0 });
    }
  }
  return candidates;
}
