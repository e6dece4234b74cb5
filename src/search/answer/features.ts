/**
 * Stage 3: what the ranker knows about a (question, sentence) pair, as
 * numbers. Each feature is one signal a reader would use; their weights are
 * fitted on labelled questions (`npm run fit`), not set by hand. A new signal
 * is a new entry here and a refit.
 */
import { unpackStrength } from './answer-type.ts';
import { cosine } from './meaning-vector.ts';
import type { AnswerOptions } from './options.ts';
import type { AnalysedQuestion, QueryTerm } from './question.ts';
import type { SearchContext } from '../index/search-context.ts';
import type { SentenceWord } from './sentence-facts.ts';
import type { Candidate } from './candidates.ts';
import { NOTHING_LEARNED, type Learned } from './learned.ts';
import { ordinalAgreement, sideAgreement, valueKindsFor } from '../read/binding.ts';
import { boundValues, focusOf, roleOfSubject } from './bound-values.ts';
import { lexiconOf } from '../read/lexicon.ts';
import { ordinalOf } from '../read/structure.ts';

export const RANK_FEATURES = [
  /** IDF-weighted share of the question's terms in the sentence (synonyms, title, neighbours at reduced credit). */
  'coverage',
  /** As coverage, with words near in meaning credited at their cosine. */
  'softCoverage',
  /** Share covered by the sentence and its neighbours together, exactly or in meaning. */
  'contextCoverage',
  /** As contextCoverage, over the question's words that are not names: its predicate. */
  'contentCoverage',
  /** IDF-weighted mean of each question word's closest sentence word in meaning (1 when present). */
  'meaning',
  /** Cosine of the question's and the sentence's meaning vectors (meaning-vector.ts). */
  'sentenceMeaning',
  /** BM25 relative to the best candidate (0 for candidates found by meaning only). */
  'bm25',
  /** How close the question is to one the community confirmed this sentence for (learned.ts). */
  'confirmed',
  /**
   * Question words the sentence lacks but which, in this community's
   * confirmations, stand for words it has (learned.ts, wordAssociations):
   * IDF-weighted share, each word at its best translation probability.
   */
  'taughtWords',
  /**
   * The kind of answer asked for (answer-type.ts): how well the sentence holds
   * it (a calendar date counts more than "next week"), −1 when it holds none.
   */
  'answerType',
  /** "how many prisoners": a number written next to the counted word (or a word near it in meaning). */
  'countedUnit',
  /**
   * +1 when the sentence names the question's ordinal for the same kind of
   * event ("second meeting" for "second round"), −1 when it names only others
   * for it; "third year" is no third round (read/binding.ts).
   */
  'ordinal',
  /**
   * A value of the asked kind attached to what the question asks about (its
   * round, its side, its words), graded as answerType: "On June 2, the second
   * round…" for "when was the second round", not "…the first meeting on 16 May".
   */
  'bound',
  /** +1 when the clause saying what the question asks is the asked side's, −1 another side's. */
  'side',
  /** Share of the question's names in the sentence (a surname counts for its part of a full name). */
  'names',
  /** "who is X" and a role with the name, or "what is X" and a sentence that says what X is. */
  'definition',
  /** An "according to / what did X say" question and a sentence attributing a view. */
  'attribution',
  /** The heaviest question term missing from the sentence and its neighbours, over the largest IDF. */
  'missing',
  /** Sentence length: log(1 + terms) / 4. */
  'length',
  /** A photo caption (1): it answers only what no sentence of the articles says. */
  'caption',
] as const;

export type RankFeature = (typeof RANK_FEATURES)[number];

const ATTRIBUTES =
  /\b(?:said|says|say|told|stated|noted|added|argued|warned|believes?|according to|called|described|claimed|insisted|suggested|emphasi[sz]ed|stressed|reported(?:ly)?)\b/i;
/** Words that introduce what a thing is called: "nicknamed Operation Spiderweb". */
const NAMING = /^(?:nicknamed|dubbed|called|named|codenamed|code-named|so-called|termed|known)$/;
/** Words that, after the subject, start saying what it is: "X, a…", "X is the…". */
const DEFINING = /^(?:is|was|are|were|refers|means|involved|involves|a|an|which|who)$/;

