/**
 * The timeline: every dated event the articles state, oldest first.
 *
 * Dates are found with chrono-node and then checked against the words actually
 * written, because chrono happily invents what the text leaves out: a bare
 * "May 16" gets the reference date's year, "in three years" or "next week" get
 * a "certain" year computed from today, "end of June" gets day 30 and
 * "May 32, 2025" is read as May 2032. So a date is kept only at the precision
 * the sentence itself writes down:
 *
 * - year: a four-digit year must be written in the same date expression, either
 *   in the expression itself ("16 May 2025", "February 2022") or, for the first
 *   half of a range or list ("May–May 2025", "May 16 to June 2, 2025", "May and
 *   June 2025"), in the part that closes it. A date with no written year is
 *   dropped, never guessed. Relative expressions ("last week", "today", "two
 *   days after June 2, 2025") never count, nor does a date that anchors an
 *   offset chrono does not read ("a fortnight after 16 May 2025").
 * - month: its name (capitalised: "may" and "march" are verbs) or its number in
 *   a numeric date. A numeric date that reads both ways (06/02/2025: 6 February
 *   or 2 June?) keeps only its year.
 * - day: its number, written; otherwise the event has month precision
 *   ("end of June 2025" is 2025-06, not 2025-06-30).
 *
 * A range yields its start only: the event begins there, and one sentence is
 * one event per date.
 *
 * Year-only dates ("annexed in 2014", "since 2022") have year precision. They
 * come from a small rule of our own (chrono does not read bare years): a year
 * after "in", "since", "during", "throughout" or "from", not followed by a
 * digit, a percent sign or a lower-case word ("in 2000 villages" is a count).
 * They are kept only when the sentence has no finer date in the same year, so
 * "since February 2022 … in 2022" is one event, not two.
 *
 * Order: by date; an event known only to its month or year comes after the
 * precise events of that month or year ("sometime in May 2025" after
 * 2025-05-16, "in 2022" after 2022-02), as a timeline written by hand would
 * list it; equal dates keep corpus order.
 */
import { loadChrono } from '../chrono.ts';
import type { ParsedComponents, ParsedResult } from 'chrono-node';
import type { ArticleInfo, Sentence } from '../../knowledge/types.ts';
import { citationOf } from '../answer/answer.ts';
import { jaccard } from '../jaccard.ts';
import { DEFAULT_ANSWER_OPTIONS } from '../answer/options.ts';
import type { Citation } from '../types.ts';

export type DatePrecision = 'day' | 'month' | 'year';

/** A date at the precision the text states. */
export interface TimelineDate {
  /** 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'. */
  readonly date: string;
  readonly precision: DatePrecision;
}

export interface TimelineEvent {
  /** ISO date at the precision the text states: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'. */
  readonly date: string;
  readonly precision: DatePrecision;
  /** The sentence stating the event (verbatim). */
  readonly text: string;
  /**
   * The sentence after its leading date label, when it opens with this very
   * date ("June 2, 2025: The second round…" → "The second round…"), so a
   * timeline line does not state the date twice.
   */
  readonly textAfterDate?: string;
  /** Sentence key (Sentence.key) of the first source, for buttons. */
  readonly key: string;
  /** Every article reporting it (near-identical sentences merged, like answers), first first. */
  readonly sources: readonly Citation[];
}

export interface TimelineSettings {
  /** Term-set Jaccard similarity at which two sentences with the same date are one event. */
  readonly mergeSimilarity: number;
}

/** chrono needs a reference date; nothing it implies from it is ever kept. */
const REFERENCE_DATE = new Date(Date.UTC(2000, 0, 1));

/**
 * Every kept date has a written year (1500–2099), so a sentence without one is
 * skipped before any parsing, and chrono (by far the slowest step) only sees
 * sentences that also name a month or hold a numeric date.
 */
const WRITTEN_YEAR = /(?<!\d)(?:1[5-9]|20)\d\d(?!\d)/g;
const HAS_WRITTEN_YEAR = new RegExp(WRITTEN_YEAR.source);
const MONTH_OR_NUMERIC_DATE =
  /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d[./-]\d{1,2}[./-]\d|\d{4}[./-]\d/i;

// prettier-ignore
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December',
];
/** "Sep", "Sept", "September": any prefix of three letters or more of the month's name. */
const MONTH_WORD = /\p{L}+/gu;

/** Numbers written as a numeric date: 16.05.2025, 5/16/2025, 2025-06-01. */
const NUMERIC_DATE = /(?<!\d)(\d{1,4})[./-](\d{1,2})(?:[./-](\d{1,4}))?(?!\d)/;

