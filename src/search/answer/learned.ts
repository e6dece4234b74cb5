/**
 * Answers the community confirmed: a moderator pinned or taught them, or
 * enough members voted them up ("right"), or a moderator marked them wrong.
 * A new question is matched against the confirmed *questions*, not against
 * article sentences: two questions about one fact share far more wording than
 * a question and its answer ("who's heading russia's team" ↔ "who led the
 * russian delegation"). The closeness becomes a ranker and a confidence
 * feature (fitted like the others), so a close match puts the confirmed
 * sentence first; a confirmed-wrong sentence is never given first to a close
 * match of its question.
 *
 * Closeness is strict about what changes the fact asked for: questions that
 * ask for another kind of answer, another round or other numbers do not
 * match at all, and names count only exactly ("how old is Umerov" does not
 * inherit "who led Ukraine's delegation"); other words count exactly or
 * through their word vectors.
 */
import type { SearchContext } from '../index/search-context.ts';
import type { AnswerOptions } from './options.ts';
import { distinctTerms } from '../index/sentence-terms.ts';
import { analyseQuestion, type AnalysedQuestion, type QueryTerm } from './question.ts';

export type Verdict = 'right' | 'wrong';
export type ConfirmedHow = 'pin' | 'teach' | 'votes';

/** One confirmation as the store keeps it. */
export interface Confirmation {
  readonly id: number;
  readonly question: string;
  readonly sentenceKey: string;
  readonly verdict: Verdict;
  readonly how: ConfirmedHow;
  /** When it was confirmed (ms since the epoch): of two for one question, the later wins. */
  readonly createdAt?: number;
}

/** Whether `a` was confirmed after `b` (the store's time, then its id). */
const later = (a: Confirmation, b: Confirmation) =>
  (a.createdAt ?? 0) > (b.createdAt ?? 0) ||
  ((a.createdAt ?? 0) === (b.createdAt ?? 0) && a.id > b.id);

/** A confirmation with its question analysed, ready to be matched. */
export interface LearnedQuestion {
  readonly confirmation: Confirmation;
  readonly query: AnalysedQuestion;
  /** The question as the term pipeline reads it (questionKey): equal keys, same question. */
  readonly key: string;
  /** The confirmed sentence now; undefined when the articles no longer hold it (stale). */
  readonly sentenceId: number | undefined;
  /** That sentence's index terms: its words describe the fact too. */
  readonly answerTerms: ReadonlySet<string>;
}

/** A community's confirmations, analysed once (engine.learn) and passed to every answer. */
export interface Learned {
  readonly questions: readonly LearnedQuestion[];
  /**
   * What the community's confirmations taught about words: for a question
   * word, the sentence words it stands for in this community, with their
   * translation probability ("brushed off" → "rejected"). See
   * wordAssociations.
   */
  readonly words: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export const NOTHING_LEARNED: Learned = { questions: [], words: new Map() };

/** Expectation–maximisation rounds for the word translation table (IBM Model 1). */
const ASSOCIATION_ROUNDS = 5;

/**
 * Word-to-word "translation" probabilities learned from confirmed (question,
 * sentence) pairs, as question-archive retrieval learns them (Jeon, Croft &
 * Lee 2005; Xue, Jeon & Croft 2008: a translation-based language model with
 * IBM Model 1 alignments): each question word the sentence does not contain
 * is aligned, softly, with the sentence words the question does not contain,
 * and the table is refined by a few rounds of expectation–maximisation over
 * all of a community's pairs — a word confirmed with "rejected" in several
 * answers ends up standing for it. Words both sides share teach nothing.
 */
export function wordAssociations(
  pairs: readonly {
    readonly question: readonly string[];
    readonly sentence: ReadonlySet<string>;
  }[],
): Map<string, Map<string, number>> {
  const aligned = pairs
    .map(({ question, sentence }) => {
      const asked = new Set(question);
      return {
        from: [...asked].filter((word) => !sentence.has(word)),
        to: [...sentence].filter((word) => !asked.has(word)),
      };
    })
    .filter(({ from, to }) => from.length > 0 && to.length > 0);
  let table = new Map<string, Map<string, number>>();
  for (const { from, to } of aligned) {
    for (const q of from) {
      const row = table.get(q) ?? new Map<string, number>();
      for (const s of to) row.set(s, 1);
      table.set(q, row);
    }
  }
  for (let round = 0; round < ASSOCIATION_ROUNDS; round++) {
    const counts = new Map<string, Map<string, number>>();
    for (const { from, to } of aligned) {
      for (const s of to) {
        let total = 0;
        for (const q of from) total += table.get(q)?.get(s) ?? 0;
        if (total === 0) continue;
        for (const q of from) {
          const share = (table.get(q)?.get(s) ?? 0) / total;
          const row = counts.get(q) ?? new Map<string, number>();
          row.set(s, (row.get(s) ?? 0) + share);
          counts.set(q, row);
        }
      }
    }
    table = new Map(
      [...counts].map(([q, row]) => {
        const sum = [...row.values()].reduce((a, b) => a + b, 0);
        return [q, new Map([...row].map(([s, c]) => [s, c / sum]))];
      }),
    );
  }
  return table;
}

/** How near in meaning two words must be for one to stand for the other (on the shipped vectors). */
const MIN_WORD_SIMILARITY = 0.4;
/** A name matches its own longer form: "russia" in "russian", "ukrain" in "ukrainian". */
const MIN_NAME_PREFIX = 4;

export function learnFrom(
  confirmations: readonly Confirmation[],
  context: SearchContext,
  options: AnswerOptions,
  sentenceIdOfKey: (key: string) => number | undefined,
): Learned {
  const questions = confirmations.map((confirmation): LearnedQuestion => {
    const sentenceId = sentenceIdOfKey(confirmation.sentenceKey);
    const query = analyseQuestion(
      confirmation.question.slice(0, options.maxQuestionLength),
      context,
      options,
    );
    return {
      confirmation,
      query,
      key: questionKey(query),
      sentenceId,
      answerTerms:
        sentenceId === undefined
          ? new Set<string>()
          : distinctTerms(context.index.sentenceTerms, sentenceId),
    };
  });
  const words = wordAssociations(
    questions
      .filter((q) => q.confirmation.verdict === 'right' && q.sentenceId !== undefined)
      .map((q) => ({ question: q.query.terms.map((t) => t.term), sentence: q.answerTerms })),
  );
  return { questions, words };
}

const isNumber = (term: QueryTerm) => /\p{N}/u.test(term.term);

/**
 * A question as the term pipeline reads it: case, punctuation, whitespace,
 * apostrophes ("russias" / "russia's"), accents, stop words and word endings
 * folded away, words in their order. Two questions with the same key are the
 * same question to the bot.
 */
export function questionKey(query: Pick<AnalysedQuestion, 'terms'>): string {
  return query.terms.map((term) => term.term).join(' ');
}

/** Two sets that both name something and share nothing: "first" against "second" round. */
function conflict<T>(a: Iterable<T>, b: Iterable<T>): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size > 0 && y.size > 0 && ![...x].some((v) => y.has(v));
}

