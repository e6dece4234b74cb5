/**
 * The term pipeline: the one way text becomes index terms, shared by articles
 * and questions so that both sides always agree on what a word is.
 *
 *   text ─fold─▶ tokens ─stop words─▶ aliases ─Porter2─▶ terms
 *
 * Folding removes accents (Çırağan → ciragan, Erdoğan → erdogan) and keeps
 * dotted acronyms whole (U.S. → US). Aliases come from the knowledge folder's
 * vocabulary file, so corpus-specific spellings are data, not code.
 */
import stem from 'wink-porter2-stemmer';
import { eng as englishStopWords } from 'stopword';
import { ASCII_ONLY, foldText } from '../../knowledge/fold.ts';
import type { Vocabulary } from '../../knowledge/vocabulary.ts';

/** Negations change what a sentence says; a stop list must not erase them. */
const NEGATIONS = new Set(['no', 'not', 'never', 'nor', 'without', 'against']);

/** Words that carry no topic in news prose, beyond the `stopword` package's list. */
// prettier-ignore
const EXTRA_STOP_WORDS = [
  'a', 'i', 'you', 'your', 'yours', 'it', 'its', 'us', 'our', 'ours', 'she', 'he', 'they',
  'will', 'would', 'does', 'done', 'doing', 'shall', 'may', 'also', 'just', 'so', 'yet',
  'who', 'whom', 'whose', 'why', 'when', 'what', 'which', 'where', 'how', 'whats', 'whos',
  'there', 'here', 'were', 'be', 'is', 'are', 'am', 'was', 'been', 'being', 'has', 'have',
  'had', 'having', 'do', 'did', 'can', 'could', 'should', 'must', 'might', 'the', 'an',
  'and', 'or', 'but', 'if', 'of', 'at', 'by', 'for', 'with', 'about', 'to', 'from', 'in',
  'on', 'into', 'onto', 'upon', 'as', 'than', 'that', 'this', 'these', 'those', 'them',
  'their', 'theirs', 'his', 'her', 'hers', 'him', 'me', 'my', 'mine', 'we', 'any', 'each',
  'every', 'either', 'neither', 'some', 'such', 'said', 'says', 'say',
];

/**
 * Words that only frame a question ("tell me about …", "what happened …").
 * They are dropped from questions but kept in articles, where they can carry
 * meaning ("the talks happened twice").
 */
// prettier-ignore
const QUESTION_ONLY_STOP_WORDS = [
  'tell', 'know', 'explain', 'happen', 'happened', 'happens', 'please', 'anyone', 'someone',
  'anybody', 'thing', 'things', 'info', 'information', 'details', 'detail', 'get', 'got',
  'go', 'going', 'think', 'mean', 'really', 'actually', 'exactly', 'many', 'much', 'long',
  'often', 'pls', 'plz', 'thanks', 'hey', 'hi', 'hello', 'guys', 'bot', 'give', 'everyone',
  'everybody', 'folks', 'yall', 'today', 'currently', 'job',
];

const STOP_WORDS: ReadonlySet<string> = new Set(
  [...englishStopWords, ...EXTRA_STOP_WORDS].filter((word) => !NEGATIONS.has(word)),
);
const QUESTION_STOP_WORDS: ReadonlySet<string> = new Set([
  ...STOP_WORDS,
  ...QUESTION_ONLY_STOP_WORDS,
]);

