/**
 * The values in a sentence that answer a question: of the asked kind (a date
 * for "when", a number for "how many", a person for "who"…) and attached to
 * what it asks about (read/binding.ts). The ranker reads the best one's
 * strength; the short answer is its text.
 */
import type { SentenceFacts } from './sentence-facts.ts';
import type { AnalysedQuestion } from './question.ts';
import type { SearchContext } from '../index/search-context.ts';
import { binds, valueKindsFor } from '../read/binding.ts';
import { lexiconOf } from '../read/lexicon.ts';
import { ordinalOf, SAYING, type Mention } from '../read/structure.ts';

/** What the question is about: its words and their synonyms, not its ordinals. */
export function focusOf(query: AnalysedQuestion): (term: string) => boolean {
  const terms = new Set<string>();
  for (const term of query.terms) {
    if (ordinalOf(term.surface) !== undefined) continue;
    terms.add(term.term);
    for (const synonym of term.synonyms) terms.add(synonym);
  }
  return (term) => terms.has(term);
}

/** Where the question's words stand in the sentence (UTF-16 offsets of their tokens). */
function focusPositions(
  text: string,
  focus: (term: string) => boolean,
  context: Pick<SearchContext, 'pipeline'>,
): number[] {
  const positions: number[] = [];
  let cursor = 0;
  for (const token of context.pipeline.tokenize(text)) {
    const at = text.indexOf(token, cursor);
    if (at === -1) continue;
    cursor = at + token.length;
    if (context.pipeline.processTerm(token, 'document').some(focus)) positions.push(at);
  }
  return positions;
}

/** Verbs of saying, as index terms: the one who says is rarely what is asked. */
const sayingTerms = new WeakMap<object, ReadonlySet<string>>();
function sayingTermsOf(context: Pick<SearchContext, 'pipeline'>): ReadonlySet<string> {
  let terms = sayingTerms.get(context.pipeline);
  if (!terms) {
    terms = new Set([...SAYING].flatMap((verb) => context.pipeline.terms(verb, 'document')));
    sayingTerms.set(context.pipeline, terms);
  }
  return terms;
}

/**
 * The sentence's values that answer the question, best first: the strongest
 * (a calendar date before "this week"), then the nearest to the question's
 * own words in the sentence (classical factoid QA's proximity), then the
 * earliest. A person the question already names, or one who only says
 * something ("X writes that…") when the question does not ask who said it,
 * is not an answer.
 */
export function boundValues(
  query: AnalysedQuestion,
  facts: SentenceFacts,
  text: string,
  context: Pick<SearchContext, 'pipeline'>,
): Mention[] {
  // "Who is X": X's role answers, never another person named near X.
  if (asksRoleOf(query)) {
    const role = roleOfSubject(query, facts, text, context);
    const mention =
      role && facts.structure.mentions.find((m) => m.kind === 'role' && m.start === role.start);
    return mention ? [mention] : [];
  }
  const kinds = valueKindsFor(query.type.kinds);
  if (kinds.size === 0) return [];
  const lexicon = lexiconOf(context.pipeline);
  const focus = focusOf(query);
  const asked = new Set(query.terms.map((t) => t.term));
  const saying = sayingTermsOf(context);
  const asksWhoSaid = query.reading.verb !== undefined && saying.has(query.reading.verb);
  /** "who is Medinsky": Medinsky is not the answer to his own question. */
  const onlyAskedWords = (mention: Mention) =>
    context.pipeline
      .terms(text.slice(mention.start, mention.end), 'document')
      .every((term) => asked.has(term));
  const sayer = (mention: Mention) => {
    const clause = facts.structure.clauses[mention.clause];
    return (
      !asksWhoSaid &&
      clause?.verb !== undefined &&
      saying.has(clause.verb) &&
      clause.subject?.head !== undefined &&
      context.pipeline
        .terms(text.slice(mention.start, mention.end), 'document')
        .includes(clause.subject.head)
    );
  };
  const bound = facts.structure.mentions.filter(
    (mention) =>
      kinds.has(mention.kind) &&
      !((mention.kind === 'person' || mention.kind === 'place') && onlyAskedWords(mention)) &&
      !(mention.kind === 'person' && sayer(mention)) &&
      binds(mention, facts.structure, facts.clauseTerms, query.reading, focus, lexicon),
  );
  if (bound.length < 2) return bound;
  const positions = focusPositions(text, focus, context);
  const distance = (mention: Mention) =>
    Math.min(
      Infinity,
      ...positions.map((at) =>
        at < mention.start ? mention.start - at : at >= mention.end ? at - mention.end : Infinity,
      ),
    );
  return bound.sort(
    (a, b) => b.strength - a.strength || distance(a) - distance(b) || a.start - b.start,
  );
}

