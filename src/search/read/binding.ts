/**
 * Comparing a question's structure with a sentence's: does the sentence say
 * the asked thing about the asked round, side and event? Three signals for
 * the ranker (answer/features.ts) and the short answer (answer/short-answer.ts):
 *
 * - **ordinal agreement**: the same ordinal qualifies a noun of the same
 *   kind of event ("second meeting" for "second round"), not another noun
 *   ("third year" is no third round) and not nothing ("as he did for the
 *   first");
 * - **bound values**: a value of the asked kind attached to what the question
 *   asks about — in a noun phrase or clause sharing its words, not attached
 *   to another round ("…after the first meeting on 16 May" does not date
 *   the second round) or another side;
 * - **side**: whose clause it is — the clause that says what the question
 *   asks has the question's side as its subject, possessor or actor.
 */
import type { AnswerKind } from '../answer/answer-type.ts';
import type { Lexicon } from './lexicon.ts';
import type { Mention, OrdinalUse, SentenceStructure, ValueKind } from './structure.ts';
import type { TaggedToken } from './tagger.ts';
import { readStructure } from './structure.ts';

/** What a question's structure says it asks about. */
export interface QuestionReading {
  /** Its ordinals and the nouns they qualify ("first" → meeting). */
  readonly ordinals: readonly OrdinalUse[];
  /** The side it asks about ("russia's team", "did Moscow…"), as a side bit; 0 when none. */
  readonly side: number;
  /** Its main verb, as an index term. */
  readonly verb?: string;
}

/** Words after which a side is the other party, not the one asked about ("share of Ukraine"). */
const OTHER_PARTY = new Set([
  'between',
  'against',
  'with',
  'to',
  'from',
  'and',
  'toward',
  'towards',
  'of',
  'for',
  'in',
  'on',
  'into',
]);

/**
 * The side a question asks about: a possessor ("russia's team", typed
 * "russias team"), else the first side named outside a prepositional phrase
 * ("did Moscow reject…", "what share of Ukraine does Russia hold" → Russia).
 */
export function readQuestion(tokens: readonly TaggedToken[], lexicon: Lexicon): QuestionReading {
  const structure = readStructure(tokens, lexicon);
  const words = tokens.map((t) => t.lower);
  let side = 0;
  let fallback = 0;
  for (let i = 0; i < words.length && side === 0; i++) {
    const found = lexicon.sideAt(words, i);
    if (!found) continue;
    const possessive =
      tokens[i + found.length]?.pos === 'PART' || /s'?$|'s$/.test(words[i + found.length - 1]!);
    if (possessive && lexicon.sideAt([words[i]!.replace(/'?s'?$/, '')], 0)?.side !== found.side) {
      // "russians" is a name of its own, not a possessive.
    } else if (possessive && tokens[i + found.length]?.pos !== 'VERB') {
      side = found.side;
      break;
    }
    if (!OTHER_PARTY.has(words[i - 1] ?? '') && fallback === 0) fallback = found.side;
  }
  if (side === 0) side = fallback;
  const verb = structure.clauses.find((clause) => clause.verb !== undefined)?.verb;
  return { ordinals: structure.ordinals, side, ...(verb !== undefined && { verb }) };
}

/** The kinds of value that answer each kind of question. */
const VALUE_KINDS: Readonly<Partial<Record<AnswerKind, readonly ValueKind[]>>> = {
  time: ['time'],
  duration: ['duration'],
  count: ['count'],
  money: ['money'],
  share: ['share'],
  person: ['person', 'role'],
  place: ['place'],
};

export function valueKindsFor(kinds: readonly AnswerKind[]): Set<ValueKind> {
  return new Set(kinds.flatMap((kind) => VALUE_KINDS[kind] ?? []));
}

/** Whether two nouns are the same thing for an ordinal: one kind of event, or one word. */
function sameThing(lexicon: Lexicon, a: string, b: string): boolean {
  if (a === b) return true;
  const group = lexicon.eventGroupOf(a);
  return group !== undefined && group === lexicon.eventGroupOf(b);
}

/** The question's ordinals that qualify a noun ("first meeting"), with the noun. */
function boundOrdinals(question: QuestionReading) {
  return question.ordinals.filter((use) => use.head !== undefined) as (OrdinalUse & {
    head: string;
  })[];
}

/**
 * +1 when the sentence names the question's ordinal for the same thing, −1
 * when it names only other ordinals for it, 0 otherwise. A question ordinal
 * with no noun ("the 2nd one") compares with any ordinal in the sentence.
 */