/** A name matches its own longer form ("russia" in "russian"); nothing else stands in for it. */
function sameName(x: string, y: string): boolean {
  return (
    x === y ||
    (Math.min(x.length, y.length) >= MIN_NAME_PREFIX && (x.startsWith(y) || y.startsWith(x)))
  );
}

/** Credit for a word typed with a slip ("delegaion" for "delegation", "Kisltsa" for "Kislitsa"). */
const TYPO_CREDIT = 0.9;

/** Whether two typed words are one slip apart: one edit for 5–7 letters, two from 8 (no numbers). */
function typedAlike(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  if (shorter < 5 || /\p{N}/u.test(a) || /\p{N}/u.test(b)) return false;
  const allowed = shorter >= 8 ? 2 : 1;
  if (Math.abs(a.length - b.length) > allowed) return false;
  // Levenshtein distance, stopped early once over the allowance.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, row[j]!);
    }
    if (best > allowed) return false;
    previous = row;
  }
  return previous[b.length]! <= allowed;
}

/**
 * How well one question word is matched by another question's words: a name
 * or a number only by itself (or a slip of it); other words exactly, by a
 * vocabulary synonym, through their word vectors, or as a slip of typing.
 */
function wordMatch(term: QueryTerm, others: readonly QueryTerm[], synonymCredit: number): number {
  const exactOnly = term.isName || isNumber(term);
  let best = 0;
  for (const other of others) {
    if (other.term === term.term) return 1;
    if (typedAlike(term.surface, other.surface)) best = Math.max(best, TYPO_CREDIT);
    if (exactOnly || other.isName || isNumber(other)) {
      if (term.isName && other.isName && sameName(term.term, other.term)) return 1;
      continue;
    }
    if (term.synonyms.includes(other.term) || other.synonyms.includes(term.term)) {
      best = Math.max(best, synonymCredit);
      continue;
    }
    const cosine = Math.max(
      term.closeness.get(other.term) ?? 0,
      other.closeness.get(term.term) ?? 0,
    );
    if (cosine >= MIN_WORD_SIMILARITY) best = Math.max(best, cosine);
  }
  return best;
}

/**
 * 1 when `from[i]` is a name written just before another name that `by`
 * matches: the given name of a person the other question names by surname
 * alone ("Vladimir Medinsky" / "Medinsky"). Not a name after it: "Vladimir
 * Putin" is not "Vladimir Medinsky".
 */
function givenName(from: readonly QueryTerm[], i: number, by: readonly QueryTerm[]): number {
  const term = from[i]!;
  const next = from[i + 1];
  if (!term.isName || !next?.isName) return 0;
  return by.some((other) => other.isName && sameName(other.term, next.term)) ? 1 : 0;
}

/**
 * How surely two questions ask the same thing (0–1): 0 when they ask for
 * different kinds of answer ("how old" / "who"), name different rounds or
 * different numbers; otherwise the IDF-weighted F1 of their words matching
 * each other — names and numbers only exactly, so a name in one and not the
 * other ("Umerov" / "Ukraine's delegation") weighs heavily against it.
 */