/** The part of a sentence that answers a question: [start, end) in UTF-16 units. */
export interface ShortAnswer {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** "Who is Medinsky", "what's Fidan's job": a who-is question about a name (not "who was the head of…"). */
function asksRoleOf(query: AnalysedQuestion): ReadonlySet<string> | undefined {
  if (!query.asksWhoIs) return undefined;
  const names = new Set(
    query.terms.filter((t) => t.isName && query.subjectTerms.includes(t.term)).map((t) => t.term),
  );
  return names.size > 0 ? names : undefined;
}

/**
 * For "who is X" / "what is X's job": the role written with X's name —
 * "Turkish Foreign Minister Hakan Fidan", "Vladimir Medinsky, adviser to…".
 */
export function roleOfSubject(
  query: AnalysedQuestion,
  facts: SentenceFacts,
  text: string,
  context: Pick<SearchContext, 'pipeline'>,
): ShortAnswer | undefined {
  const subject = asksRoleOf(query);
  if (!subject) return undefined;
  const mentions = facts.structure.mentions;
  const named = (mention: Mention) =>
    mention.kind === 'person' &&
    context.pipeline
      .terms(text.slice(mention.start, mention.end), 'document')
      .some((term) => subject.has(term));
  for (const role of mentions.filter((m) => m.kind === 'role')) {
    const beside = mentions.some(
      (m) =>
        named(m) &&
        ((m.start >= role.end && m.start - role.end <= 1) ||
          (role.start >= m.end && role.start - m.end <= 2)),
    );
    // "Fidan is the Turkish foreign minister": the role in a copular clause whose subject is X.
    const clause = facts.structure.clauses[role.clause];
    const head = clause?.subject?.head;
    const said = head !== undefined && subject.has(head) && clause?.verb === undefined;
    if (beside || said) {
      return { text: text.slice(role.start, role.end), start: role.start, end: role.end };
    }
  }
  return undefined;
}

/**
 * The phrase that answers the question in this sentence, if the question asks
 * for one (a date, a duration, a number, an amount, a share, a person or
 * role, a place) and the sentence holds it attached to what is asked. Never
 * for a yes/no or why question. "Who is X" / "what is X's job" is answered
 * by the role written with X's name ("Turkish Foreign Minister Hakan Fidan").
 */
export function shortAnswer(
  query: AnalysedQuestion,
  facts: SentenceFacts,
  text: string,
  context: Pick<SearchContext, 'pipeline'>,
): ShortAnswer | undefined {
  const { type } = query;
  if (type.yesNo || type.kinds.includes('reason')) return undefined;
  if (asksRoleOf(query)) return roleOfSubject(query, facts, text, context);
  if (type.kinds.length === 0) return undefined;
  const [best] = boundValues(query, facts, text, context).sort(
    (a, b) =>
      Number(b.kind !== 'role') - Number(a.kind !== 'role') ||
      b.strength - a.strength ||
      a.start - b.start,
  );
  return best && { text: text.slice(best.start, best.end), start: best.start, end: best.end };
}
