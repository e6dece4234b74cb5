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

/**
 * The part of `text` that matters, within `max` characters: of the windows
 * that start and end at word boundaries, the one `score` rates highest (the
 * earliest among equals), with "…" where text was left out. A preview then
 * shows "…the smuggling of 117 drones into Russia…" rather than the first
 * words of a long sentence.
 */
export function clipAround(text: string, max: number, score: (window: string) => number): string {
  if (text.length <= max) return text;
  const starts = [0, ...[...text.matchAll(/\s+/g)].map((m) => m.index + m[0].length)];
  let best = { value: -Infinity, clipped: clip(text, max) };
  for (const start of starts) {
    const lead = start > 0 ? '…' : '';
    const rest = text.slice(start);
    const clipped =
      lead + (lead.length + rest.length <= max ? rest : clip(rest, max - lead.length));
    const value = score(clipped);
    if (value > best.value) best = { value, clipped };
    if (start + max >= text.length) break; // later windows only lose words at the front
  }
  return best.clipped;
}