export function questionSimilarity(
  a: AnalysedQuestion,
  b: AnalysedQuestion,
  synonymCredit: number,
  /** The index terms of b's confirmed sentence: they may stand for a's words too. */
  answerTerms: ReadonlySet<string> = new Set(),
): number {
  if (conflict(a.type.kinds, b.type.kinds)) return 0;
  if (conflict(a.ordinals, b.ordinals)) return 0;
  const numbers = (q: AnalysedQuestion) => q.terms.filter(isNumber).map((t) => t.term);
  if (conflict(numbers(a), numbers(b))) return 0;
  const covered = (from: readonly QueryTerm[], by: readonly QueryTerm[]) => {
    let total = 0;
    let matched = 0;
    from.forEach((term, i) => {
      total += term.weight;
      matched += term.weight * Math.max(wordMatch(term, by, synonymCredit), givenName(from, i, by));
    });
    return total === 0 ? 0 : matched / total;
  };
  const coveredWithAnswer = () => {
    let total = 0;
    let matched = 0;
    for (const term of a.terms) {
      total += term.weight;
      let match = Math.max(
        wordMatch(term, b.terms, synonymCredit),
        givenName(a.terms, a.terms.indexOf(term), b.terms),
      );
      if (answerTerms.has(term.term)) match = 1;
      else if (!term.isName && !isNumber(term)) {
        for (const word of answerTerms) {
          const cosine = term.closeness.get(word) ?? 0;
          if (cosine >= MIN_WORD_SIMILARITY) match = Math.max(match, cosine);
        }
      }
      matched += term.weight * match;
    }
    return total === 0 ? 0 : matched / total;
  };
  const precision = coveredWithAnswer();
  const recall = covered(b.terms, a.terms);
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** The confirmation that answers a question before any ranking: its own, or a close rewording's. */
export interface Lookup {
  readonly confirmation: Confirmation;
  readonly sentenceId: number;
  /** 1 for the same question (equal keys). */
  readonly similarity: number;
}

/** What a question's close confirmations say, by sentence key (copies of a sentence share it). */
export interface LearnedMatches {
  /**
   * The confirmed answer to this very question (or a close rewording of it):
   * given first and confident whatever the ranker says. With several, the
   * same question before a rewording, then the closest, then the latest.
   */
  readonly lookup?: Lookup;
  /** Sentence key → the closest right confirmation pointing at it, how close, and one sentence id. */
  readonly right: ReadonlyMap<
    string,
    { similarity: number; confirmation: Confirmation; sentenceId: number }
  >;
  /** Keys of sentences confirmed wrong for a question at least `wrongSimilarity` close. */
  readonly wrong: ReadonlySet<string>;
}

/** The confirmations close to a question: the sentences they confirm, and those they rule out. */
export function matchLearned(
  query: AnalysedQuestion,
  learned: Learned,
  options: {
    readonly synonymCredit: number;
    readonly minSimilarity: number;
    readonly wrongSimilarity: number;
    /** From this closeness a confirmation answers its rewording before ranking (a lookup). */
    readonly lookupSimilarity: number;
  },
): LearnedMatches {
  const key = questionKey(query);
  let lookup: Lookup | undefined;
  const better = (candidate: Lookup) =>
    !lookup ||
    candidate.similarity > lookup.similarity ||
    (candidate.similarity === lookup.similarity &&
      later(candidate.confirmation, lookup.confirmation));
  const right = new Map<
    string,
    { similarity: number; confirmation: Confirmation; sentenceId: number }
  >();
  const wrong = new Set<string>();
  for (const learnedQuestion of learned.questions) {
    const {
      confirmation,
      query: asked,
      sentenceId,
      answerTerms,
      key: learnedKey,
    } = learnedQuestion;
    if (sentenceId === undefined) continue; // stale: the sentence is gone
    const sentence = confirmation.sentenceKey;
    if (confirmation.verdict === 'wrong') {
      // Ruled out for the question as asked and close rewordings of it.
      if (
        (key.length > 0 && learnedKey === key) ||
        questionSimilarity(query, asked, options.synonymCredit) >= options.wrongSimilarity
      ) {
        wrong.add(sentence);
      }
      continue;
    }
    const same = key.length > 0 && learnedKey === key;
    const similarity = same
      ? 1
      : questionSimilarity(query, asked, options.synonymCredit, answerTerms);
    const previous = right.get(sentence);
    if (
      similarity >= options.minSimilarity &&
      (!previous ||
        similarity > previous.similarity ||
        (similarity === previous.similarity && later(confirmation, previous.confirmation)))
    ) {
      right.set(sentence, { similarity, confirmation, sentenceId });
    }
    if (
      (same || similarity >= options.lookupSimilarity) &&
      better({ confirmation, sentenceId, similarity })
    ) {
      lookup = { confirmation, sentenceId, similarity };
    }
  }
  // A sentence ruled out for this question is never its answer, confirmed or not.
  if (lookup && wrong.has(lookup.confirmation.sentenceKey)) lookup = undefined;
  return { right, wrong, ...(lookup && { lookup }) };
}
