/** Small text helpers shared by the engine and every renderer. */

/**
 * Cuts text to at most `max` characters, preferring a sentence end, then a
 * word boundary, and marks the cut with "…". Counts UTF-16 units, as Discord
 * does, and never splits a surrogate pair.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const sentenceEnd = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  if (sentenceEnd > max * 0.6) return `${cut.slice(0, sentenceEnd + 1)} …`.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The first `max` UTF-16 units of `text`, never ending in half a surrogate pair. */
export function truncate(text: string, max: number): string {
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

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
