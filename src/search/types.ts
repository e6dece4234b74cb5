/**
 * The Answer: the one value the engine produces for a question, rendered for
 * Discord, the console and JSON alike.
 */

/** Where a sentence came from. Optional fields appear only when the article states them. */
export interface Citation {
  readonly id: string;
  readonly title: string;
  readonly published?: string;
  readonly publisher?: string;
  readonly url?: string;
}

export interface AnswerItem {
  readonly text: string;
  /** Rerank score; comparable within one answer, not across questions. */
  readonly score: number;
  /** IDF-weighted share of the question's terms the sentence covers (0–1). */
  readonly coverage: number;
  /** Stable sentence key; `Engine.explain` turns it back into an item. */
  readonly key: string;
  /** Every article reporting this sentence (near-identical copies merged), best first. */
  readonly sources: readonly Citation[];
  /** The sentences around it in its first source, for "show context". */
  readonly context: { readonly before?: string; readonly after?: string };
  /**
   * Where in `text` the phrase that answers the question is ([start, end),
   * UTF-16 offsets): a date, number, person… of the asked kind, attached to
   * what was asked. Absent when the sentence holds none.
   */
  readonly highlight?: readonly [number, number];
  /** A photo caption, not article prose (cited as such; never a confident answer). */
  readonly caption?: true;
}

export interface Answer {
  readonly question: string;
  /** False when the articles do not cover the question (the engine abstains). */
  readonly answered: boolean;
  /**
   * Answered, but the closest passages may not answer the question: shown
   * only to the asker, labelled as such, never auto-posted.
   */
  readonly uncertain?: true;
  /** Calibrated probability (0–1) that the first sentence answers the question. */
  readonly confidence: number;
  /**
   * The answer itself, when the question asks for a date, duration, number,
   * amount, share, person, role or place and the first sentence holds one
   * attached to what was asked ("2 June 2025"). Never for yes/no or why.
   */
  readonly short?: string;
  /** Best first; empty when not answered. */
  readonly answers: readonly AnswerItem[];
  /** Related questions the articles do answer, offered when not answered. */
  readonly suggestions?: readonly RelatedQuestion[];
  /**
   * The first sentence is one the community confirmed for a question this
   * close to it: which question, and how (a moderator's pin or teaching, or
   * members' votes). Only on confident answers.
   */
  readonly confirmed?: {
    readonly id: number;
    readonly question: string;
    readonly how: 'pin' | 'teach' | 'votes';
  };
  /** Facts in the answer that other articles report with different numbers or dates. */
  readonly disagreements?: readonly Disagreement[];
}

/** A question the articles answer, and the key of the sentence that answers it. */
export interface RelatedQuestion {
  readonly question: string;
  readonly key: string;
}

/** One fact, reported differently: each version with the values it states and its source. */
export interface Disagreement {
  readonly versions: readonly {
    readonly text: string;
    readonly values: readonly string[];
    readonly sources: readonly Citation[];
  }[];
}

/** An article as listed by /sources. */
export interface ArticleSummary extends Citation {
  readonly file: string;
  readonly sentenceCount: number;
}
