/**
 * Close rewordings of a question, as members retype one: a typo, words in
 * another order, filler ("hey", "pls", "can someone tell me"), a plural for
 * a singular, "2nd" for "second", a contraction, a name in part. Each
 * rewording keeps what is asked; the teaching tests require a confirmed
 * answer to follow its question through all of them.
 */
import { isDictionaryWord } from '../../src/search/answer/dictionary.ts';

export type Rewording = (question: string) => string | undefined;

const words = (q: string) => q.split(/\s+/).filter(Boolean);
/** Words a question is framed with, not what it asks about. */
const FRAME =
  /^(?:where|which|what's|whats|about|there|their|these|those|would|could|should|after|before|since|being)$/i;
/** Words that carry the question's content (long enough to mistype, not a question word). */
const isContent = (word: string) => /^[a-z]{6,}$/i.test(word) && !FRAME.test(word);

export const REWORDINGS: Readonly<Record<string, (pick: number) => Rewording>> = {
  /**
   * One letter dropped from a content word ("delgation"). Not one that makes
   * another English word ("palace" → "place"): that is another question.
   */
  typo: (pick) => (q) => {
    const list = words(q);
    const content = list.flatMap((w, i) => (isContent(w) ? [i] : []));
    if (content.length === 0) return undefined;
    const i = content[pick % content.length]!;
    const word = list[i]!;
    const at = 1 + (pick % (word.length - 2));
    const typed = word.slice(0, at) + word.slice(at + 1);
    if (isDictionaryWord(typed.toLowerCase())) return undefined;
    list[i] = typed;
    return list.join(' ');
  },
  /** Two neighbouring content words swapped ("russia's team head" order aside). */
  order: (pick) => (q) => {
    const list = words(q);
    const pairs = list.flatMap((w, i) =>
      i + 1 < list.length && isContent(w) && isContent(list[i + 1]!) ? [i] : [],
    );
    if (pairs.length === 0) return undefined;
    const i = pairs[pick % pairs.length]!;
    [list[i], list[i + 1]] = [list[i + 1]!, list[i]!];
    return list.join(' ');
  },
  /** Chat filler before or after. */
  filler: (pick) => (q) =>
    [`hey ${q}`, `pls ${q}`, `can someone tell me ${q}`, `${q} pls`, `${q}??`][pick % 5],
  /** A plural for a singular or the other way round. */
  number: (pick) => (q) => {
    const list = words(q);
    const nouns = list.flatMap((w, i) =>
      isContent(w) && !/(?:ss|us|is|ed|ing|ly)$/.test(w) ? [i] : [],
    );
    if (nouns.length === 0) return undefined;
    const i = nouns[pick % nouns.length]!;
    const word = list[i]!;
    list[i] = word.endsWith('s') ? word.slice(0, -1) : `${word}s`;
    return list.join(' ');
  },
  /** "2nd" for "second" and back. */
  ordinal: () => (q) => {
    const swaps: [RegExp, string][] = [
      [/\bfirst\b/i, '1st'],
      [/\bsecond\b/i, '2nd'],
      [/\b1st\b/i, 'first'],
      [/\b2nd\b/i, 'second'],
    ];
    const found = swaps.find(([pattern]) => pattern.test(q));
    return found ? q.replace(found[0], found[1]) : undefined;
  },
  /** A contraction made or undone. */
  contraction: () => (q) => {
    const swaps: [RegExp, string][] = [
      [/\bwhat is\b/i, "what's"],
      [/\bwhat's\b/i, 'what is'],
      [/\bwho is\b/i, "who's"],
      [/\bwho's\b/i, 'who is'],
      [/\bdid not\b/i, "didn't"],
      [/\bdidn't\b/i, 'did not'],
      [/\bis not\b/i, "isn't"],
      [/\bisn't\b/i, 'is not'],
    ];
    const found = swaps.find(([pattern]) => pattern.test(q));
    return found ? q.replace(found[0], found[1]) : undefined;
  },
};