/** "U.S." → "US", "E.U." → "EU": otherwise an acronym splits into stray letters. */
const DOTTED_ACRONYM = /\b(?:[A-Za-z]\.){2,}/g;
/** A word (letters, digits, inner apostrophes) or a number with thousands separators. */
const TOKEN =
  /\p{N}+(?:st|nd|rd|th)\b|\p{N}{1,3}(?:,\p{N}{3})+|\p{N}+(?:\.\p{N}+)?|\p{L}[\p{L}\p{N}]*(?:'\p{L}+)*/giu;
/**
 * TOKEN for ASCII text, where \p{N} is [0-9] and \p{L} is [A-Za-z]: the same
 * matches, several times faster than Unicode property classes.
 */
const ASCII_TOKEN =
  /[0-9]+(?:st|nd|rd|th)\b|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?|[A-Za-z][A-Za-z0-9]*(?:'[A-Za-z]+)*/gi;

/** "2nd" is "second": a written ordinal must not split into "2" and a stray "nd". */
// prettier-ignore
const ORDINAL_WORDS = [
  '', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth',
  'tenth',
];
const NUMERIC_ORDINAL = /^(\p{N}+)(?:st|nd|rd|th)$/iu;

function startsWithAsciiLetter(token: string): boolean {
  const code = token.charCodeAt(0) | 0x20; // ASCII lowercase
  return code >= 0x61 && code <= 0x7a;
}

/**
 * Splits text into surface tokens, case preserved (case tells an acronym from
 * a word: "US" is a country, "us" a pronoun). Thousands separators are
 * removed so "1,000" and "1000" are one token.
 */
export function tokenize(text: string): string[] {
  const folded = foldText(text).replace(DOTTED_ACRONYM, (acronym) => acronym.replace(/\./g, ''));
  // match() with /g gives just the strings: cheaper than matchAll's match objects.
  const tokens = folded.match(ASCII_ONLY.test(folded) ? ASCII_TOKEN : TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // A word is kept as it is; only numbers can be ordinals or carry commas.
    if (startsWithAsciiLetter(token)) continue;
    const ordinal = NUMERIC_ORDINAL.exec(token);
    if (ordinal) tokens[i] = ORDINAL_WORDS[Number(ordinal[1])] ?? token;
    else if (token.includes(',')) tokens[i] = token.replace(/,(?=\p{N}{3})/gu, '');
  }
  return tokens;
}

const ACRONYM = /^[A-Z]{2,6}$/;

export type TermMode = 'document' | 'query';

export interface TermPipeline {
  tokenize(text: string): string[];
  /** One surface token → zero, one or several index terms (a shared array: do not modify it). */
  processTerm(token: string, mode: TermMode): string[];
  /** Text → index terms, in order (duplicates kept). */
  terms(text: string, mode: TermMode): string[];
  /** Lowercase, accent-free, possessive-free form used for suggestions and spelling. */
  surfaceForm(token: string): string;
  /** Other index terms a question term may stand for (vocabulary synonyms), never itself. */
  synonymsOf(term: string): readonly string[];
  /** The vocabulary it was made from (sides and events, for reading sentences). */
  readonly vocabulary: Vocabulary;
}

export function createTermPipeline(vocabulary: Vocabulary): TermPipeline {
  const aliasCache = new Map<string, string[] | null>();

  /** Canonical terms for a word, looking it up as written and as stemmed. */
  function aliasOf(word: string): string[] | null {
    const cached = aliasCache.get(word);
    if (cached !== undefined) return cached;
    const canonical = vocabulary.aliases.get(word) ?? vocabulary.aliases.get(stemWord(word));
    const result = canonical
      ? canonical.filter((part) => !STOP_WORDS.has(part)).map((part) => stemWord(part))
      : null;
    if (aliasCache.size >= WORD_CACHE_LIMIT) aliasCache.clear();
    aliasCache.set(word, result);
    return result;
  }

  function surfaceForm(token: string): string {
    const lower = token.toLowerCase();
    // Most tokens have no apostrophe to remove; skip the two regex passes.
    return lower.includes("'") ? lower.replace(/'s?$/, '').replace(/'/g, '') : lower;
  }

  /**
   * Tokens follow Zipf's law: nearly every call repeats an earlier token, so
   * results are memoised per mode (callers share the arrays and must not
   * change them). The cap keeps hostile input from growing a cache without bound.
   */
  const termCaches: Record<TermMode, Map<string, string[]>> = {
    document: new Map(),
    query: new Map(),
  };

  function processTerm(token: string, mode: TermMode): string[] {
    const cache = termCaches[mode];
    let terms = cache.get(token);
    if (terms === undefined) {
      terms = termsOfToken(token, mode);
      if (cache.size >= WORD_CACHE_LIMIT) cache.clear();
      cache.set(token, terms);
    }
    return terms;
  }

  function termsOfToken(token: string, mode: TermMode): string[] {
    const isAcronym = ACRONYM.test(token);
    const word = surfaceForm(token);
    if (word.length === 0) return [];
    const stopWords = mode === 'query' ? QUESTION_STOP_WORDS : STOP_WORDS;
    if (!isAcronym && stopWords.has(word)) return [];
    const alias = aliasOf(word);
    if (alias) return alias;
    if (word.length === 1 && !/\p{N}/u.test(word)) return [];
    return [stemWord(word)];
  }

  // Synonym groups are stored by index term, so "wanted" in a question finds "demand".
  const synonyms = new Map<string, string[]>();
  for (const group of vocabulary.synonyms) {
    // A phrase ("pull out") stands for its content words ("pull").
    const terms = new Set(
      group.flatMap((phrase) => tokenize(phrase).flatMap((t) => processTerm(t, 'document'))),
    );
    for (const term of terms) {
      const others = new Set(synonyms.get(term));
      for (const other of terms) if (other !== term) others.add(other);
      synonyms.set(term, [...others]);
    }
  }

  return {
    vocabulary,
    tokenize,
    processTerm,
    surfaceForm,
    synonymsOf: (term) => synonyms.get(term) ?? [],
    terms(text, mode) {
      // A plain loop: flatMap here costs as much as tokenizing.
      const terms: string[] = [];
      for (const token of tokenize(text))
        for (const term of processTerm(token, mode)) terms.push(term);
      return terms;
    },
  };
}

/**
 * Stems are memoised: the same few thousand words are stemmed again for every
 * candidate sentence. The cap keeps hostile input from growing it without bound.
 */
const stemCache = new Map<string, string>();
/**
 * Entries per word cache (stems; aliases and terms per pipeline and mode).
 * Past it a cache starts over, which costs little: the frequent words return
 * at once. Measured at 10,000 articles (200k distinct tokens): caches of every
 * token held ~70 MB after the build for no speed-up over this size, and the
 * index counts each distinct token once itself (see analyseSentences).
 */
const WORD_CACHE_LIMIT = 30_000;

/** Porter2 leaves numbers alone; stemming a number would only risk damage. */
function stemWord(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = /^\p{N}/u.test(word) ? word : stem(word);
    if (stemCache.size >= WORD_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}
