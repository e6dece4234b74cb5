/**
 * Cleaning: decides which lines of a pasted article are prose worth answering
 * with. Pasted news carries headings, photo credits and their captions,
 * "Related:" links, ads and paragraphs repeated by the copy-paste; the rules
 * here are general (shapes of lines), never strings from particular files.
 */
import { ASCII_ONLY } from './fold.ts';

export type ParagraphKind =
  'prose' | 'heading' | 'credit' | 'caption' | 'related' | 'promo' | 'off-topic' | 'repeat';

export interface Paragraph {
  readonly text: string;
  readonly kind: ParagraphKind;
}

/** A line ends like a sentence: . ! ? or … possibly followed by closing quotes/brackets. */
const SENTENCE_END = /[.!?…]["'”’»)\]]*$/u;
/** "- item", "• item", "1. item": list markers are layout, not text. */
const LIST_MARKER = /^\s*(?:[-*•·–—]|\d{1,2}[.)])\s+/u;
/** Link lists that news sites append: "Related: …", "Read more: …". */
const RELATED =
  /^(?:related(?: articles?| stories| coverage)?|read more|read also|also read|see also|more on this|watch|listen|recommended)\s*[:–—-]/iu;
/** "Murad Sezer/Reuters", "Photo: AFP", "© Getty Images": short, unpunctuated attributions. */
const CREDIT =
  /^(?:(?:photo|image|picture|video|credit|source)s?\s*(?:by|:)\s*.+|©.+|(?:\p{Lu}[\p{L}.'’-]*\s*){1,5}\/\s*(?:\p{Lu}[\p{L}.'’-]*\s*){1,4})$/u;
/** Calls to action that only advertising uses. */
const PROMO =
  /\b(?:check out|shop now|buy now|order now|sign up|subscribe (?:now|today|to our)|click here|learn more|use (?:promo )?code|free shipping|limited[- ]time offer|sponsored|advertisement)\b/iu;

/** Prose paragraphs an article needs before a paragraph can be judged off its topic. */
const MIN_PROSE_FOR_TOPIC = 4;

/**
 * Runs of anything but [a-z0-9], except a lone space, which is already its own
 * replacement: most separators are lone spaces, and skipping them halves the work.
 */
const ASCII_SEPARATORS = /[^a-z0-9 ][^a-z0-9]*| [^a-z0-9]+/g;

/** Folded, punctuation-free form: two copies of a paragraph compare equal. */
export function normalizeForComparison(text: string): string {
  // In ASCII the only letters and digits are [a-z0-9] once lowercased, and
  // NFKD and mark removal change nothing: same result, far cheaper.
  if (ASCII_ONLY.test(text)) return text.toLowerCase().replace(ASCII_SEPARATORS, ' ').trim();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A paragraph shares too few content terms with the rest of its article to be
 * about the same story: ads and page furniture ("Customize your carry system…").
 *
 * @param terms the paragraph's distinct terms.
 * @param linesWithTerm for each term, how many distinct lines (and the title) contain it.
 */
function isOffTopic(
  terms: ReadonlySet<string>,
  linesWithTerm: ReadonlyMap<string, number>,
): boolean {
  if (terms.size < 4) return false;
  let shared = 0;
  for (const term of terms) if ((linesWithTerm.get(term) ?? 0) >= 2) shared += 1;
  return shared / terms.size < 0.15;
}

/** For each term, how many distinct lines (by key) and the title contain it. */
function countLinesWithTerm(
  titleTerms: readonly string[],
  keys: readonly string[],
  lineTerms: readonly ReadonlySet<string>[],
): Map<string, number> {
  const linesWithTerm = new Map<string, number>();
  const count = (terms: Iterable<string>) => {
    for (const term of terms) linesWithTerm.set(term, (linesWithTerm.get(term) ?? 0) + 1);
  };
  count(new Set(titleTerms));
  // A repeated line counts once, with the terms of its first copy.
  const counted = new Set<string>();
  keys.forEach((key, i) => {
    if (counted.has(key)) return;
    counted.add(key);
    count(lineTerms[i] ?? []);
  });
  return linesWithTerm;
}

/** Whitespace that is not already single spaces: the only lines that need collapsing. */
const UNCOLLAPSED = /\s\s|[^\S ]/;

/** Every run of whitespace as one space; most lines are left as they are, without a copy. */
function collapseWhitespace(line: string): string {
  return UNCOLLAPSED.test(line) ? line.replace(/\s+/g, ' ') : line;
}

/**
 * Classifies every non-empty line of an article body.
 *
 * @param title the article's title: a body line repeating it is a heading.
 * @param termsOf the index term pipeline, used to measure topical overlap.
 */
export function classifyParagraphs(
  body: string,
  title: string,
  termsOf: (text: string) => string[],
): Paragraph[] {
  const lines = body
    .split(/\r?\n/)
    .map((line) => collapseWhitespace(line.replace(LIST_MARKER, '')).trim())
    .filter((line) => line.length > 0);
  // Each line's comparison key, computed once: titles, captions and copies all use it.
  const keys = lines.map((line) => normalizeForComparison(line));

  const titleKey = normalizeForComparison(title);
  const kinds: ParagraphKind[] = lines.map((line, i) => {
    if (RELATED.test(line)) return 'related';
    if (!SENTENCE_END.test(line) && CREDIT.test(line)) return 'credit';
    if (PROMO.test(line)) return 'promo';
    if (!SENTENCE_END.test(line) || keys[i] === titleKey) return 'heading';
    return 'prose';
  });

  // A caption is the line right after a photo credit. Pasted pages often repeat
  // it above the photo too, so every copy of a caption is a caption.
  const captionKeys = new Set<string>();
  keys.forEach((key, i) => {
    if (kinds[i - 1] === 'credit' && kinds[i] === 'prose') captionKeys.add(key);
  });

  // Overlap only tells an ad from the story when there is a story to compare
  // with; without one, no line's terms are needed.
  const hasTopic = kinds.filter((kind) => kind === 'prose').length >= MIN_PROSE_FOR_TOPIC;
  const lineTerms = hasTopic ? lines.map((line) => new Set(termsOf(line))) : [];
  const linesWithTerm = hasTopic ? countLinesWithTerm(termsOf(title), keys, lineTerms) : new Map();

  const seen = new Set<string>();
  return lines.map((text, i): Paragraph => {
    const key = keys[i] ?? '';
    let kind = kinds[i] ?? 'prose';
    if (kind === 'prose' && captionKeys.has(key)) kind = 'caption';
    if (kind === 'prose' && hasTopic && isOffTopic(lineTerms[i] ?? new Set(), linesWithTerm))
      kind = 'off-topic';
    if (kind === 'prose' && seen.has(key)) kind = 'repeat';
    seen.add(key);
    return { text, kind };
  });
}