/** What may separate a yearless date from the dated one that closes its list. */
const LIST_GAP = /^\s*(?:,?\s*(?:and|or|to|through|until|till|&)|,|[-–—])?\s*$/i;

/** A duration offset just before a date: "a fortnight after", "weeks before". */
const OFFSET_BEFORE =
  /\b(?:fortnights?|days?|weeks?|months?|years?|hours?|decades?)\s+(?:after|before|later than|earlier than|prior to)\s*$/i;

/** What introduces a year-only date: "in 2014", "since 2022", "in early 2025". */
const YEAR_ONLY_LEAD =
  /(?:^|[^\p{L}\p{N}])(?:in|since|during|throughout|from)\s+(?:(?:early|late|mid)[\s-]+)?$/iu;
/** What may not follow it: more digits ("2014.5"), a percent sign, or a lower-case word. */
const YEAR_ONLY_TAIL = /^(?:[.,]?\p{N}|%|\s*[-–]?\s*(\p{Ll}\p{L}*))/u;
/** Lower-case words that may follow a year-only date ("in 2022 and", "since 2014 when"). */
// prettier-ignore
const YEAR_FOLLOWERS = new Set([
  'and', 'or', 'when', 'while', 'as', 'after', 'before', 'until', 'but', 'amid', 'following',
  'that', 'which', 'where', 'the', 'a', 'an',
]);

interface FoundDate extends TimelineDate {
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
}

