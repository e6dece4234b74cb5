/**
 * Reading a sentence's structure: what each date, duration, number, ordinal
 * and name in it is attached to, and who acts in each clause. Classical
 * factoid question answering got most of its accuracy here: an answer phrase
 * must be of the asked type *and* attached to what the question asks about.
 *
 * Built on the tagger's part-of-speech tags and entities (tagger.ts), as a
 * shallow parse:
 *
 * - **Noun phrases**: runs of determiners, adjectives, numbers and nouns; the
 *   last noun is the head ("the second meeting" → meeting), a possessive
 *   splits off its possessor ("Russia's condition").
 * - **Ordinals** qualify the head of their phrase ("third year" → year,
 *   "round two" → round); one with no noun after it is elliptic ("as he did
 *   for the first").
 * - **Clauses** start at a subordinating conjunction, a relative pronoun
 *   (its subject is the noun before it: "the second meeting…, which lasted…"),
 *   a coordinated verb or a participle after a comma (which keep the
 *   clause's subject), or a semicolon. A clause's subject is the last noun
 *   phrase before its verb that no preposition governs; in the passive, its
 *   actor is the "by" phrase.
 * - **Values** (dates, durations, counts, amounts, shares, people, places,
 *   roles) are attached to the noun phrase a preposition ties them to ("the
 *   first meeting on 16 May"), to the noun they count ("1,000 prisoners"), or
 *   else to their clause.
 * - **Sides**: the countries (with their capitals, people and institutions,
 *   knowledge/vocabulary.yaml `actors`) named in a clause's subject, its
 *   possessor or its passive actor.
 *
 * What it does not do: full dependency parsing, coreference beyond a
 * relative pronoun's antecedent, or clauses inside quotations.
 */
import type { TaggedToken } from './tagger.ts';

/** first = 1, second = 2, …; PREVIOUS, NEXT and LATEST for the relative ones. */
export type Ordinal = number;
export const PREVIOUS = 101;
export const NEXT = 102;
export const LATEST = 103;

const ORDINAL_WORDS: Readonly<Record<string, Ordinal>> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
  sixth: 6,
  '6th': 6,
  seventh: 7,
  '7th': 7,
  eighth: 8,
  '8th': 8,
  ninth: 9,
  '9th': 9,
  tenth: 10,
  '10th': 10,
  previous: PREVIOUS,
  next: NEXT,
  latest: LATEST,
};
const CARDINAL_AS_ORDINAL: Readonly<Record<string, Ordinal>> = {
  one: 1,
  '1': 1,
  two: 2,
  '2': 2,
  three: 3,
  '3': 3,
  four: 4,
  '4': 4,
  five: 5,
  '5': 5,
};

/** An ordinal word, normalised ("2nd" → 2), or undefined. */
export function ordinalOf(word: string): Ordinal | undefined {
  return ORDINAL_WORDS[word.toLowerCase()];
}

export type ValueKind =
  'time' | 'duration' | 'count' | 'money' | 'share' | 'person' | 'place' | 'role';

/** What a value or a clause is about: a noun phrase's head (as an index term) and its ordinal. */
export interface Host {
  readonly head?: string;
  readonly ordinal?: Ordinal;
}

export interface Mention {
  readonly kind: ValueKind;
  /** UTF-16 offsets into the sentence. */
  readonly start: number;
  readonly end: number;
  readonly clause: number;
  /** The noun phrase it is attached to; undefined when it belongs to its clause. */
  readonly host?: Host;
  /** How precisely it answers its kind: for a time, 1 a calendar date, 0.75 a month or year, 0.25 relative timing. */
  readonly strength: number;
}

export interface Clause {
  readonly start: number;
  readonly end: number;
  /** Its main verb, as an index term. */
  readonly verb?: string;
  /** Its subject's head and ordinal (a relative clause's: its antecedent's). */
  readonly subject?: Host;
  /** Sides named in its subject, possessor or passive actor (bits of the actor lexicon). */
  readonly sides: number;
}

export interface OrdinalUse {
  readonly ordinal: Ordinal;
  /** The noun it qualifies, as an index term; undefined when elliptic ("for the first"). */
  readonly head?: string;
  readonly clause: number;
}

