/**
 * Sources that disagree: two sentences from different articles that report
 * the same fact (mostly the same words) with different numbers or dates —
 * "exchanged 1,000 prisoners on 16 May" against "… on 2 June". Sentences
 * whose words differ are about different things, and their numbers are left
 * alone.
 */
import { MONTH } from './answer-type.ts';
import { ordinalsIn } from './ordinals.ts';
import { jaccard } from '../jaccard.ts';

/** Dates first (so "May 16, 2025" is one value), then plain numbers. */
const VALUE = new RegExp(
  `\\b(?:${MONTH}\\.? \\d{1,2}(?:st|nd|rd|th)?(?:, \\d{4})?|\\d{1,2}(?:st|nd|rd|th)? ${MONTH}(?: \\d{4})?|\\d[\\d,.]*)\\b`,
  'gi',
);
const MONTH_WORD = new RegExp(`^${MONTH}$`, 'i');

/** The numbers and dates a sentence states, normalised ("1,000" → "1000"). */
export function valuesIn(text: string): Set<string> {
  return new Set(
    [...text.matchAll(VALUE)].map((match) =>
      match[0]
        .toLowerCase()
        .replace(/(?<=\d),(?=\d{3})/g, '')
        .replace(/[.,]$/, ''),
    ),
  );
}

/** The same values as written ("May 16", "1,000"), for showing them. */
export function valuesAsWritten(text: string): string[] {
  const seen = new Map<string, string>();
  for (const match of text.matchAll(VALUE)) {
    const written = match[0].replace(/[.,]$/, '');
    const key = written.toLowerCase().replace(/(?<=\d),(?=\d{3})/g, '');
    if (!seen.has(key)) seen.set(key, written);
  }
  return [...seen.values()];
}

const isDate = (value: string) => /[a-z]/.test(value);
const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) =>
  a.size === b.size && [...a].every((v) => b.has(v));

/** A sentence's index terms without its numbers and months: what it is about. */
function topicTerms(terms: Iterable<string>): Set<string> {
  return new Set([...terms].filter((term) => !/\d/.test(term) && !MONTH_WORD.test(term)));
}

/**
 * Reports that name different rounds, meetings or days ("the first round" /
 * "the second round") are about different events, whatever figures they
 * share: a June swap of 1,000 does not contradict a May swap of 1,000.
 */
function differentEvents(a: string, b: string): boolean {
  const ordinalsA = ordinalsIn(a);
  const ordinalsB = ordinalsIn(b);
  return ordinalsA.size > 0 && ordinalsB.size > 0 && ![...ordinalsA].some((o) => ordinalsB.has(o));
}

export interface Reported {
  readonly articleId: string;
  readonly text: string;
  readonly terms: ReadonlySet<string>;
}

/**
 * Whether two reports (from different articles) state one fact with
 * different values, about the same event (not another round or meeting). Either they say nearly the same thing (topic overlap of
 * at least `sameFact`) with different numbers or dates, or they name the same
 * figure ("1,000 prisoners") with at least `sharedTopic` words in common and
 * date it differently ("on May 16" / "June 2").
 */
export function disagree(
  a: Reported,
  b: Reported,
  options: { readonly sameFact: number; readonly sharedTopic: number },
): boolean {
  if (a.articleId === b.articleId) return false;
  if (differentEvents(a.text, b.text)) return false;
  const valuesA = valuesIn(a.text);
  const valuesB = valuesIn(b.text);
  if (valuesA.size === 0 || valuesB.size === 0 || sameSet(valuesA, valuesB)) return false;
  const topicA = topicTerms(a.terms);
  const topicB = topicTerms(b.terms);
  if (jaccard(topicA, topicB) >= options.sameFact) return true;

  const figuresA = [...valuesA].filter((v) => !isDate(v));
  const sharesFigure = figuresA.some((v) => valuesB.has(v) && v.replace(/\D/g, '').length >= 2);
  const datesA = new Set([...valuesA].filter(isDate));
  const datesB = new Set([...valuesB].filter(isDate));
  const datedDifferently = datesA.size > 0 && datesB.size > 0 && !sameSet(datesA, datesB);
  const shared = [...topicA].filter((term) => topicB.has(term)).length;
  return sharesFigure && datedDifferently && shared >= options.sharedTopic;
}
