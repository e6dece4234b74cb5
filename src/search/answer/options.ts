/**
 * Every tuning value of the answer engine, in one documented options object
 * (as MiniSearch documents its search options). `createEngine` takes a
 * partial override; `Engine.answer(question, { limit })` overrides per call.
 * The values are part of the index cache's key: changing one rebuilds it.
 */
export interface AnswerOptions {
  /** Sentences per answer. Default 3. */
  readonly limit: number;
  /**
   * Term-set Jaccard similarity at which two sentences count as the same
   * report (wire copy in two articles). Default 0.8.
   */
  readonly mergeSimilarity: number;
  /** MiniSearch results considered for reranking. Default 40. */
  readonly candidates: number;
  /**
   * Questions are cut to this many characters before analysis, so hostile
   * input stays cheap. Also the /ask option's maximum length. Default 300.
   */
  readonly maxQuestionLength: number;
  /**
   * BM25 weight of a sentence's own words, of its neighbours' scores and of
   * its article's headline score. The sentence itself decides; the
   * neighbouring sentences and the headline only break ties between
   * sentences that match equally well. Default text 1, context 0.25, title 0.35.
   */
  readonly fieldBoost: { readonly text: number; readonly context: number; readonly title: number };
  /**
   * How much a question term found only in the headline or in the
   * neighbouring sentences counts toward coverage. Default title 0.5, context 0.4.
   */
  readonly partialFieldCredit: { readonly title: number; readonly context: number };
  /** A corrected misspelling counts, but less than a word the member typed. Default 0.8. */
  readonly correctedTermCredit: number;
  /**
   * A name the articles never mention (not a corpus word, not a dictionary
   * word: "Mariupol") weighs this much more than an unknown ordinary word:
   * the question is about something the articles do not cover. Default 2.
   */
  readonly unknownNameWeight: number;
  /** A vocabulary synonym ("demanded" for "wanted") counts less than the word itself. Default 0.75. */
  readonly synonymCredit: number;
  /**
   * In large corpora, a term found in more than this share of sentences no
   * longer selects candidates (it still counts toward coverage): it barely
   * changes the ranking but makes the search walk most of the index. Default 0.02.
   */
  readonly commonTermShare: number;
  /** Below this many sentences containing it, every term selects candidates: small corpora stay exact. Default 500. */
  readonly minCommonDocumentFrequency: number;
  /**
   * The selecting terms of one question may hold at most this many sentences
   * between them (rarest terms first): the bound on how much of the index one
   * question walks, whatever its words. Default 5,000 (at 275k sentences, about
   * 5 ms of MiniSearch scoring; a corpus under 5,000 sentences is never bounded).
   */
  readonly maxPostings: number;
  /**
   * Later answers must keep up with the first: their ranker score may trail
   * by at most ln(1/this) (the softmax share against the first). Default 0.01.
   */
  readonly minRelativeScore: number;
  /**
   * Word-vector neighbours of a question word (see src/search/index/semantic.ts):
   * the cosine from which an article word counts as related, and how many
   * count. Default 0.45 (on the shipped post-processed vectors) and 8.
   */
  readonly semantic: { readonly minSimilarity: number; readonly limit: number };
  /** A related word counts toward coverage at its cosine times this. Default 1. */
  readonly relatedCredit: number;
  /** Sentences found only through related words that join the candidates. Default 20. */
  readonly semanticCandidates: number;
  /**
   * Maximal marginal relevance: the weight of relevance against novelty when
   * picking the second and third sentences, and the term-set Jaccard similarity
   * to a shown sentence from which a candidate only restates it in other words
   * and is not shown. Default 0.7 and 0.6.
   */
  readonly diversity: { readonly relevance: number; readonly restatement: number };
  /**
   * Confirmed answers (learned.ts): a confirmed question at least
   * `minSimilarity` close to the new one (0–1) lends it its sentence as a
   * candidate, with that closeness as a feature; a sentence confirmed wrong
   * for a question at least `wrongSimilarity` close is never given first.
   * Default 0.3 and 0.5.
   */
  /**
   * Matching confirmed questions (learned.ts): from `minSimilarity` a
   * confirmation is a ranker feature; from `lookupSimilarity` (and for the
   * same question always) its sentence is the answer, first and confident;
   * from `wrongSimilarity` a sentence marked wrong is ruled out.
   */
  readonly confirmationMatch: {
    readonly minSimilarity: number;
    readonly wrongSimilarity: number;
    readonly lookupSimilarity: number;
  };
  /**
   * Recent answers kept per community, so a question asked again is answered
   * from memory (src/engine/answer-cache.ts); 0 turns the cache off (the
   * benchmarks measure the work itself). Default 1,000.
   */
  readonly answerCache: number;
  /**
   * Related questions offered when not found: from candidates covering at
   * least this share of the question (its own words), at most `limit`. Default 0.3 and 3.
   */
  readonly suggestions: { readonly minCoverage: number; readonly limit: number };
  /**
   * "Sources differ": two sentences from different articles state the same
   * fact when their words (numbers and months aside) overlap by at least
   * `sameFact` (Jaccard), or when they name the same figure with at least
   * `sharedTopic` words in common; looked for among the `candidates` closest
   * sentences. Default 0.5, 3 and 15.
   */
  readonly disagreement: {
    readonly sameFact: number;
    readonly sharedTopic: number;
    readonly candidates: number;
  };
}

export const DEFAULT_ANSWER_OPTIONS: AnswerOptions = {
  limit: 3,
  mergeSimilarity: 0.8,
  candidates: 40,
  maxQuestionLength: 300,
  fieldBoost: { text: 1, context: 0.25, title: 0.35 },
  partialFieldCredit: { title: 0.5, context: 0.4 },
  correctedTermCredit: 0.8,
  unknownNameWeight: 2,
  synonymCredit: 0.75,
  commonTermShare: 0.02,
  minCommonDocumentFrequency: 500,
  maxPostings: 5_000,
  minRelativeScore: 0.01,
  semantic: { minSimilarity: 0.45, limit: 8 },
  relatedCredit: 1,
  semanticCandidates: 20,
  diversity: { relevance: 0.7, restatement: 0.6 },
  confirmationMatch: { minSimilarity: 0.3, wrongSimilarity: 0.5, lookupSimilarity: 0.9 },
  answerCache: 1_000,
  suggestions: { minCoverage: 0.3, limit: 3 },
  disagreement: { sameFact: 0.5, sharedTopic: 3, candidates: 15 },
};

/** The longest question the bot reads (the /ask option's limit; longer text is cut). */
export const MAX_QUESTION_LENGTH = DEFAULT_ANSWER_OPTIONS.maxQuestionLength;

/** Options with a partial override applied (nested groups are replaced whole). */
export function answerOptions(overrides: Partial<AnswerOptions> = {}): AnswerOptions {
  return { ...DEFAULT_ANSWER_OPTIONS, ...overrides };
}