export interface SentenceStructure {
  readonly clauses: readonly Clause[];
  readonly mentions: readonly Mention[];
  readonly ordinals: readonly OrdinalUse[];
}

export const NO_STRUCTURE: SentenceStructure = { clauses: [], mentions: [], ordinals: [] };

/** What the reader needs from the corpus: index terms, and the sides words name. */
export interface ReadingLexicon {
  /** The word's index term (stem), or undefined for a stop word. */
  termOf(word: string): string | undefined;
  /** Sides named by the words from `at` on ("White House"): bits and how many words it took. */
  sideAt(words: readonly string[], at: number): { side: number; length: number } | undefined;
  /** Whether an index term is a noun for an event an ordinal counts (round, meeting…). */
  isEvent(term: string): boolean;
  /** Whether a lower-case word is an English dictionary word (so not a name). */
  isWord(word: string): boolean;
}

// --- word classes ---------------------------------------------------------------

const NOMINAL = new Set(['DET', 'ADJ', 'NUM', 'NOUN', 'PROPN']);
const HEAD = new Set(['NOUN', 'PROPN', 'NUM']);
const RELATIVE = new Set(['which', 'who', 'whom', 'whose']);
/** Verbs of saying, whose object is a clause of its own ("Kyiv said it had sent…"). */
export const SAYING: ReadonlySet<string> = new Set([
  'say',
  'tell',
  'report',
  'announce',
  'mention',
  'state',
  'claim',
  'insist',
  'warn',
  'add',
  'note',
  'stress',
  'argue',
  'believe',
  'confirm',
  'deny',
  'suggest',
  'emphasize',
  'emphasise',
  'assert',
  'write',
  'conclude',
  'describe',
  'contend',
  'maintain',
]);
/** Prepositions that tie a value to the noun before them ("the meeting on 16 May"). */
const ATTACHING = new Set([
  'on',
  'of',
  'for',
  'after',
  'before',
  'since',
  'until',
  'in',
  'at',
  'during',
]);
/** Prepositions before a place ("in Istanbul", "at the palace"). */
const PLACE_PREPOSITION = new Set([
  'in',
  'on',
  'at',
  'near',
  'from',
  'to',
  'into',
  'inside',
  'outside',
  'across',
  'around',
  'towards',
]);
/** Words that make a value imprecise but belong to it ("just over an hour", "approximately 6,000"). */
const QUALIFIER = new Set([
  'just',
  'over',
  'under',
  'about',
  'around',
  'nearly',
  'almost',
  'approximately',
  'roughly',
  'some',
  'more',
  'less',
  'than',
  'up',
  'to',
  'at',
  'least',
  'most',
  'slightly',
  'only',
  'a',
  'an',
]);
const ROLE = new Set([
  'minister',
  'president',
  'adviser',
  'advisor',
  'aide',
  'spokesman',
  'spokeswoman',
  'spokesperson',
  'chief',
  'head',
  'envoy',
  'secretary',
  'chancellor',
  'leader',
  'negotiator',
  'ambassador',
  'commander',
  'director',
  'chairman',
  'chairwoman',
  'chair',
  'premier',
  'general',
  'mayor',
  'governor',
]);
const MONTHS =
  /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$/;
const FRACTION = /^(?:half|third|quarter|fifth|sixth|tenth|thirds|quarters|fifths|tenths)$/;
const DURATION_NOUN = /^(?:fortnight|fortnights)$/;

/** How precisely a time phrase dates something: a calendar date, a month or year, relative timing. */
function timeStrength(tokens: readonly TaggedToken[], first: number, last: number): number {
  let month = false;
  let day = false;
  let year = false;
  for (let i = first; i <= last; i++) {
    const word = tokens[i]!.lower.replace(/[.,]$/, '');
    if (MONTHS.test(word)) month = true;
    else if (/^\d{4}-\d{2}-\d{2}$/.test(word)) return 1;
    else if (/^(?:19|20)\d\d$/.test(word)) year = true;
    else if (/^\d{1,2}(?:st|nd|rd|th)?$/.test(word)) day = true;
  }
  if (month && day) return 1;
  if (month || year) return 0.75;
  // "this week", "next week": timing relative to a day the reader may not know.
  return 0.25;
}