interface TermMatch {
  /** Credit in the sentence itself (1 exact, synonym credit, or cosine). */
  readonly exact: number;
  readonly soft: number;
  /** Best credit in the sentence or its neighbours. */
  readonly context: number;
  /** Partial credit from the title or the neighbours (exact terms only). */
  readonly partial: number;
}

/**
 * Whether the sentence says what the subject is: it names it right after a
 * naming word ("nicknamed Operation Spiderweb") or follows it with a
 * defining word ("the memorandum, which…", "Crimea, the peninsula annexed…").
 */
function definesSubject(words: readonly SentenceWord[], subjectTerm: string | undefined): boolean {
  if (subjectTerm === undefined) return false;
  for (let i = 0; i < words.length; i++) {
    if (!words[i]!.terms.includes(subjectTerm)) continue;
    for (let j = Math.max(0, i - 3); j < i; j++) {
      if (NAMING.test(words[j]!.surface)) return true;
    }
    const next = words[i + 1]?.surface;
    if (next !== undefined && DEFINING.test(next)) return true;
  }
  return false;
}

/** Whether a number stands within three words before a counted word ("1,000 prisoners"). */
function countsUnit(words: readonly SentenceWord[], unit: ReadonlySet<string>): boolean {
  for (let i = 0; i < words.length; i++) {
    if (!words[i]!.isNumber) continue;
    for (let j = i + 1; j <= i + 4 && j < words.length; j++) {
      if (words[j]!.terms.some((term) => unit.has(term))) return true;
    }
  }
  return false;
}

