/**
 * Question intent: "when" wants a date, "how many" a number, "who" a person,
 * "where" a place. Detecting what kind of answer a question wants, and whether
 * a sentence has one, lets a light rerank fix near misses between sentences
 * that match the question's words equally well.
 */

export type Intent = 'date' | 'quantity' | 'person' | 'place' | 'reason';

const INTENT_PATTERNS: readonly [Intent, RegExp][] = [
  [
    'date',
    /\b(?:when|what (?:date|day|year|month|time)|which (?:date|day|year|month)|since when|how long ago|how soon|date of|deadline)\b/,
  ],
  [
    'quantity',
    /\b(?:how (?:many|much|long|big|large|far|often|old)|what (?:number|percentage|percent|share|amount|size)|number of|amount of|length|duration)\b/,
  ],
  [
    'person',
    /\b(?:who|whom|whose|which (?:president|minister|official|leader|person|man|woman)|name of)\b/,
  ],
  [
    'place',
    /\b(?:where|which (?:city|country|place|venue|region|palace|building)|what (?:city|country|place|venue|region))\b/,
  ],
  ['reason', /\b(?:why|what (?:reason|caused|made)|how come)\b/],
];

/** The kinds of answer a question asks for (usually none or one). */
export function detectIntents(question: string): Intent[] {
  const q = question.toLowerCase();
  return INTENT_PATTERNS.filter(([, pattern]) => pattern.test(q)).map(([intent]) => intent);
}

/** A month name or its abbreviation (regular-expression source). */
export const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DATE_SIGNAL = new RegExp(
  `\\b(?:${MONTH}\\s+\\d{1,2}\\b|\\d{1,2}\\s+${MONTH}\\b|${MONTH}\\s+(?:19|20)\\d{2}|(?:19|20)\\d{2}\\b|(?:last|next|this) (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|tomorrow|end of ${MONTH}|(?:days?|weeks?|months?|years?|hours?) (?:before|after|ago|later|earlier))`,
  'i',
);
const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozens?|half|third|quarter|fifth|several|hours?|minutes?|days?|weeks?|months?|years?|fortnight';
const QUANTITY_SIGNAL = new RegExp(`\\d|\\b(?:${NUMBER_WORDS})s?\\b`, 'i');
/** Two capitalised words in a row, not at the sentence start, or a title before a name. */
const PERSON_SIGNAL =
  /(?:\S\s+|^(?:President|Minister|Foreign|Defen[cs]e|Prime|Chancellor|Secretary|General|Deputy)\s+)\p{Lu}\p{Ll}+\s+(?:\p{Lu}\.\s+)?\p{Lu}\p{Ll}+|\b(?:president|minister|leader|adviser|advisor|aide|spokes(?:man|woman|person)|chief|head|envoy|delegation)\b/u;
const PLACE_SIGNAL =
  /\b(?:in|at|near|from|to|on the)\s+(?:the\s+)?\p{Lu}\p{Ll}+|\b(?:palace|city|capital|region|airbase|airfield|venue|border|front ?line)\b/u;
const REASON_SIGNAL =
  /\b(?:because|due to|since|so that|in order to|as a result|after|following|to (?:allow|halt|gain|stop|end))\b/i;

const SIGNALS: Record<Intent, RegExp> = {
  date: DATE_SIGNAL,
  quantity: QUANTITY_SIGNAL,
  person: PERSON_SIGNAL,
  place: PLACE_SIGNAL,
  reason: REASON_SIGNAL,
};

/** Whether a sentence has what an intent asks for (a date for "when"…). */
export function hasSignal(intent: Intent, sentence: string): boolean {
  return SIGNALS[intent].test(sentence);
}

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