// --- the reader -----------------------------------------------------------------------

interface Phrase {
  readonly first: number;
  readonly last: number;
  /** Token index of the head noun, if the phrase has one after its modifiers. */
  readonly head?: number;
  readonly ordinal?: Ordinal;
  /** Tokens before a possessive "'s" inside it ("Russia" in "Russia's condition"). */
  readonly possessorEnd?: number;
}

interface ClauseDraft {
  first: number;
  last: number;
  /** A relative clause's antecedent phrase, or the subject a coordinated verb keeps. */
  inherited?: Phrase;
}

export function readStructure(
  tokens: readonly TaggedToken[],
  lexicon: ReadingLexicon,
): SentenceStructure {
  if (tokens.length === 0) return NO_STRUCTURE;
  const words = tokens.map((t) => t.lower);
  /** A token's index term; verbs by their lemma, so "led" is "lead". */
  const termOf = (i: number | undefined) => {
    if (i === undefined) return undefined;
    const token = tokens[i]!;
    return lexicon.termOf(token.pos === 'VERB' || token.pos === 'AUX' ? token.lemma : token.text);
  };

  // Noun phrases.
  const phrases: Phrase[] = [];
  const phraseAt = new Array<Phrase | undefined>(tokens.length);
  for (let i = 0; i < tokens.length;) {
    const timeEntity = (k: number) => {
      const type = tokens[k]!.entity?.type;
      return type === 'DATE' || type === 'TIME' || type === 'DURATION'
        ? tokens[k]!.entity
        : undefined;
    };
    const next = (k: number) => tokens[k + 1]?.pos ?? 'X';
    const isPart = (k: number) =>
      // A date or duration is a phrase of its own: "6,000 soldiers | next week".
      (k === i ||
        timeEntity(k) === timeEntity(k - 1) ||
        tokens[k - 1]!.entity?.type === 'ORDINAL') &&
      (NOMINAL.has(tokens[k]!.pos) ||
        // "the second direct talks" (the model may tag the ordinal as an adverb).
        (tokens[k]!.entity?.type === 'ORDINAL' && NOMINAL.has(next(k))) ||
        // "fallen soldiers", "annexed territories": a participle before its noun.
        (tokens[k]!.pos === 'VERB' &&
          k > i &&
          /(?:ed|en)$/.test(tokens[k]!.lower) &&
          (next(k) === 'NOUN' || next(k) === 'ADJ')) ||
        (tokens[k]!.pos === 'PART' && /^'s?$/.test(tokens[k]!.lower) && k > i) ||
        (tokens[k]!.pos === 'PRON' && /^(?:its|their|his|her|our)$/.test(tokens[k]!.lower)));
    if (!isPart(i)) {
      i += 1;
      continue;
    }
    let end = i;
    while (end + 1 < tokens.length && isPart(end + 1)) end += 1;
    let head: number | undefined;
    let ordinal: Ordinal | undefined;
    let ordinalAt = -1;
    let possessorEnd: number | undefined;
    for (let k = i; k <= end; k++) {
      const token = tokens[k]!;
      if (token.pos === 'PART') possessorEnd = k - 1;
      const asOrdinal =
        token.entity?.type === 'ORDINAL' || token.pos === 'ADJ'
          ? ordinalOf(token.lower)
          : undefined;
      if (asOrdinal !== undefined) {
        ordinal = asOrdinal;
        ordinalAt = k;
      }
      if (HEAD.has(token.pos) && !(token.pos === 'NUM' && k < end)) head = k;
    }
    // "round two": an event noun followed by a small number qualifies the noun before it.
    const last = tokens[end]!;
    const numbered =
      ordinal === undefined &&
      last.pos === 'NUM' &&
      end > i &&
      tokens[end - 1]!.pos === 'NOUN' &&
      CARDINAL_AS_ORDINAL[last.lower] !== undefined;
    if (numbered) {
      ordinal = CARDINAL_AS_ORDINAL[last.lower];
      head = end - 1;
      ordinalAt = end;
    } else if (ordinal !== undefined && (head === undefined || head < ordinalAt)) {
      // An ordinal with no noun after it is elliptic: the phrase has no head of its own.
      head = undefined;
    }
    const phrase: Phrase = {
      first: i,
      last: end,
      ...(head !== undefined && { head }),
      ...(ordinal !== undefined && { ordinal }),
      ...(possessorEnd !== undefined && possessorEnd >= i && { possessorEnd }),
    };
    phrases.push(phrase);
    for (let k = i; k <= end; k++) phraseAt[k] = phrase;
    i = end + 1;
  }
  const phraseBefore = (at: number): Phrase | undefined => {
    for (let k = at - 1; k >= 0; k--) {
      if (phraseAt[k]) return phraseAt[k];
      if (tokens[k]!.pos !== 'PUNCT') return undefined;
    }
    return undefined;
  };
  /** "the first round of discussions": the phrase an "of" complement belongs to. */
  const outermost = (phrase: Phrase): Phrase => {
    let outer = phrase;
    while (
      tokens[outer.first - 1]?.lower === 'of' &&
      phraseAt[outer.first - 2]?.head !== undefined
    ) {
      outer = phraseAt[outer.first - 2]!;
    }
    return outer;
  };
  const isEventPhrase = (phrase: Phrase | undefined) => {
    const head = phrase?.head === undefined ? undefined : termOf(phrase.head);
    return head !== undefined && lexicon.isEvent(head);
  };
  /**
   * What a relative pronoun refers back to: the noun before it, or — when that
   * noun sits in a prepositional phrase after an event ("the second meeting
   * between the two delegations, which lasted…") — the event.
   */
  const antecedentBefore = (at: number): Phrase | undefined => {
    const before = phraseBefore(at);
    if (!before) return undefined;
    const nearest = outermost(before);
    const preposition = tokens[nearest.first - 1];
    if (preposition?.pos === 'ADP' && preposition.lower !== 'of') {
      const outer = phraseAt[nearest.first - 2];
      if (outer && isEventPhrase(outer)) return outer;
    }
    return nearest;
  };

  // Clauses.
  const drafts: ClauseDraft[] = [{ first: 0, last: tokens.length - 1 }];
  const open = (at: number, inherited?: Phrase) => {
    const current = drafts.at(-1)!;
    if (at <= current.first) {
      if (inherited) current.inherited = inherited;
      return;
    }
    current.last = at - 1;
    drafts.push({ first: at, last: tokens.length - 1, ...(inherited && { inherited }) });
  };
  /** Whether a preposition governs the phrase, or a phrase it is coordinated with ("between Russia and Ukraine"). */
  const governed = (phrase: Phrase): boolean => {
    let k = phrase.first - 1;
    let inList = false;
    // A list: "between Putin, Zelenskyy, and Trump" (but not "In its roadmap, Russia…").
    while (k > 0 && (tokens[k]!.pos === 'CCONJ' || (inList && tokens[k]!.lower === ','))) {
      inList = true;
      const at = tokens[k - 1]!.lower === ',' ? k - 2 : k - 1;
      const before = phraseAt[at];
      if (!before) break;
      k = before.first - 1;
    }
    // "with Russia indicating…": the subject of an absolute phrase.
    if (tokens[k]?.lower === 'with' && tokens[phrase.last + 1]?.pos === 'VERB') return false;
    return tokens[k]?.pos === 'ADP';
  };
  /** The clause's own subject: the last noun phrase before its verb that no preposition governs. */
  const subjectOf = (draft: ClauseDraft): Phrase | undefined => {
    for (let k = draft.first; k <= draft.last; k++) {
      const pos = tokens[k]!.pos;
      if (pos === 'VERB' || pos === 'AUX') {
        for (let j = k - 1; j >= draft.first; j--) {
          const phrase = phraseAt[j];
          if (!phrase || phrase.head === undefined) continue;
          if (governed(phrase)) {
            j = phrase.first;
            continue;
          }
          return phrase;
        }
        return undefined;
      }
    }
    return undefined;
  };
  const hasVerb = (draft: ClauseDraft, until: number) => {
    for (let k = draft.first; k < until; k++) {
      if (tokens[k]!.pos === 'VERB' || tokens[k]!.pos === 'AUX') return true;
    }
    return false;
  };
  /** After a comma: a noun phrase and a verb start a main clause ("As he did…, Fidan chaired…"). */
  const startsMainClause = (at: number) => {
    const phrase = phraseAt[at];
    const after = phrase ? tokens[phrase.last + 1] : tokens[at];
    return (
      (phrase !== undefined || tokens[at]?.pos === 'PRON') &&
      (after?.pos === 'VERB' || after?.pos === 'AUX')
    );
  };
  let subordinate = tokens[0]!.pos === 'SCONJ';
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = tokens[i - 1]!;
    const current = drafts.at(-1)!;
    // "while the Ukrainian delegation was led…" opens a clause; "since the start of the war"
    // (a conjunction used as a preposition) does not.
    if (token.pos === 'SCONJ' && token.lower !== 'that' && startsMainClause(i + 1)) {
      open(i);
      subordinate = true;
      continue;
    }
    // "…said it had sent…", "…reported that Russia dismissed…": what was said is a clause.
    if (
      previous.pos === 'VERB' &&
      SAYING.has(previous.lemma) &&
      (startsMainClause(i) || (token.lower === 'that' && startsMainClause(i + 1)))
    ) {
      open(i);
      continue;
    }
    // "with Russia indicating willingness": an absolute phrase has its own subject.
    if (
      token.lower === 'with' &&
      phraseAt[i + 1] &&
      tokens[phraseAt[i + 1]!.last + 1]?.pos === 'VERB' &&
      /ing$/.test(tokens[phraseAt[i + 1]!.last + 1]!.lower)
    ) {
      open(i);
      continue;
    }
    if (RELATIVE.has(token.lower) && (token.pos === 'PRON' || token.pos === 'DET')) {
      open(i, antecedentBefore(i));
    } else if (token.lower === 'that' && token.pos === 'PRON' && phraseAt[i - 1]) {
      open(i, phraseAt[i - 1]);
    } else if ((previous.lower === ';' || previous.lower === ':') && hasVerb(current, i)) {
      // "June 2, 2025: The second round…": a label before a colon dates what follows.
      open(i);
    } else if (previous.lower === ',' && subordinate && startsMainClause(i)) {
      open(i);
    } else if (
      token.pos === 'CCONJ' &&
      /^(?:and|but|or|yet)$/.test(token.lower) &&
      hasVerb(current, i)
    ) {
      // "…lasted an hour and produced nothing": a coordinated verb keeps the subject;
      // "…and Russia delivered the document": a new subject opens a clause of its own.
      let verbAt = i + 1;
      while (['ADV', 'AUX', 'PART'].includes(tokens[verbAt]?.pos ?? '')) verbAt += 1;
      if (tokens[verbAt]?.pos === 'VERB') {
        open(i, subjectOf(current) ?? current.inherited);
      } else if (startsMainClause(i + 1)) {
        open(i);
      }
    } else if (previous.lower === ',' && token.pos === 'VERB' && hasVerb(current, i)) {
      // ", giving the Ukrainians…", ", adding that…": a participle about the subject.
      open(i, subjectOf(current) ?? current.inherited);
    } else continue;
    subordinate = false;
  }

  const hostOf = (phrase: Phrase | undefined): Host | undefined => {
    if (!phrase) return undefined;
    const head = termOf(phrase.head);
    if (head === undefined && phrase.ordinal === undefined) return undefined;
    return {
      ...(head !== undefined && { head }),
      ...(phrase.ordinal !== undefined && { ordinal: phrase.ordinal }),
    };
  };
  const sidesIn = (first: number, last: number): number => {
    let sides = 0;
    for (let k = first; k <= last;) {
      const found = lexicon.sideAt(words, k);
      if (found && k + found.length - 1 <= last) {
        sides |= found.side;
        k += found.length;
      } else k += 1;
    }
    return sides;
  };

  const clauseOfToken = new Int32Array(tokens.length);
  const clauses: Clause[] = drafts.map((draft, index) => {
    for (let k = draft.first; k <= draft.last; k++) clauseOfToken[k] = index;
    const own = subjectOf(draft);
    const subject = own ?? draft.inherited;
    let verbAt: number | undefined;
    let auxAt: number | undefined;
    for (let k = draft.first; k <= draft.last; k++) {
      if (tokens[k]!.pos === 'VERB') {
        verbAt = k;
        break;
      }
      if (tokens[k]!.pos === 'AUX' && auxAt === undefined) {
        auxAt = k;
        // "is Ukraine's withdrawal": a copula with no verb after it is the clause's verb.
        let next = k + 1;
        while (
          tokens[next]?.pos === 'ADV' ||
          tokens[next]?.pos === 'PART' ||
          tokens[next]?.pos === 'AUX'
        )
          next += 1;
        if (tokens[next]?.pos !== 'VERB') break;
      }
    }
    // "Moscow and Kyiv agreed…": every phrase of a coordinated subject names a side.
    let subjectFirst = subject?.first ?? 0;
    while (subject && tokens[subjectFirst - 1]?.pos === 'CCONJ' && phraseAt[subjectFirst - 2]) {
      subjectFirst = phraseAt[subjectFirst - 2]!.first;
    }
    let sides = subject ? sidesIn(subjectFirst, subject.last) : 0;
    // The passive's actor: "was headed by Vladimir Medinsky".
    if (verbAt !== undefined && auxAt !== undefined && tokens[auxAt]!.lemma === 'be') {
      const by = words.indexOf('by', verbAt);
      if (by !== -1 && by <= draft.last && phraseAt[by + 1]) {
        const agent = phraseAt[by + 1]!;
        sides |= sidesIn(agent.first, agent.last);
      }
    }
    const verb = termOf(verbAt ?? auxAt);
    const subjectHost = hostOf(subject);
    return {
      start: tokens[draft.first]!.start,
      end: tokens[draft.last]!.end,
      ...(verb !== undefined && { verb }),
      ...(subjectHost && { subject: subjectHost }),
      sides,
    };
  });

  const ordinals: OrdinalUse[] = [];
  for (const phrase of phrases) {
    if (phrase.ordinal === undefined) continue;
    const head = termOf(phrase.head);
    ordinals.push({
      ordinal: phrase.ordinal,
      ...(head !== undefined && { head }),
      clause: clauseOfToken[phrase.first]!,
    });
  }
  // "Round two", "when was round 2": an event noun and a small number, however the model
  // tagged the noun (a name at the start of a sentence, a verb in a question).
  for (let i = 1; i < tokens.length; i++) {
    const ordinal = CARDINAL_AS_ORDINAL[tokens[i]!.lower];
    const head = lexicon.termOf(tokens[i - 1]!.text);
    if (ordinal === undefined || tokens[i]!.pos !== 'NUM' || head === undefined) continue;
    if (!lexicon.isEvent(head) || ordinals.some((o) => o.head === head && o.ordinal === ordinal))
      continue;
    ordinals.push({ ordinal, head, clause: clauseOfToken[i]! });
  }

  // Values, each attached to its noun phrase or its clause.
  const mentions: Mention[] = [];
  const taken = new Uint8Array(tokens.length);
  /** The noun phrase a value at [first, last] is tied to by a preposition, or (counts) counts. */
  const attachment = (first: number, last: number, counts: boolean): Host | undefined => {
    if (counts) {
      const own = phraseAt[last];
      if (own?.head !== undefined && own.head > last) return hostOf({ ...own, first: own.head });
      // "dozens of bombers", "about 20% of Ukrainian territory": what follows "of" is counted.
      if (tokens[last + 1]?.lower === 'of' && phraseAt[last + 2]?.head !== undefined) {
        return hostOf(phraseAt[last + 2]);
      }
    }
    const before = tokens[first - 1];
    if (before?.pos === 'ADP' && ATTACHING.has(before.lower)) {
      const nearest = phraseBefore(first - 1);
      const phrase = nearest && outermost(nearest);
      if (phrase?.head !== undefined && tokens[phrase.head]!.pos === 'NOUN') {
        if (clauseOfToken[phrase.head] === clauseOfToken[first]) return hostOf(phrase);
      }
    }
    return undefined;
  };
  const add = (kind: ValueKind, first: number, last: number, strength = 1, counts = false) => {
    const numeric = kind !== 'person' && kind !== 'place' && kind !== 'role';
    // Qualifiers belong to the value: "just over an hour", "approximately 6,000".
    while (
      numeric &&
      first > 0 &&
      QUALIFIER.has(tokens[first - 1]!.lower) &&
      clauseOfToken[first - 1] === clauseOfToken[first] &&
      !(tokens[first - 1]!.lower === 'at' && tokens[first]!.lower !== 'least')
    ) {
      if (
        (tokens[first - 1]!.lower === 'to' || tokens[first - 1]!.lower === 'up') &&
        kind !== 'count'
      )
        break;
      first -= 1;
    }
    // A name or role is shown without its article: "the peninsula" → "peninsula".
    while (!numeric && first < last && tokens[first]!.pos === 'DET') first += 1;
    for (let k = first; k <= last; k++) taken[k] = 1;
    const host = attachment(first, last, counts);
    mentions.push({
      kind,
      start: tokens[first]!.start,
      end: tokens[last]!.end,
      clause: clauseOfToken[first]!,
      ...(host && { host }),
      strength,
    });
  };

  /** The last token of a mention of `kind` starting at token `at`, if there is one. */
  const mentionAt = (at: number, kind: ValueKind): number | undefined => {
    const start = tokens[at]?.start;
    const found = mentions.find((m) => m.kind === kind && m.start === start);
    if (!found) return undefined;
    let last = at;
    while (tokens[last + 1] && tokens[last + 1]!.end <= found.end) last += 1;
    return last;
  };

  for (let i = 0; i < tokens.length; i++) {
    const entity = tokens[i]!.entity;
    if (!entity || entity.first !== i || taken[i]) continue;
    const { first, last } = entity;
    switch (entity.type) {
      case 'DATE':
      case 'TIME':
        add('time', first, last, timeStrength(tokens, first, last));
        break;
      case 'DURATION': {
        // "since 2022", "from 1271 to 1368": points in time, not a length.
        if (
          tokens.slice(first, last + 1).some((t) => /^(?:1\d|20)\d\d$/.test(t.lower)) ||
          tokens[first]!.lower === 'since' ||
          tokens[first - 1]?.lower === 'since'
        ) {
          const strength = timeStrength(tokens, first, last);
          if (strength > 0.5) {
            add('time', first, last, strength);
            break;
          }
        }
        // "two to three days": the number range before the entity belongs to it.
        let from = first;
        if (from > 0 && tokens[from - 1]!.pos === 'NUM') from -= 1;
        while (
          from >= 2 &&
          /^(?:to|-|–|or)$/.test(tokens[from - 1]!.lower) &&
          tokens[from - 2]!.pos === 'NUM'
        ) {
          from -= 2;
        }
        // "a fortnight after the first meeting", "days before the talks": a time, not a length.
        if (/^(?:after|before|later|earlier|ago)$/.test(tokens[last + 1]?.lower ?? '')) {
          add('time', from, last + 1, 0.25);
          break;
        }
        add('duration', from, last);
        break;
      }
      case 'MONEY':
        add('money', first, last);
        break;
      case 'PERCENT':
        add('share', first, last, 1, true);
        break;
      case 'CARDINAL': {
        // A range of years is a time: "(960–1279)", "1271 to 1368".
        if (
          first === last &&
          /^\d{3,4}$/.test(tokens[first]!.lower) &&
          /^(?:–|-|to)$/.test(tokens[first + 1]?.lower ?? '') &&
          /^\d{3,4}$/.test(tokens[first + 2]?.lower ?? '')
        ) {
          add('time', first, first + 2, 0.75);
          break;
        }
        // A bare year is a date.
        if (/^(?:1\d|20)\d\d$/.test(tokens[first]!.lower) && first === last) {
          add('time', first, last, 0.75);
          break;
        }
        let end = last;
        // "2-3 days", "30 days": a number before a time unit is a duration.
        const unit = tokens[end + 1];
        if (unit && /^(?:days?|weeks?|months?|years?|hours?|minutes?)$/.test(unit.lower)) {
          end += 1;
          add('duration', first, end);
          break;
        }
        add('count', first, end, 1, true);
        break;
      }
      default:
        break;
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    if (taken[i]) continue;
    const token = tokens[i]!;
    // "a fortnight", "a fifth of": what the model leaves out.
    if (DURATION_NOUN.test(token.lower)) {
      if (/^(?:after|before|later|earlier|ago)$/.test(tokens[i + 1]?.lower ?? '')) {
        add('time', i, i + 1, 0.25);
      } else add('duration', i, i);
    } else if (FRACTION.test(token.lower) && tokens[i + 1]?.lower === 'of' && i > 0)
      add('share', i, i, 1, true);
  }

  // People, places and roles: runs of proper nouns, and the role words before a name.
  for (let i = 0; i < tokens.length;) {
    if (tokens[i]!.pos !== 'PROPN' || taken[i]) {
      i += 1;
      continue;
    }
    let end = i;
    while (end + 1 < tokens.length && tokens[end + 1]!.pos === 'PROPN' && !taken[end + 1]) end += 1;
    // Leading side words and role words: "Russian President", "Turkish Foreign Minister".
    let from = i;
    while (
      from > 0 &&
      !taken[from - 1] &&
      (ROLE.has(words[from - 1]!) || lexicon.sideAt(words, from - 1)?.length === 1) &&
      tokens[from - 1]!.pos !== 'PUNCT'
    ) {
      from -= 1;
    }
    // The rest of a role's own phrase: "presidential aide", "Russian delegation leader" —
    // adjectives, capitalised words, and a noun right before a role word.
    if (ROLE.has(words[from] ?? '') || lexicon.sideAt(words, from)) {
      while (from > 0 && !taken[from - 1] && phraseAt[from - 1] === phraseAt[from]) {
        const before = tokens[from - 1]!;
        const fits =
          before.pos === 'ADJ' ||
          (before.pos === 'PROPN' && /^\p{Lu}/u.test(before.text)) ||
          (before.pos === 'NOUN' && ROLE.has(words[from]!)) ||
          lexicon.sideAt(words, from - 1)?.length === 1;
        if (!fits) break;
        from -= 1;
      }
    }
    let lastRole = -1;
    for (let k = from; k <= end; k++) if (ROLE.has(words[k]!)) lastRole = k;
    const side = lexicon.sideAt(words, i);
    const onlySide = side !== undefined && side.length === end - i + 1 && lastRole === -1;
    const phrase = phraseAt[from];
    const before = tokens[(phrase && phrase.first < from ? phrase.first : from) - 1];
    i = end + 1;
    if (onlySide) continue;
    // A capitalised first word is no name when it is an English word ("Diplomatic efforts…").
    if (from === 0 && end === 0 && lastRole === -1 && lexicon.isWord(words[0]!)) continue;
    if (lastRole === -1 && before && PLACE_PREPOSITION.has(before.lower)) {
      add('place', from, end);
      continue;
    }
    if (lastRole !== -1) add('role', from, lastRole);
    if (lastRole < end) add('person', lastRole === -1 ? from : lastRole + 1, end);
  }
  // A common-noun role on its own, with what qualifies it: "presidential aide", "adviser to
  // Russian President Vladimir Putin".
  for (const phrase of phrases) {
    if (phrase.head === undefined || tokens[phrase.head]!.pos !== 'NOUN') continue;
    if (!ROLE.has(words[phrase.head]!) || taken[phrase.head]) continue;
    let end = phrase.head;
    if (words[end + 1] === 'to' && mentionAt(end + 2, 'role'))
      end = mentionAt(end + 2, 'person') ?? mentionAt(end + 2, 'role')!;
    add('role', phrase.first, end);
  }
  mentions.sort((a, b) => a.start - b.start || a.end - b.end);
  return { clauses, mentions, ordinals };
}