interface ParseOptions {
  /** Accept lower-case month names (a member typing "june 2025"). */
  readonly anyCase: boolean;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function found(year: number, month?: number, day?: number): FoundDate {
  if (month === undefined) return { date: String(year), precision: 'year', year };
  if (day === undefined) {
    return { date: `${year}-${pad(month)}`, precision: 'month', year, month };
  }
  return { date: `${year}-${pad(month)}-${pad(day)}`, precision: 'day', year, month, day };
}

function yearWritten(expression: string, year: number): boolean {
  return [...expression.matchAll(WRITTEN_YEAR)].some(([written]) => Number(written) === year);
}

/** Whether `expression` names `month` (1–12) in words. */
function monthNamed(expression: string, month: number, options: ParseOptions): boolean {
  const name = MONTH_NAMES[month - 1]?.toLowerCase() ?? '';
  for (const [word] of expression.matchAll(MONTH_WORD)) {
    const lower = word.toLowerCase();
    if (lower.length < 3 || !name.startsWith(lower)) continue;
    if (options.anyCase || word[0] !== word[0]?.toLowerCase()) return true;
  }
  return false;
}

function numberWritten(expression: string, value: number): boolean {
  return new RegExp(`(?<!\\d)0?${value}(?:st|nd|rd|th)?(?!\\d)`, 'i').test(expression);
}

/** 06/02/2025 reads as 6 February or 2 June: only its year is certain. */
function ambiguousNumericDate(expression: string): boolean {
  const match = NUMERIC_DATE.exec(expression);
  if (!match) return false;
  const parts = match.slice(1).filter((part): part is string => part !== undefined);
  if (parts[0]?.length === 4) return false; // year first: always year-month-day
  const [first, second] = parts.map(Number);
  return (
    first !== undefined && second !== undefined && first <= 12 && second <= 12 && first !== second
  );
}

function isRelative(component: ParsedComponents): boolean {
  for (const tag of component.tags()) {
    if (/relative|casualReference|EndOfCurrent/i.test(tag)) return true;
  }
  return false;
}

/**
 * The date one chrono component states in `expression`, at the precision the
 * text supports. `year` is the year written for it (its own or borrowed from
 * the end of its range or list).
 */
function componentDate(
  component: ParsedComponents,
  expression: string,
  year: number,
  options: ParseOptions,
): FoundDate | undefined {
  if (isRelative(component)) return undefined;
  const month = component.isCertain('month') ? component.get('month') : null;
  if (month === null) return found(year);
  if (!monthNamed(expression, month, options)) {
    // Not named: a numeric date ("16.05.2025"), or no date at all ("troops march 2000 km").
    if (!numericMonth(expression, month)) return undefined;
    if (ambiguousNumericDate(expression)) return found(year);
  }
  const day = component.isCertain('day') ? component.get('day') : null;
  const endOfPeriod = [...component.tags()].some((tag) => /EndOfPeriod/i.test(tag));
  if (day === null || endOfPeriod || !numberWritten(expression, day)) return found(year, month);
  return found(year, month, day);
}

function numericMonth(expression: string, month: number): boolean {
  const match = NUMERIC_DATE.exec(expression);
  return (
    match !== null && match.slice(1, 4).some((part) => part !== undefined && Number(part) === month)
  );
}

/** The year `component` writes in `expression`, if it is certain and really written there. */
function ownYear(component: ParsedComponents, expression: string): number | undefined {
  const year = component.get('year');
  if (!component.isCertain('year') || year === null || isRelative(component)) return undefined;
  return yearWritten(expression, year) ? year : undefined;
}

function monthDay(component: ParsedComponents): number {
  return (
    (component.get('month') ?? 0) * 100 +
    (component.isCertain('day') ? (component.get('day') ?? 0) : 0)
  );
}

/**
 * The year a yearless date borrows from the dated one after it in a range or
 * list; undefined when the order would need a year change ("December and
 * January 2026" is ambiguous).
 */
function borrowedYear(
  component: ParsedComponents,
  closing: ParsedComponents,
  closingYear: number,
  isRange: boolean,
): number | undefined {
  if (!component.isCertain('month')) return undefined;
  if (monthDay(component) <= monthDay(closing)) return closingYear;
  // A range runs forward, so "December 28 to January 3, 2026" starts in 2025.
  return isRange ? closingYear - 1 : undefined;
}

interface Expression {
  readonly result: ParsedResult;
  /** Its start's stated (or borrowed) year. */
  year?: number;
}

/** The dates written in `text`, one per date expression, in text order. */
function datesIn(text: string, options: ParseOptions): FoundDate[] {
  const results = loadChrono().casual.parse(text, REFERENCE_DATE, { forwardDate: false });
  const expressions: Expression[] = results.map((result) => ({ result }));

  // Right to left, so a year written at the end of a list reaches every member.
  for (let i = expressions.length - 1; i >= 0; i -= 1) {
    const expression = expressions[i]!;
    const { result } = expression;
    expression.year = ownYear(result.start, result.text);
    if (expression.year === undefined && result.end) {
      const endYear = ownYear(result.end, result.text);
      if (endYear !== undefined) {
        expression.year = borrowedYear(result.start, result.end, endYear, true);
      }
    }
    const next = expressions[i + 1];
    if (expression.year === undefined && next?.year !== undefined) {
      const gap = text.slice(result.index + result.text.length, next.result.index);
      if (LIST_GAP.test(gap) && !result.end && !isRelative(result.start)) {
        expression.year = borrowedYear(result.start, next.result.start, next.year, false);
      }
    }
  }

  const dates: FoundDate[] = [];
  for (const { result, year } of expressions) {
    if (year === undefined) continue;
    if (OFFSET_BEFORE.test(text.slice(Math.max(0, result.index - 40), result.index))) continue;
    const date = componentDate(result.start, result.text, year, options);
    if (date) dates.push(date);
  }
  return dates;
}

/** "annexed in 2014", "since 2022, when …": years chrono does not read on its own. */
function yearOnlyDates(text: string): FoundDate[] {
  const dates: FoundDate[] = [];
  for (const match of text.matchAll(WRITTEN_YEAR)) {
    const start = match.index ?? 0;
    if (!YEAR_ONLY_LEAD.test(text.slice(Math.max(0, start - 30), start))) continue;
    const tail = YEAR_ONLY_TAIL.exec(text.slice(start + 4, start + 40));
    if (tail && !(tail[1] !== undefined && YEAR_FOLLOWERS.has(tail[1]))) continue;
    dates.push(found(Number(match[0])));
  }
  return dates;
}

/**
 * Every distinct date a sentence states, at the precision it states it. A year
 * on its own is kept only when no finer date in that year is stated.
 */
export function sentenceDates(text: string): TimelineDate[] {
  if (!HAS_WRITTEN_YEAR.test(text)) return [];
  const all = [
    ...(MONTH_OR_NUMERIC_DATE.test(text) ? datesIn(text, { anyCase: false }) : []),
    ...yearOnlyDates(text),
  ];
  const finerYears = new Set(all.filter((d) => d.precision !== 'year').map((d) => d.year));
  const dates = new Map<string, TimelineDate>();
  for (const { date, precision } of all) {
    if (precision === 'year' && finerYears.has(Number(date))) continue;
    if (!dates.has(date)) dates.set(date, { date, precision });
  }
  return [...dates.values()];
}

/** Sort key: a month or year sorts after the days (or months) inside it. */
function dateKey(date: string): number {
  const [year = 0, month = 13, day = 32] = date.split('-').map(Number);
  return (year * 100 + month) * 100 + day;
}

export function compareDates(a: string, b: string): number {
  return dateKey(a) - dateKey(b);
}

/**
 * Groups near-identical reports: each item joins the first group whose first
 * item (its lead) has term-set Jaccard similarity ≥ `threshold` with it, as
 * answers merge copies. Comparing every item with every lead is quadratic,
 * and one date can have thousands of sentences, so candidates come from
 * prefix filtering: order each term set rarest first; two sets with Jaccard ≥
 * t share a term among the first |A| − ⌈t·|A|⌉ + 1 of each. Only leads that
 * share such a term are compared, which finds exactly the groups the full
 * scan would.
 */
export function groupReports<T>(
  items: readonly T[],
  textOf: (item: T) => string,
  termsOf: (text: string) => ReadonlySet<string>,
  threshold: number,
): T[][] {
  if (items.length <= 1 || threshold <= 0) return items.length === 0 ? [] : [[...items]];
  const sets = items.map((item) => termsOf(textOf(item)));
  const frequency = new Map<string, number>();
  for (const set of sets)
    for (const term of set) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const prefixOf = (set: ReadonlySet<string>): string[] => {
    const length = set.size - Math.ceil(threshold * set.size - 1e-9) + 1;
    return [...set]
      .sort((a, b) => frequency.get(a)! - frequency.get(b)! || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, Math.max(length, 0));
  };

  const groups: { lead: ReadonlySet<string>; members: T[] }[] = [];
  const leadsByTerm = new Map<string, number[]>();
  let emptyGroup: number | undefined;
  items.forEach((item, i) => {
    const set = sets[i]!;
    let found: number | undefined;
    if (set.size === 0) {
      found = emptyGroup; // two empty sets are identical (Jaccard 1)
    } else {
      const candidates = new Set<number>();
      for (const term of prefixOf(set)) {
        for (const g of leadsByTerm.get(term) ?? []) candidates.add(g);
      }
      found = [...candidates]
        .sort((a, b) => a - b)
        .find((g) => jaccard(groups[g]!.lead, set) >= threshold);
    }
    if (found !== undefined) {
      groups[found]!.members.push(item);
      return;
    }
    const g = groups.push({ lead: set, members: [item] }) - 1;
    if (set.size === 0) emptyGroup = g;
    for (const term of prefixOf(set)) {
      const leads = leadsByTerm.get(term) ?? [];
      leads.push(g);
      leadsByTerm.set(term, leads);
    }
  });
  return groups.map((group) => group.members);
}

/** A date label opening a sentence, as timelines in articles write them: "May 16, 2025: …", "2022 – …". */
const LEADING_LABEL = /^([^:.!?]{4,40}?)\s*(?::|\s[–—-]\s)\s*(?=\S)/u;

/** The sentence without its opening date label, when that label states `date`. */
function textAfterDateLabel(text: string, date: string): string | undefined {
  const label = LEADING_LABEL.exec(text);
  if (!label) return undefined;
  const stated = sentenceDates(label[1]!);
  if (stated.length !== 1 || stated[0]!.date !== date) return undefined;
  return text.slice(label[0].length);
}

interface Occurrence {
  readonly sentence: Sentence;
  readonly date: TimelineDate;
}

/**
 * The timeline of the corpus: one event per (sentence, date), near-identical
 * sentences with the same date merged into one event citing every article.
 * Sentences whose article is unknown are left out (they cannot be cited).
 */
export function extractTimeline(
  sentences: readonly Sentence[],
  articles: ReadonlyMap<string, ArticleInfo>,
  termsOf: (text: string) => ReadonlySet<string> | string[],
  settings: TimelineSettings = { mergeSimilarity: DEFAULT_ANSWER_OPTIONS.mergeSimilarity },
): TimelineEvent[] {
  // Copies of one report are common, so each distinct text is parsed and analysed once;
  // terms are needed only where a date has several sentences to compare.
  const datesOf = new Map<string, TimelineDate[]>();
  const termsCache = new Map<string, ReadonlySet<string>>();
  const terms = (text: string): ReadonlySet<string> => {
    let cached = termsCache.get(text);
    if (!cached) {
      const raw = termsOf(text);
      cached = raw instanceof Set ? raw : new Set(raw);
      termsCache.set(text, cached);
    }
    return cached;
  };

  const byDate = new Map<string, Occurrence[]>();
  const ordered = [...sentences].sort((a, b) => a.id - b.id);
  for (const sentence of ordered) {
    // A photo caption dates a picture, not an event of the story.
    if (!articles.has(sentence.articleId) || sentence.caption) continue;
    let dates = datesOf.get(sentence.text);
    if (!dates) {
      dates = sentenceDates(sentence.text);
      datesOf.set(sentence.text, dates);
    }
    for (const date of dates) {
      const list = byDate.get(date.date) ?? [];
      list.push({ sentence, date });
      byDate.set(date.date, list);
    }
  }

  const events: { event: TimelineEvent; order: number }[] = [];
  for (const occurrences of byDate.values()) {
    const groups = groupReports(
      occurrences,
      (occurrence) => occurrence.sentence.text,
      terms,
      settings.mergeSimilarity,
    );
    for (const members of groups) {
      const lead = members[0]!;
      const sources: Citation[] = [];
      for (const { sentence } of members) {
        const article = articles.get(sentence.articleId);
        if (article && !sources.some((s) => s.id === article.id)) sources.push(citationOf(article));
      }
      const textAfterDate = textAfterDateLabel(lead.sentence.text, lead.date.date);
      events.push({
        event: {
          date: lead.date.date,
          precision: lead.date.precision,
          text: lead.sentence.text,
          ...(textAfterDate !== undefined && { textAfterDate }),
          key: lead.sentence.key,
          sources,
        },
        order: lead.sentence.id,
      });
    }
  }
  return events
    .sort((a, b) => compareDates(a.event.date, b.event.date) || a.order - b.order)
    .map(({ event }) => event);
}

const ISO_DATE = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;
/** What may surround a bound's date: "on 2 June 2025", "June 2025." */
const BOUND_FILLER = /^[\s,.]*(?:(?:on|in|from|to|until|since)\s+)?[\s,.]*$/i;
const LEADING_FILLER = /^(?:on|in|from|to|until|since)\s+/i;
const MAX_BOUND_LENGTH = 60;

function isoDate(text: string): TimelineDate | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  if (year === undefined) return undefined;
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (month !== undefined && day !== undefined) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || day < 1) return undefined;
  }
  const { date, precision } = found(year, month, day);
  return { date, precision };
}

