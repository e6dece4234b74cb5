/**
 * Escaping for Discord: text we did not write (member questions, article
 * sentences, titles) shown as plain text, never as markup or a ping.
 */

/**
 * Markdown that Discord renders anywhere in a line. Escaping the brackets is
 * enough to break masked links ([text](url)); parentheses stay readable.
 */
const INLINE_MARKDOWN = /[\\*_~`|[\]]/g;
/** Markdown that only counts at the start of a line: headings, quotes, lists. */
const LINE_START_MARKDOWN = /^(\s*)(#{1,3} |>|[-+] |\d+\. )/gm;

/**
 * Text we did not write (member questions, article sentences, titles), made
 * safe to show in Discord: every markdown character escaped (so no bold, no
 * disguised links, no code-span break-outs), NUL removed, and mention syntax
 * broken with a zero-width space so nothing can look like — or be — a ping.
 * Linear in the text length: one pass per rule.
 */
export function safeText(text: string): string {
  return text
    .replaceAll('\u0000', '')
    .replace(INLINE_MARKDOWN, '\\$&')
    .replace(LINE_START_MARKDOWN, (_, space: string, marker: string) => `${space}\\${marker}`)
    .replace(/@(everyone|here)/g, '@\u200b$1')
    .replace(/<(@[!&]?|#)(\d+)>/g, '<$1\u200b$2>');
}

/** Private-use characters no article or member text is taken to hold: marks for bold. */
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * An article sentence made safe (safeText) with one span of it in bold: the
 * phrase that answers the question. Marked before escaping, so escaping sees
 * the sentence whole (a span starting "1." is not a list), then the marks
 * become `**`.
 */
export function safeTextWithBold(text: string, span?: readonly [number, number]): string {
  const cleaned = text.replaceAll(OPEN, '').replaceAll(CLOSE, '');
  if (!span || cleaned.length !== text.length || span[0] >= span[1]) return safeText(cleaned);
  const [start, end] = span;
  const marked = `${text.slice(0, start)}${OPEN}${text.slice(start, end)}${CLOSE}${text.slice(end)}`;
  return safeText(marked).replace(OPEN, '**').replace(CLOSE, '**');
}