export function rankFeatures(
  query: AnalysedQuestion,
  { id: sentenceId, bm25, confirmed = 0 }: Candidate,
  context: SearchContext,
  options: AnswerOptions,
  learned: Learned = NOTHING_LEARNED,
): number[] {
  const { index, sentences } = context;
  const sentence = sentences[sentenceId]!;
  const facts = context.facts(sentenceId);
  const { own, around } = facts;
  const title = index.titleTerms.get(sentence.articleId);

  const lexicon = lexiconOf(context.pipeline);
  const { reading } = query;
  const ordinal = ordinalAgreement(reading, facts.structure, lexicon);
  // "first" in "how long did the first meeting last" is matched only by a first meeting:
  // the ordinal of a sentence's other nouns, or an elliptic one, does not cover it.
  const unmatchedOrdinal = (term: QueryTerm) =>
    ordinal < 1 &&
    ordinalOf(term.surface) !== undefined &&
    reading.ordinals.some(
      (use) => use.head !== undefined && ordinalOf(term.surface) === use.ordinal,
    );
  const matchIn = (term: QueryTerm, field: ReadonlySet<string> | undefined): number => {
    if (!field || unmatchedOrdinal(term)) return 0;
    if (field.has(term.term)) return 1;
    return term.synonyms.some((s) => field.has(s)) ? options.synonymCredit : 0;
  };
  const softIn = (term: QueryTerm, field: ReadonlySet<string>): number => {
    if (unmatchedOrdinal(term)) return 0;
    let best = 0;
    for (const [word, similarity] of term.related)
      if (field.has(word)) best = Math.max(best, similarity);
    return best * options.relatedCredit;
  };

  let total = 0;
  let coverage = 0;
  let soft = 0;
  let contextual = 0;
  let contentTotal = 0;
  let content = 0;
  let missing = 0;
  let names = 0;
  let namesFound = 0;
  let meaning = 0;
  for (const term of query.terms) {
    const exact = matchIn(term, own);
    const match: TermMatch = {
      exact,
      soft: Math.max(exact, softIn(term, own)),
      context: Math.max(exact, matchIn(term, around), softIn(term, own), softIn(term, around)),
      partial: Math.max(
        matchIn(term, title) * options.partialFieldCredit.title,
        matchIn(term, around) * options.partialFieldCredit.context,
      ),
    };
    const weight = term.weight * term.credit;
    total += term.weight;
    coverage += weight * Math.max(match.exact, match.partial);
    soft += weight * Math.max(match.soft, match.partial);
    contextual += weight * match.context;
    if (!term.isName) {
      contentTotal += term.weight;
      content += weight * match.context;
    }
    if (match.context === 0 && match.partial === 0) missing = Math.max(missing, term.weight);
    let closest = exact > 0 ? 1 : 0;
    if (closest === 0)
      for (const word of own) closest = Math.max(closest, term.closeness.get(word) ?? 0);
    meaning += term.weight * closest;
    if (term.isName) {
      names += 1;
      if (exact > 0) namesFound += 1;
    }
  }
  const share = (x: number) => (total === 0 ? 0 : x / total);
  const contextCoverage = share(contextual);
  const contentCoverage = contentTotal === 0 ? contextCoverage : content / contentTotal;

  const { type } = query;
  let countedUnit = 0;
  if (type.unit.length > 0) {
    const unit = new Set<string>();
    for (const term of query.terms) {
      if (!type.unit.includes(term.surface)) continue;
      unit.add(term.term);
      for (const synonym of term.synonyms) unit.add(synonym);
      for (const [word, similarity] of term.related) if (similarity >= 0.6) unit.add(word);
    }
    countedUnit = countsUnit(facts.words, unit) ? 1 : 0;
  }
  const focus = focusOf(query);
  const valueKinds = valueKindsFor(type.kinds);
  // The asked kind counts where it is attached to what the question asks about: a sentence
  // whose only date dates another round holds no answer to "when was this round". Kinds the
  // reader does not find as values (reasons, ages, distances) are read from the wording.
  let answerType = 0;
  if (type.kinds.length > 0) {
    const strength = Math.max(...type.kinds.map((kind) => unpackStrength(facts.signals, kind)));
    answerType = strength > 0 ? strength : -1;
  }
  const bound = boundValues(query, facts, sentence.text, context)[0]?.strength ?? 0;
  if (answerType !== 0 && facts.structure.mentions.some((m) => valueKinds.has(m.kind))) {
    answerType = bound > 0 ? bound : 0;
  }
  const hasName = namesFound > 0;
  // "who is X": a role written with X's name, not any role in the sentence.
  const definition =
    (query.asksWhoIs &&
      hasName &&
      roleOfSubject(query, facts, sentence.text, context) !== undefined) ||
    definesSubject(facts.words, query.subjectTerms[0]);
  const largestIdf = Math.log(1 + index.sentenceCount);

  let taught = 0;
  if (learned.words.size > 0) {
    for (const term of query.terms) {
      if (own.has(term.term)) continue;
      let best = 0;
      for (const [word, probability] of learned.words.get(term.term) ?? []) {
        if (own.has(word)) best = Math.max(best, probability);
      }
      taught += term.weight * best;
    }
  }

  const features: Record<RankFeature, number> = {
    coverage: share(coverage),
    softCoverage: share(soft),
    contextCoverage,
    contentCoverage,
    meaning: share(meaning),
    sentenceMeaning: cosine(query.meaning, facts.meaning),
    bm25,
    confirmed,
    taughtWords: share(taught),
    answerType,
    countedUnit,
    ordinal,
    bound,
    side: sideAgreement(reading, facts.structure, facts.clauseTerms, focus),
    names: names === 0 ? 1 : namesFound / names,
    definition: definition ? 1 : 0,
    attribution: query.asksAttribution && ATTRIBUTES.test(sentence.text) ? 1 : 0,
    missing: missing / largestIdf,
    length: Math.log(1 + own.size) / 4,
    caption: sentence.caption ? 1 : 0,
  };
  return RANK_FEATURES.map((name) => features[name]);
}

/** Share of the question's weight on terms no sentence has, exactly or in meaning. */
export function unknownShare(query: AnalysedQuestion): number {
  let total = 0;
  let unknown = 0;
  for (const term of query.terms) {
    total += term.weight;
    if (!term.known && term.related.size === 0) unknown += term.weight;
  }
  return total === 0 ? 1 : unknown / total;
}
