/**
 * Sentence segmentation with `sbd`, plus two repairs for what it gets wrong in
 * news prose:
 *  - a dotted acronym before a capitalised word ("U.S. President") is not a
 *    sentence end, though sbd treats it as one;
 *  - a quote followed by a lowercase attribution (`…," said the official`)
 *    continues the sentence: real sentences never start in lowercase.
 */
import { createRequire } from 'node:module';
import type sbdType from 'sbd';

/** sbd, loaded on first use: a start from the index cache segments nothing. */
let sbdModule: typeof sbdType | undefined;
const sbd = () => (sbdModule ??= createRequire(import.meta.url)('sbd') as typeof sbdType);

const ENDS_WITH_DOTTED_ACRONYM = /(?:^|[\s(])(?:\p{L}\.){2,}["'”’)]*$/u;
const STARTS_LOWERCASE = /^["'“‘(\s]*\p{Ll}/u;

/** Splits one paragraph into sentences. */
export function splitSentences(paragraph: string): string[] {
  const pieces = sbd()
    .sentences(paragraph, { newline_boundaries: false, preserve_whitespace: false })
    .map((piece) => piece.trim())
    .filter((piece) => piece.length > 0);

  const sentences: string[] = [];
  for (const piece of pieces) {
    const previous = sentences.at(-1);
    if (
      previous !== undefined &&
      (ENDS_WITH_DOTTED_ACRONYM.test(previous) || STARTS_LOWERCASE.test(piece))
    ) {
      sentences[sentences.length - 1] = `${previous} ${piece}`;
    } else {
      sentences.push(piece);
    }
  }
  return sentences;
}