/**
 * A /timeline from/to bound typed by a member: "2025-06-01", "2025-06", "2025",
 * "June 2025", "2 June 2025", "June 2, 2025". Undefined unless the text is one
 * date with its year written ("June 2", "yesterday" and "next week" are not).
 */
export function parseTimelineBound(text: string): TimelineDate | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_BOUND_LENGTH) return undefined;
  const bare = trimmed.replace(LEADING_FILLER, '').replace(/[\s,.]+$/, '');
  if (ISO_DATE.test(bare)) return isoDate(bare);

  const results = loadChrono().casual.parse(trimmed, REFERENCE_DATE, { forwardDate: false });
  const [result] = results;
  if (results.length !== 1 || !result || result.end) return undefined;
  const before = trimmed.slice(0, result.index);
  const after = trimmed.slice(result.index + result.text.length);
  if (!BOUND_FILLER.test(before) || !/^[\s,.]*$/.test(after)) return undefined;
  const year = ownYear(result.start, result.text);
  if (year === undefined) return undefined;
  if (!monthNamed(result.text, result.start.get('month') ?? 0, { anyCase: true })) {
    if (ambiguousNumericDate(result.text)) return undefined;
  }
  const date = componentDate(result.start, result.text, year, { anyCase: true });
  return date && { date: date.date, precision: date.precision };
}

