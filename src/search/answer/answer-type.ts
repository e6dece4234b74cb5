/**
 * What kind of answer a question asks for, and what kinds a sentence holds.
 *
 * Most questions members type are direct: "when" wants a date or a time
 * expression, "how long" a duration, "how many prisoners" a number attached
 * to prisoners, "what percentage" a share, "who" a person or a role, "where"
 * a place, "why" a reason, "what was X" the sentence that says what X is,
 * and "did Zelensky go…" a sentence whose predicate matches. Between close
 * candidates, the one holding the asked kind is the answer; these are the
 * signals the ranker's features read.
 *
 * Sentence signals are plain patterns over the text, except dates, which
 * chrono-node reads (loaded on the first sentence that may hold one, since
 * it is slow to load and only "when" questions need it).
 */
import { loadChrono } from '../chrono.ts';

export type AnswerKind =
  | 'time'
  | 'duration'
  | 'count'
  | 'share'
  | 'distance'
  | 'age'
  | 'money'
  | 'person'
  | 'place'
  | 'reason';

export const ANSWER_KINDS: readonly AnswerKind[] = [
  'time',
  'duration',
  'count',
  'share',
  'distance',
  'age',
  'money',
  'person',
  'place',
  'reason',
];

/** What a question asks for, read from its wording. */
export interface QuestionType {
  /** The kinds of answer it asks for (usually one; none for "what happened…"). */
  readonly kinds: readonly AnswerKind[];
  /** "how many prisoners…": the words a count should be attached to ("prisoners"). */
  readonly unit: readonly string[];
  /** "what is/was X", "who is X", "tell me about X": X, as typed. */
  readonly subject?: string;
  /** "did/is/was/will…": answered by a sentence whose predicate matches. */
  readonly yesNo: boolean;
}

/** Chat spellings of question words ("wen", "wat", "hw"), read as the words they stand for. */
const CHAT_SPELLINGS: Readonly<Record<string, string>> = {
  wen: 'when',
  whn: 'when',
  wat: 'what',
  wut: 'what',
  wht: 'what',
  wats: "what's",
  whats: "what's",
  hw: 'how',
  whos: "who's",
  wheres: "where's",
  whens: "when's",
  r: 'are',
  u: 'you',
};