export function ordinalAgreement(
  question: QuestionReading,
  sentence: SentenceStructure,
  lexicon: Lexicon,
): number {
  if (question.ordinals.length === 0) return 0;
  let agree = false;
  let other = false;
  // What the sentence is about: an ordinal event as a clause's subject ("The second round…
  // were held…, a fortnight after the first meeting") outranks one in a side phrase.
  let subjectAgrees = false;
  let subjectDiffers = false;
  for (const asked of question.ordinals) {
    const same = (head: string | undefined) =>
      asked.head === undefined || (head !== undefined && sameThing(lexicon, asked.head, head));
    for (const use of sentence.ordinals) {
      if (!same(use.head)) continue;
      if (use.ordinal === asked.ordinal) agree = true;
      else other = true;
    }
    for (const clause of sentence.clauses) {
      const subject = clause.subject;
      if (subject?.ordinal === undefined || !same(subject.head)) continue;
      if (subject.ordinal === asked.ordinal) subjectAgrees = true;
      else subjectDiffers = true;
    }
  }
  if (subjectAgrees || (agree && !subjectDiffers)) return 1;
  if (agree) return 0;
  return other ? -1 : 0;
}

/** The ordinal the question puts on an event ("the second round" → 2), if any. */
function askedEventOrdinal(question: QuestionReading, lexicon: Lexicon) {
  return boundOrdinals(question).find((use) => lexicon.isEvent(use.head));
}

/**
 * Whether a value belongs to what the question asks about: its noun phrase
 * (or, when it belongs to its clause, the clause) shares a word with the
 * question, is not another round than the asked one, and is not another
 * side's.
 */
export function binds(
  mention: Mention,
  sentence: SentenceStructure,
  clauseTerms: readonly ReadonlySet<string>[],
  question: QuestionReading,
  focus: (term: string) => boolean,
  lexicon: Lexicon,
): boolean {
  const clause = sentence.clauses[mention.clause];
  const asked = askedEventOrdinal(question, lexicon);
  if (asked) {
    // The value's own noun phrase decides when it is an event ("the first meeting on 16 May");
    // otherwise its clause does: its subject's ordinal, or an event it names.
    const host = mention.host;
    const hostIsEvent = host?.head !== undefined && sameThing(lexicon, asked.head, host.head);
    if (hostIsEvent) {
      if (host!.ordinal !== undefined && host!.ordinal !== asked.ordinal) return false;
    } else {
      const events = sentence.ordinals.filter(
        (use) =>
          use.clause === mention.clause &&
          use.head !== undefined &&
          sameThing(lexicon, asked.head, use.head),
      );
      const subject = clause?.subject;
      const subjectOrdinal =
        subject?.head !== undefined && sameThing(lexicon, asked.head, subject.head)
          ? subject.ordinal
          : undefined;
      if (subjectOrdinal !== undefined && subjectOrdinal !== asked.ordinal) return false;
      if (
        subjectOrdinal === undefined &&
        events.length > 0 &&
        !events.some((use) => use.ordinal === asked.ordinal)
      ) {
        return false;
      }
    }
  }
  if (question.side !== 0 && clause && clause.sides !== 0 && (clause.sides & question.side) === 0) {
    return false;
  }
  const inClause = [...(clauseTerms[mention.clause] ?? [])].some(focus);
  if (mention.host) {
    const head = mention.host.head;
    // A count's noun ("1,000 prisoners") is what it counts; its clause says of what.
    return (
      (head !== undefined && focus(head)) ||
      ((mention.kind === 'count' || mention.kind === 'share') && inClause)
    );
  }
  return inClause;
}

/**
 * +1 when the clause that says what the question asks (the one sharing most
 * of its words) is the question's side's, −1 when it is only another side's,
 * 0 when the question names no side or the clause none.
 */
export function sideAgreement(
  question: QuestionReading,
  sentence: SentenceStructure,
  clauseTerms: readonly ReadonlySet<string>[],
  focus: (term: string) => boolean,
): number {
  if (question.side === 0 || sentence.clauses.length === 0) return 0;
  let best = -1;
  let bestShared = 0;
  clauseTerms.forEach((terms, i) => {
    let shared = 0;
    for (const term of terms) if (focus(term)) shared += 1;
    if (question.verb !== undefined && terms.has(question.verb)) shared += 1;
    if (shared > bestShared) {
      bestShared = shared;
      best = i;
    }
  });
  const sides = sentence.clauses[best]?.sides ?? 0;
  if (sides === 0) return 0;
  return (sides & question.side) !== 0 ? 1 : -1;
}
