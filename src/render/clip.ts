/**
 * Cutting text to a length without breaking it: shared by every renderer
 * (and by autocomplete, whose choices have a length limit).
 */

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