/** The question lowercased, apostrophes straightened, chat spellings of question words read. */
export function normalisedQuestion(question: string): string {
  return question
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[^\p{L}\p{N}'%\s-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => CHAT_SPELLINGS[word] ?? word)
    .join(' ');
}

const TIME_UNIT = '(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|fortnights?)';

const ASKS: readonly [AnswerKind, RegExp][] = [
  [
    'time',
    /\b(?:when|what (?:date|day|year|month|time)|which (?:date|day|year|month)|since when|how soon|by when|until when|at what point|how long ago|date of|deadline|timeline|timetable|time ?frame)\b/,
  ],
  [
    'duration',
    new RegExp(`\\b(?:how long(?! ago)|how many ${TIME_UNIT}|for how long|duration|length of)\\b`),
  ],
  [
    'share',
    /\b(?:percentage|percent|per cent|what share|what proportion|what fraction|what part|how much of)\b/,
  ],
  ['distance', /\b(?:how far|what distance|how close)\b/],
  ['age', /\b(?:how old|what age|how young|age (?:limit|range|group|cut ?off)|which ages?)\b/],
  [
    'money',
    /\b(?:how much (?:money|did \S+ cost|does \S+ cost|will \S+ cost)|what (?:price|cost)|cost of)\b/,
  ],
  [
    'count',
    /\b(?:how many|number of|how much(?! of)|what (?:number|amount|size|scale)|amount of|how big|how large|how high)\b/,
  ],
  [
    'person',
    /\b(?:who|whom|whose|which (?:president|minister|official|leader|person|man|woman|diplomat|negotiator)|name of|what(?:'s|s| is| was| does| did)? \S+(?:'s)? (?:job|role|position|title|post)|(?:job|role|position|title) of)\b/,
  ],
  [
    'place',
    /\b(?:where|(?:which|what) (?:city|country|place|venue|region|palace|building|location|hotel|town|area)|in which)\b/,
  ],
  ['reason', /\b(?:why|what (?:reason|caused|made)|how come|for what purpose|what for|motive)\b/],
];

const YES_NO =
  /^(?:so |and |but |ok |okay )?(?:did|does|do|is|are|was|were|will|would|can|could|has|have|had|should|shall|may|might|must|isn't|aren't|didn't|doesn't|don't|won't|wasn't|weren't|hasn't|haven't|any)\b/;

/** "what is X", "what's X", "what was the X", "tell me about X", "who is X". */
const SUBJECT =
  /^(?:so |and |ok |okay )?(?:(?:what|who)(?: is| was| are| were|'s|s| exactly is| exactly was)|tell me about|explain|what do you know about|define|what does) (?:the |a |an )?(.+?)(?: (?:mean|about|all about|stand for))?$/;

/** Words after "how many" that end the counted noun phrase. */
const CLAUSE_WORD =
  /^(?:did|does|do|is|are|was|were|will|would|can|could|has|have|had|got|get|to|of|in|on|at|were|that|who|they|the|a|an|been|be|being|r)$/;

export function questionType(question: string): QuestionType {
  const q = normalisedQuestion(question);
  let kinds = ASKS.filter(([, pattern]) => pattern.test(q)).map(([kind]) => kind);
  // "how many days…" is a duration, "how much of Ukraine" a share: the finer kind wins.
  if (kinds.includes('duration') || kinds.includes('share') || kinds.includes('age')) {
    kinds = kinds.filter((kind) => kind !== 'count');
  }
  if (kinds.includes('money')) kinds = kinds.filter((kind) => kind !== 'count');
  const unit: string[] = [];
  const counted = /\b(?:how many|number of|amount of)\s+(.*)$/.exec(q);
  if (counted && kinds.includes('count')) {
    for (const word of counted[1]!.split(' ')) {
      if (CLAUSE_WORD.test(word) || unit.length >= 3) break;
      unit.push(word);
    }
  }
  const subject = SUBJECT.exec(q)?.[1]?.trim();
  return {
    kinds,
    unit,
    ...(subject !== undefined && subject.split(' ').length <= 6 && { subject }),
    yesNo: YES_NO.test(q),
  };
}

/** A month name or its abbreviation (regular-expression source). */
export const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

const NUMBER_WORD =
  '(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|thousand|million|billion|dozens?|several|a few|a couple of|half an?|an?)';

/** An absolute calendar date written out: "June 2, 2025", "16 May", "2025-06-02". */
const CALENDAR_DATE = new RegExp(
  `\\b(?:${MONTH}\\.? \\d{1,2}(?:st|nd|rd|th)?\\b|\\d{1,2}(?:st|nd|rd|th)? ${MONTH}\\b|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[./]\\d{1,2}[./]\\d{2,4})`,
  'i',
);
/** A month or a year on its own: "in May", "since 2022". */
const MONTH_OR_YEAR = new RegExp(
  `\\b(?:(?:in|since|by|until|from|early|late|mid|end of|start of) ${MONTH}\\b|${MONTH} (?:19|20)\\d\\d|(?:19|20)\\d\\d\\b)`,
  'i',
);
/** Timing that is not a calendar date: "within weeks", "next week", "no date has been set". */
const TIMING = new RegExp(
  `\\b(?:within (?:the )?(?:next |coming )?(?:a few |several |two |three |\\d+ )?${TIME_UNIT}|(?:next|last|this|coming|following) (?:week|month|year|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:hours|days|weeks|months|a fortnight) (?:after|before|later|earlier)|no (?:exact |specific |fixed |firm )?(?:date|timeline|timetable|time ?frame|deadline)|(?:not|without) (?:specify(?:ing)? |cit(?:e|ing) |set(?:ting)? |giv(?:e|ing) )?(?:a |any )?(?:date|timeline|timetable|time ?frame)|(?:yet|still) to be (?:set|scheduled|announced|fixed)|(?:soon|shortly|immediately|ago|yesterday|today|tomorrow|tonight|overnight)|(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:at|by|before|after|until) the (?:end|start|beginning|middle) of)\\b`,
  'i',
);
const DATE_HINT = new RegExp(`\\b(?:${MONTH}|\\d{4}|week|month|year|day|today|ago)\\b`, 'i');

const DURATION = new RegExp(
  `\\b(?:(?:\\d[\\d,.]*(?:\\s?[-–]\\s?\\d+)?|${NUMBER_WORD})[\\s-]+${TIME_UNIT}\\b|(?:a|one) fortnight|(?:over|under|nearly|about|almost|just over|slightly over|more than|less than) an? hour|(?:first|second|third|fourth|fifth|\\d+(?:st|nd|rd|th)) (?:year|month|week|day)|${TIME_UNIT} long)`,
  'i',
);
const SHARE =
  /%|\b(?:per ?cent|percentage|(?:a|one|two) (?:half|third|quarter|fifth|tenth)s?|majority of|minority of|share of|fraction of)\b/i;
const DISTANCE =
  /\b(?:\d[\d,.]*\s?(?:km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?)|(?:hundreds|thousands) of (?:kilomet(?:re|er)s|miles))\b/i;
const AGE =
  /\b(?:aged? \d|age of \d|ages? (?:of )?\d|\d+[- ]years?[- ]old|(?:under|over|above|below) (?:the age of )?\d+\b(?! (?:percent|per cent|%|people|prisoners|soldiers)))/i;
const MONEY = /[$€£]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|rubles|roubles|hryvnias?)\b/i;
const COUNT_WORD =
  '(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens)';
/** A number that is not a year or part of a date ("June 2", "16 May"), or a number word. */
const COUNT = new RegExp(
  `(?<![\\d,.])(?<!\\b${MONTH}\\.? )(?!(?:19|20)\\d\\d\\b)\\d[\\d,.]*(?!\\d|(?:st|nd|rd|th)? ${MONTH}\\b)|\\b${COUNT_WORD}\\b`,
  'i',
);
/** Two capitalised words in a row not at the start, a title before a name, or a role. */
const PERSON =
  /(?:\S\s+|^(?:President|Minister|Foreign|Defen[cs]e|Prime|Chancellor|Secretary|General|Deputy)\s+)\p{Lu}\p{Ll}+\s+(?:\p{Lu}\.\s+)?\p{Lu}\p{Ll}+|\b(?:president|minister|leader|adviser|advisor|aide|spokes(?:man|woman|person)|chief|head|envoy|delegation|negotiators?|officials?|diplomats?|chair(?:ed|man|woman)?)\b/u;
const PLACE =
  /\b(?:in|at|near|from|to|on the|across|inside)\s+(?:the\s+)?\p{Lu}\p{Ll}+|\b(?:palace|city|capital|region|airbase|airfield|venue|border|front ?line|territory|peninsula|port|bases?)\b/u;
const REASON =
  /\b(?:because|due to|since|so that|in order to|as a result|following|in response to|in retaliation|aimed at|in a bid to|to (?:allow|halt|gain|stop|end|avoid|prevent|ensure|pressure|force))\b/i;

const SIGNALS: Readonly<Record<Exclude<AnswerKind, 'time'>, RegExp>> = {
  duration: DURATION,
  count: COUNT,
  share: SHARE,
  distance: DISTANCE,
  age: AGE,
  money: MONEY,
  person: PERSON,
  place: PLACE,
  reason: REASON,
};

/**
 * How well a sentence states a time: 1 for a calendar date ("June 2, 2025"),
 * 0.75 for a month or year, 0.5 for other timing ("within weeks", "next
 * week", "no date has been set"), 0 for none.
 */
export function timeStrength(text: string): number {
  if (CALENDAR_DATE.test(text)) return 1;
  if (MONTH_OR_YEAR.test(text)) return 0.75;
  if (TIMING.test(text)) return 0.5;
  if (DATE_HINT.test(text) && loadChrono().casual.parse(text).length > 0) return 0.5;
  return 0;
}

/** How well a sentence holds an answer of `kind` (0–1; graded only for time). */
export function kindStrength(kind: AnswerKind, text: string): number {
  if (kind === 'time') return timeStrength(text);
  return SIGNALS[kind].test(text) ? 1 : 0;
}

/** Every kind's strength in one sentence, packed two bits per kind (for a per-sentence cache). */
export function packedSignals(text: string): number {
  let packed = 0;
  ANSWER_KINDS.forEach((kind, i) => {
    packed |= Math.round(kindStrength(kind, text) * 3) << (2 * i);
  });
  return packed;
}

export function unpackStrength(packed: number, kind: AnswerKind): number {
  return ((packed >> (2 * ANSWER_KINDS.indexOf(kind))) & 3) / 3;
}
