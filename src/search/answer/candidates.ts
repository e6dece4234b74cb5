/**
 * Stage 2: the sentences worth scoring. MiniSearch (BM25+) over the
 * question's own terms and vocabulary synonyms picks most of them; sentences
 * holding words near the question's in meaning come in beside them, without
 * touching the BM25 scores. In a large corpus, very common terms do not
 * select candidates (they still count in the features), and the selecting
 * terms hold at most `maxPostings` sentences between them, so a question
 * full of common words costs no more than one with rare words.
 */
import type { Sentence } from '../../knowledge/types.ts';
import type { SentenceIndex } from '../index/sentence-index.ts';
import type { AnswerOptions } from './options.ts';
import type { AnalysedQuestion } from './question.ts';
import type { SearchContext } from '../index/search-context.ts';

export interface Candidate {
  /** Sentence id. */
  readonly id: number;
  /** BM25 relative to the best candidate's (0–1); 0 for a candidate found only by meaning. */
  readonly bm25: number;
  /** How close the question is to one the community confirmed this sentence for (learned.ts); 0 when none. */
  readonly confirmed?: number;
}

/**
 * Whether a term is rare enough to select sentences: in a large corpus a term
 * found in a sizeable share of all sentences barely changes the ranking but
 * makes a search walk most of the index.
 */
export function selectsSentences(
  index: Pick<SentenceIndex, 'documentFrequency' | 'sentenceCount'>,
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
  context: SearchContext,
  options: AnswerOptions,
): Candidate[] {
  const { index } = context;
  const selects = selectsSentences(index, options);

  const boosts = new Map<string, number>();
  for (const { term, credit, synonyms } of query.terms) {
    for (const synonym of synonyms) {
      if (!boosts.has(synonym)) boosts.set(synonym, credit * options.synonymCredit);
    }
    boosts.set(term, credit);
  }
  const lexical = lexicalScores(
    withinBudget([...boosts.keys()], index, options),
    (term) => boosts.get(term) ?? 1,
    context,
    options,
  );
  const best = highestScores(lexical, options.candidates);
  const top = best[0]?.[1] ?? 1;
  const candidates: Candidate[] = best.map(([id, score]) => ({ id, bm25: score / top }));

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
    const byMeaning = index.search.search(
      withinBudget([...related.keys()], index, options).join(' '),
      { boostTerm: (term) => related.get(term) ?? 1 },
    );
    for (const result of byMeaning.slice(0, options.semanticCandidates)) {
      const id = result.id as number;
      if (!seen.has(id) && id < index.sentenceCount) candidates.push({ id, bm25: 0 });
    }
  }
  return candidates;
}

/**
 * The terms that select sentences (in their given order): the rarest first,
 * while the sentences they hold stay within `options.maxPostings`, so a
 * question full of common words walks little more of the index than one with
 * rare words. The rarest term always selects, even over the budget: a
 * question whose every word is common still finds its sentences, at the
 * cost of that one term. A corpus no larger than the budget is searched as
 * before there was one: every rare term, or every term when none is rare.
 */
export function withinBudget(
  terms: readonly string[],
  index: Pick<SentenceIndex, 'documentFrequency' | 'sentenceCount'>,
  options: Pick<AnswerOptions, 'commonTermShare' | 'minCommonDocumentFrequency' | 'maxPostings'>,
): string[] {
  const selects = selectsSentences(index, options);
  if (index.sentenceCount <= options.maxPostings) {
    const selecting = terms.filter(selects);
    return selecting.length > 0 ? selecting : [...terms];
  }
  const frequency = (term: string) => index.documentFrequency.get(term) ?? 0;
  const byRarity = [...terms].sort((a, b) => frequency(a) - frequency(b) || a.localeCompare(b));
  const chosen = new Set<string>();
  let postings = 0;
  for (const term of byRarity) {
    if (chosen.size > 0 && (!selects(term) || postings + frequency(term) > options.maxPostings)) {
      break;
    }
    chosen.add(term);
    postings += frequency(term);
  }
  return terms.filter((term) => chosen.has(term));
}

/**
 * BM25 of each sentence for the terms: its own words, plus a share of its
 * neighbours' scores (they let "what did he say" find the sentence after
 * the name) and of its article's headline score. Neighbours and headlines
 * are scored from the sentence index and the headline index rather than
 * indexed once more per sentence: that kept three copies of every posting.
 */
function lexicalScores(
  terms: readonly string[],
  boostTerm: (term: string) => number,
  { index, sentences }: SearchContext,
  options: AnswerOptions,
): Map<number, number> {
  const scores = new Map<number, number>();
  if (terms.length === 0) return scores;
  const query = terms.join(' ');
  const own = index.search.search(query, { boostTerm });
  const headlineTerms = withinBudget(terms, index.titleStatistics, options);
  const headline = new Map(
    index.titles
      .search(headlineTerms.join(' '), { boostTerm })
      .map((r) => [r.id as string, r.score]),
  );
  const articleOf = (id: number) => sentences[id]?.articleId;
  const add = (id: number, score: number) => scores.set(id, (scores.get(id) ?? 0) + score);
  for (const { id, score } of own) {
    // An engine whose index was since extended with an article (Engine.withArticle) and that
    // still finishes an answer begun before the swap: the newer sentences are not its own.
    if ((id as number) >= sentences.length) continue;
    add(id as number, score * options.fieldBoost.text);
    for (const neighbour of [(id as number) - 1, (id as number) + 1]) {
      if (areNeighbours(sentences, id as number, neighbour)) {
        add(neighbour, score * options.fieldBoost.context);
      }
    }
  }
  for (const [id, score] of scores) {
    const article = articleOf(id);
    scores.set(id, score + (headline.get(article ?? '') ?? 0) * options.fieldBoost.title);
  }
  return scores;
}

/** Sentences next to each other in one article's prose (a caption is nobody's neighbour). */
export function areNeighbours(
  sentences: readonly Pick<Sentence, 'articleId' | 'caption'>[],
  a: number,
  b: number,
): boolean {
  const first = sentences[a];
  const second = sentences[b];
  return (
    first !== undefined &&
    second !== undefined &&
    first.articleId === second.articleId &&
    !first.caption &&
    !second.caption
  );
}

/** Better score first; equal scores by sentence id, so results never depend on map order. */
const byScore = (a: readonly [number, number], b: readonly [number, number]) =>
  b[1] - a[1] || a[0] - b[0];

/**
 * The `k` best-scored sentences, best first, without sorting all of them: a
 * common question scores thousands of sentences to keep forty.
 */
export function highestScores(scores: ReadonlyMap<number, number>, k: number): [number, number][] {
  const best: [number, number][] = [];
  for (const entry of scores) {
    if (best.length === k && byScore(entry, best[k - 1]!) >= 0) continue;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (byScore(best[middle]!, entry) <= 0) low = middle + 1;
      else high = middle;
    }
    best.splice(low, 0, entry);
    if (best.length > k) best.pop();
  }
  return best;
}
