/**
 * Folding: the text form that articles, vocabulary and questions are compared
 * in. Lives with the knowledge loader (which reads the vocabulary with it) so
 * that the term pipeline depends on knowledge, never the other way round.
 */

/** Letters that Unicode decomposition does not split into base + mark. */
// prettier-ignore
const UNDECOMPOSABLE_LETTERS: Record<string, string> = {
  ı: 'i', ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ß: 'ss', æ: 'ae', Æ: 'AE',
  œ: 'oe', Œ: 'OE', þ: 'th', ð: 'd',
};
const UNDECOMPOSABLE_PATTERN = new RegExp(`[${Object.keys(UNDECOMPOSABLE_LETTERS).join('')}]`, 'g');

/**
 * Plain ASCII is already in decomposed form and has no marks or undecomposable
 * letters, so most news text can skip the costly Unicode steps.
 */
export const ASCII_ONLY = /^[^\u0080-\uffff]*$/; // no UTF-16 code unit above 0x7f

/** Removes accents and typographic variants while keeping letter case. */
export function foldText(text: string): string {
  // The backtick is ASCII: it is still turned into an apostrophe.
  if (ASCII_ONLY.test(text)) return text.replace(/`/g, "'");
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(UNDECOMPOSABLE_PATTERN, (letter) => UNDECOMPOSABLE_LETTERS[letter] ?? letter)
    .replace(/[\u2018\u2019\u02bc\u2032`]/g, "'");
}
