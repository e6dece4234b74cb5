/**
 * Semantic soft matching: a question word the articles do not use may still
 * count through the article words nearest to it in meaning ("truce" →
 * "ceasefire", "jets" → "aircraft"), from word vectors shipped with the code.
 *
 * Neighbours are found among the articles' own surface words and mapped to
 * index terms with the same term pipeline, so they line up with sentence
 * terms. They feed the answer features (reduced credit) and bring in extra
 * candidates, but never BM25: measured, feeding them into BM25 costs the
 * direct questions several points.
 */
import { fileURLToPath } from 'node:url';
import type { SentenceIndex } from './sentence-index.ts';
import type { TermPipeline } from './terms.ts';
import {
  loadWordVectors,
  type CandidateSet,
  type WordVectors,
} from './word-vectors/word-vectors.ts';

export const WORD_VECTORS_FILE = fileURLToPath(
  new URL('./word-vectors/word-vectors.bin', import.meta.url),
);

let shared: WordVectors | undefined;

/** The shipped vectors, read once per process (~20 ms). */
export function wordVectors(): WordVectors {
  shared ??= loadWordVectors(WORD_VECTORS_FILE);
  return shared;
}

/**
 * Words whose neighbours are their opposites or siblings (first/second 0.84,
 * Monday/Tuesday, north/south): a near match would be a wrong match.
 */
// prettier-ignore
const NO_SOFT_MATCH = new Set([
  'first', 'second', 'third', 'fourth', 'fifth', 'last', 'next', 'previous', 'latest', 'earlier',
  'later', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'hundred', 'thousand', 'million', 'billion', 'north', 'south', 'east', 'west', 'left', 'right',
  'before', 'after', 'yes', 'no', 'not', 'never', 'more', 'less', 'most', 'least',
]);

/**
 * Article words kept per question word for the graded closeness, closest
 * first. On the shipped articles the bound changes no answer (golden set
 * identical); at 10,000 articles it keeps a question word not seen before
 * from costing ten thousand term look-ups.
 */
const MAX_CLOSE_WORDS = 1_500;

export interface SemanticMatcher {
  /**
   * Index terms related in meaning to a question word (its lowercase surface
   * form), with their cosine; empty for names, numbers and closed-class words.
   */
  related(surface: string): ReadonlyMap<string, number>;
  /**
   * How close in meaning every article term is to a question word, from a
   * low floor up (no top-k): for graded features, not for matching.
   */
  closeness(surface: string): ReadonlyMap<string, number>;
  /** The article words a question word may be near, packed; undefined until first needed. */
  preparedWords(): CandidateSet | undefined;
}

export interface SemanticOptions {
  /** Cosine from which an article word counts as related (on the shipped, post-processed vectors). */
  readonly minSimilarity: number;
  /** At most this many related words per question word. */
  readonly limit: number;
}

export function createSemanticMatcher(
  index: SentenceIndex,
  pipeline: TermPipeline,
  options: SemanticOptions,
  vectors: WordVectors = wordVectors(),
  /** The words prepared over the index this one extends, if they were (see extendIndex). */
  earlier?: CandidateSet,
): SemanticMatcher {
  let corpusWords: CandidateSet | undefined;
  /**
   * The article words a question word may be near: never names, numbers or
   * closed-class words ("round" must not find "second"). Prepared on first
   * use: a corpus that is never asked costs nothing. Over an extended index,
   * the earlier set is revised for the words the added article writes only
   * (the same set, in the same order, as preparing them all).
   */
  const prepareCorpusWords = () => {
    const changed = index.changedWords;
    if (earlier && changed) {
      const remove = new Set(changed.filter((word) => !mayMatchApproximately(word)));
      return vectors.revise(earlier, changed, remove);
    }
    return vectors.prepare([...index.surfaceWords.keys()].filter(mayMatchApproximately));
  };
  const candidateWords = () => (corpusWords ??= prepareCorpusWords());
  const mayMatchApproximately = (word: string) =>
    !index.nameWords.has(word) && !NO_SOFT_MATCH.has(word) && !/\d/.test(word);
  /** Minimum cosine worth remembering for closeness: below it words are unrelated. */
  const floor = Math.min(0.15, options.minSimilarity);
  const NONE = { related: new Map<string, number>(), closeness: new Map<string, number>() };
  const cache = new Map<string, typeof NONE>();

  /** Adds each word's index terms to `terms`, keeping a term's first (closest) cosine. */
  const addTerms = (terms: Map<string, number>, [word, similarity]: [string, number]) => {
    for (const term of pipeline.processTerm(word, 'document')) {
      if (!terms.has(term)) terms.set(term, similarity);
    }
  };

  /**
   * One scan of the article words per question word (cached): every word
   * above the floor, closest first, gives the closeness; the first `limit`
   * of them above `minSimilarity` are the related words.
   */
  function neighbours(surface: string): typeof NONE {
    const cached = cache.get(surface);
    if (cached) return cached;
    let result = NONE;
    if (mayMatchApproximately(surface)) {
      const near = vectors.nearest(surface, candidateWords(), {
        minSimilarity: floor,
        limit: MAX_CLOSE_WORDS,
      });
      result = { related: new Map(), closeness: new Map() };
      for (const neighbour of near) addTerms(result.closeness, neighbour);
      const related = near.filter(([, similarity]) => similarity >= options.minSimilarity);
      for (const neighbour of related.slice(0, options.limit)) addTerms(result.related, neighbour);
    }
    if (cache.size >= 50_000) cache.clear(); // hostile input cannot grow it without bound
    cache.set(surface, result);
    return result;
  }

  return {
    related: (surface) => neighbours(surface).related,
    closeness: (surface) => neighbours(surface).closeness,
    preparedWords: () => corpusWords,
  };
}