/**
 * Events between two bounds ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD'), inclusive.
 * Each comparison is made at the coarser of the two precisions, so an event
 * that may overlap the range is kept: an event in "2025-05" is inside
 * from=2025-05-16, and an event on 2025-05-20 is inside to=2025-05. Throws
 * RangeError for a bound that is not such a date (parse it with
 * parseTimelineBound first).
 */
export function filterTimeline(
  events: readonly TimelineEvent[],
  range: { from?: string; to?: string },
): TimelineEvent[] {
  for (const bound of [range.from, range.to]) {
    if (bound !== undefined && !isoDate(bound)) {
      throw new RangeError(`Not a timeline bound: ${JSON.stringify(bound)}`);
    }
  }
  const { from, to } = range;
  return events.filter((event) => {
    if (from !== undefined && atCoarser(event.date, from, (a, b) => a < b)) return false;
    if (to !== undefined && atCoarser(event.date, to, (a, b) => a > b)) return false;
    return true;
  });
}

/** Compares two ISO dates truncated to the shorter one's precision. */
function atCoarser(a: string, b: string, test: (a: string, b: string) => boolean): boolean {
  const normalize = (date: string) =>
    date
      .split('-')
      .map((part, i) => (i === 0 ? part : part.padStart(2, '0')))
      .join('-');
  const [x, y] = [normalize(a), normalize(b)];
  const length = Math.min(x.length, y.length);
  return test(x.slice(0, length), y.slice(0, length));
}
