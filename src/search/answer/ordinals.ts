/**
 * Ordinals: "the second round" is not the first. A question naming one wants
 * a sentence naming the same one; a sentence naming only others is about
 * another round, meeting or day.
 */
const ORDINALS: Readonly<Record<string, string>> = {
  first: 'first',
  '1st': 'first',
  second: 'second',
  '2nd': 'second',
  third: 'third',
  '3rd': 'third',
  fourth: 'fourth',
  '4th': 'fourth',
  previous: 'previous',
  next: 'next',
  latest: 'latest',
};
const ORDINAL_WORD = new RegExp(`\\b(?:${Object.keys(ORDINALS).join('|')})\\b`, 'gi');

/** The ordinals a text names, normalised ("2nd" → "second"): rounds, meetings, days. */
export function ordinalsIn(text: string): Set<string> {
  return new Set(
    [...text.matchAll(ORDINAL_WORD)].map((match) => ORDINALS[match[0].toLowerCase()] ?? ''),
  );
}
