/**
 * The sentence index: MiniSearch over every answerable sentence, plus the
 * corpus statistics the answerer needs (term document frequencies for IDF,
 * surface words for spelling and autocomplete).
 */
import MiniSearch, { type Options as MiniSearchOptions } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { Article, Sentence } from '../../knowledge/types.ts';
import {
  SentenceTermsBuilder,
  termNumbers,
  termStream,
  type SentenceTerms,
} from './sentence-terms.ts';
import type { TermPipeline } from './terms.ts';
import { WordCounts } from './word-counts.ts';
import { readSentences } from '../read/read.ts';
import type { StructureStore } from '../read/structure-store.ts';

/** What MiniSearch sees per sentence: only its id; the text comes as already-analysed terms. */
interface IndexedSentence {
  id: number;
}

/** One document per article in the headline index: its id and its title's index terms. */
interface IndexedTitle {
  id: string;
  terms: readonly string[];
}

export interface SentenceIndex {
  /** MiniSearch (BM25) over each sentence's own words. */
  readonly search: MiniSearch<IndexedSentence>;
  /**
   * MiniSearch over the article headlines, one document per article: a
   * headline match counts for every sentence of its article without being
   * indexed once per sentence.
   */
  readonly titles: MiniSearch<IndexedTitle>;
  /**
   * How many headlines hold each term, and how many headlines there are: the
   * statistics that bound a question's headline search as documentFrequency
   * and sentenceCount bound its sentence search.
   */
  /** Each article's title terms in order, as the index was assembled from them. */
  readonly headlines: readonly TitleTerms[];
  /** Index terms of each article's title, by article id. */
  readonly titleTerms: ReadonlyMap<string, ReadonlySet<string>>;
  readonly titleStatistics: {
    readonly documentFrequency: ReadonlyMap<string, number>;
    readonly sentenceCount: number;
  };
  /** Every sentence's terms, compactly (see sentence-terms.ts). */
  readonly sentenceTerms: SentenceTerms;
  /** Every sentence's structure, read at index time (read/structure-store.ts). */
  readonly structures: StructureStore;
  /** Stemmed term → number of sentences whose own text contains it. */
  readonly documentFrequency: ReadonlyMap<string, number>;
  /**
   * Index terms within `distance` edits of `term`, as [term, sentences
   * holding it, distance]: spelling correction.
   */
  similarTerms(term: string, distance: number): Iterable<[string, number, number]>;
  /** The surface word most often behind each term, by term number ("negoti" → "negotiations"). */
  readonly displayWords: readonly string[];
  /** The same, by term. */
  displayWordOf(term: string): string | undefined;
  /** Lowercase surface word → how often it occurs; for autocomplete. */
  readonly surfaceWords: WordCounts;
  /**
   * Lowercase surface words the articles write capitalised (away from a
   * sentence start): names ("fidan", "istanbul"). Names match exactly or not
   * at all — "Russia" is not "almost Ukraine".
   */
  readonly nameWords: ReadonlySet<string>;
  /** The counts nameWords is decided from, kept so an added article can move them. */
  readonly casing: WordCasing;
  readonly sentenceCount: number;
  /**
   * Set on an index extended from another (extendIndex): the surface words
   * the added article writes, the only ones whose counts, casing or name
   * status moved. What was prepared over the earlier index is revised for them.
   */
  readonly changedWords?: readonly string[];
}

/**
 * How often each lowercase surface word is written capitalised and in lower
 * case away from a sentence start (words that never are appear in neither).
 */
export interface WordCasing {
  readonly capitalised: WordCounts;
  readonly lowercase: WordCounts;
}

/**
 * What reading the sentences yields — everything the index is assembled from
 * without looking at the text again. The snapshot stores exactly this.
 */
export interface AnalysedSentences {
  readonly sentenceTerms: SentenceTerms;
  /** What each sentence's dates, numbers, ordinals and names are attached to (read/). */
  readonly structures: StructureStore;
  /** The surface word shown for each term, by term number (see SentenceIndex.displayWord). */
  readonly displayWords: readonly string[];
  /** Surface word → occurrences. */
  readonly surfaceWords: WordCounts;
  readonly casing: WordCasing;
}

/** Index terms are analysed before MiniSearch sees them: it must take them as they are. */
const PREANALYSED = {
  tokenize: (text: string) => (text === '' ? [] : text.split(' ')),
  processTerm: (term: string) => term,
} as const;

export function miniSearchOptions(): MiniSearchOptions<IndexedSentence> {
  return {
    idField: 'id',
    fields: ['text'],
    storeFields: [],
    ...PREANALYSED,
    searchOptions: { ...PREANALYSED, combineWith: 'OR' },
  };
}

/** What a distinct token (as written) stands for, and how often it occurs. */
interface TokenTally {
  readonly termNumbers: readonly number[];
  occurrences: number;
  /** Occurrences away from a sentence start, where capitals mean a name. */
  midSentence: number;
}

/**
 * Reads sentences once into `terms`, tallying each distinct token as written.
 * Each distinct token is analysed once and only counted after that (6M
 * tokens at 10,000 articles, 200k distinct); the statistics are summed per
 * token at the end (wordStatistics).
 */
function tallyTokens(
  sentences: readonly Sentence[],
  pipeline: TermPipeline,
  terms: SentenceTermsBuilder,
): Map<string, TokenTally> {
  const tallies = new Map<string, TokenTally>();
  for (const sentence of sentences) {
    const tokens = pipeline.tokenize(sentence.text);
    for (let position = 0; position < tokens.length; position++) {
      const token = tokens[position] as string;
      let tally = tallies.get(token);
      if (tally === undefined) {
        const termNumbers = pipeline.processTerm(token, 'document').map((t) => terms.numberOf(t));
        tally = { termNumbers, occurrences: 0, midSentence: 0 };
        tallies.set(token, tally);
      }
      tally.occurrences += 1;
      if (position > 0) tally.midSentence += 1;
      for (const number of tally.termNumbers) terms.push(number);
    }
    terms.endSentence();
  }
  return tallies;
}

/** What the tallied tokens say about the words behind the terms. */
interface WordStatistics {
  /** Surface word → occurrences. */
  readonly surfaceWords: Map<string, number>;
  /** Term number → surface word → occurrences, in order of first occurrence. */
  readonly surfaceCounts: Map<number, Map<string, number>>;
  /** Surface word → occurrences away from a sentence start, written capitalised / in lower case. */
  readonly capitalised: Map<string, number>;
  readonly lowercase: Map<string, number>;
}

function wordStatistics(
  tallies: ReadonlyMap<string, TokenTally>,
  pipeline: TermPipeline,
): WordStatistics {
  const surfaceWords = new Map<string, number>();
  const surfaceCounts = new Map<number, Map<string, number>>();
  const capitalised = new Map<string, number>();
  const lowercase = new Map<string, number>();
  for (const [token, { termNumbers, occurrences, midSentence }] of tallies) {
    const surface = pipeline.surfaceForm(token);
    if (midSentence > 0 && /^\p{L}/u.test(token)) {
      const counts = /^\p{Lu}/u.test(token) ? capitalised : lowercase;
      counts.set(surface, (counts.get(surface) ?? 0) + midSentence);
    }
    if (surface.length > 1)
      surfaceWords.set(surface, (surfaceWords.get(surface) ?? 0) + occurrences);
    for (const number of termNumbers) {
      let counts = surfaceCounts.get(number);
      if (!counts) surfaceCounts.set(number, (counts = new Map()));
      counts.set(surface, (counts.get(surface) ?? 0) + occurrences);
    }
  }
  return { surfaceWords, surfaceCounts, capitalised, lowercase };
}

/**
 * The surface word written most often for a term; on a tie the first in
 * code-unit order, so the choice does not depend on the order the articles
 * were read in (an added article comes last, a full build reads it in place).
 */
const mostWritten = (counts: ReadonlyMap<string, number>) =>
  [...counts].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a))[0];

/** Words the articles write capitalised away from a sentence start, nine times in ten or more. */
const isNameCasing = ([upper, lower]: readonly [number, number]) => upper >= 9 * lower;

/** Reads every sentence once: its terms, and the word statistics spelling and autocomplete use. */
export function analyseSentences(
  sentences: readonly Sentence[],
  pipeline: TermPipeline,
): AnalysedSentences {
  const terms = new SentenceTermsBuilder();
  const statistics = wordStatistics(tallyTokens(sentences, pipeline, terms), pipeline);
  const sentenceTerms = terms.build();
  const displayWords = sentenceTerms.terms.map((_, number) =>
    mostWritten(statistics.surfaceCounts.get(number) as Map<string, number>),
  );
  return {
    sentenceTerms,
    structures: readSentences(sentences, pipeline),
    displayWords,
    surfaceWords: WordCounts.from(statistics.surfaceWords),
    casing: {
      capitalised: WordCounts.from(statistics.capitalised),
      lowercase: WordCounts.from(statistics.lowercase),
    },
  };
}

/** The names among `words`, by their counts in `casing`. */
function namesAmong(words: Iterable<string>, casing: WordCasing): string[] {
  const names: string[] = [];
  for (const word of words) {
    const capitalised = casing.capitalised.get(word) ?? 0;
    if (capitalised > 0 && isNameCasing([capitalised, casing.lowercase.get(word) ?? 0])) {
      names.push(word);
    }
  }
  return names;
}

/** An article's id and the index terms of its title. */
export interface TitleTerms {
  readonly id: string;
  readonly terms: readonly string[];
}

/**
 * The index over analysed sentences and titles: how a fresh build and a
 * restored snapshot both end.
 */
export function assembleIndex(
  analysed: AnalysedSentences,
  articles: readonly TitleTerms[],
): SentenceIndex {
  const { sentenceTerms } = analysed;
  const titles = new MiniSearch<IndexedTitle>({
    fields: ['title'],
    storeFields: [],
    ...PREANALYSED,
    extractField: (article, field) => (field === 'id' ? article.id : article.terms.join(' ')),
    searchOptions: { ...PREANALYSED, combineWith: 'OR' },
  });
  titles.addAll(articles.map(({ id, terms }) => ({ id, terms })));
  const titleFrequency = new Map<string, number>();
  for (const { terms } of articles) countDistinct(terms, titleFrequency);
  const { search, documentFrequency } = loadTextIndex(sentenceTerms);
  return {
    search,
    titles,
    headlines: articles,
    titleTerms: new Map(articles.map(({ id, terms }) => [id, new Set(terms)])),
    titleStatistics: { documentFrequency: titleFrequency, sentenceCount: articles.length },
    sentenceTerms,
    structures: analysed.structures,
    documentFrequency,
    similarTerms: similarTermsIn(search, documentFrequency),
    displayWords: analysed.displayWords,
    displayWordOf: displayWordIn(sentenceTerms.terms, analysed.displayWords),
    surfaceWords: analysed.surfaceWords,
    nameWords: new Set(namesAmong(analysed.casing.capitalised.keys(), analysed.casing)),
    casing: analysed.casing,
    sentenceCount: sentenceCount(sentenceTerms),
  };
}

/**
 * Looks a term's shown word up by its number. Only a corrected question word
 * needs it, so the term numbering is made on first use (see termNumbers).
 */
function displayWordIn(terms: readonly string[], displayWords: readonly string[]) {
  return (term: string): string | undefined => {
    const number = termNumbers(terms).get(term);
    return number === undefined ? undefined : displayWords[number];
  };
}

/** Adds one to the count of each distinct term. */
function countDistinct(terms: Iterable<string>, counts: Map<string, number>): void {
  for (const term of new Set(terms)) counts.set(term, (counts.get(term) ?? 0) + 1);
}

/**
 * The index with one more article, without re-reading the others: its
 * sentences (ids following the index's last) are analysed and added to
 * MiniSearch and to the engine's own tables. MiniSearch and the frequency
 * tables are extended in place, so the index given must not be used again;
 * everything that can fail runs before the first change to them.
 *
 * One statistic is approximated for terms the index already had: the
 * surface word shown for a term is chosen by how often each word is written
 * in all, not per term (the per-term counts are not kept: at 10,000
 * articles they would cost as much memory as the word counts).
 */
export function extendIndex(
  index: SentenceIndex,
  sentences: readonly Sentence[],
  article: TitleTerms,
  pipeline: TermPipeline,
): SentenceIndex {
  if (index.titleTerms.has(article.id)) throw new Error(`article ${article.id} is already indexed`);
  if (sentences[0]?.id !== index.sentenceCount) {
    throw new Error('new sentences must be numbered from the end of the index');
  }
  const builder = new SentenceTermsBuilder(index.sentenceTerms);
  const statistics = wordStatistics(tallyTokens(sentences, pipeline, builder), pipeline);
  const sentenceTerms = builder.build();
  const structures = readSentences(sentences, pipeline, index.structures);
  const surfaceWords = index.surfaceWords.plus(statistics.surfaceWords);
  const known = index.sentenceTerms.terms.length;
  const displayWords = [...index.displayWords];
  for (const [number, written] of statistics.surfaceCounts) {
    if (number >= known) {
      displayWords[number] = mostWritten(written);
      continue;
    }
    // A known term: its shown word against the article's, by how often each
    // is written now. (A full build counts per term; the two agree whenever a
    // word stands for one term, as nearly every word does.)
    const shown = index.displayWords[number] as string;
    const totals = new Map([[shown, surfaceWords.get(shown) ?? 0]]);
    for (const word of written.keys()) totals.set(word, surfaceWords.get(word) ?? 0);
    displayWords[number] = mostWritten(totals);
  }
  const casing: WordCasing = {
    capitalised: index.casing.capitalised.plus(statistics.capitalised),
    lowercase: index.casing.lowercase.plus(statistics.lowercase),
  };
  // Only the words the article writes can change side; they are decided again.
  const touched = new Set([...statistics.capitalised.keys(), ...statistics.lowercase.keys()]);
  const nameWords = new Set(index.nameWords);
  for (const word of touched) nameWords.delete(word);
  for (const word of namesAmong(touched, casing)) nameWords.add(word);
  const streams = sentences.map(({ id }) => termStream(sentenceTerms, id));

  // From here on, the shared structures change.
  builder.adopt(sentenceTerms);
  const documentFrequency = index.documentFrequency as Map<string, number>;
  for (const stream of streams) countDistinct(stream, documentFrequency);
  const titleFrequency = index.titleStatistics.documentFrequency as Map<string, number>;
  countDistinct(article.terms, titleFrequency);
  (index.titleTerms as Map<string, ReadonlySet<string>>).set(article.id, new Set(article.terms));
  index.titles.add({ id: article.id, terms: article.terms });
  index.search.addAll(sentences.map(({ id }, i) => ({ id, text: streams[i]!.join(' ') })));

  return {
    search: index.search,
    titles: index.titles,
    titleTerms: index.titleTerms,
    documentFrequency,
    similarTerms: index.similarTerms,
    headlines: [...index.headlines, article],
    titleStatistics: {
      documentFrequency: titleFrequency,
      sentenceCount: index.titleStatistics.sentenceCount + 1,
    },
    sentenceTerms,
    structures,
    displayWords,
    displayWordOf: displayWordIn(sentenceTerms.terms, displayWords),
    surfaceWords,
    nameWords,
    casing,
    sentenceCount: index.sentenceCount + sentences.length,
    changedWords: [...statistics.surfaceWords.keys()],
  };
}

export function buildSentenceIndex(
  sentences: readonly Sentence[],
  articles: readonly Pick<Article, 'id' | 'title'>[],
  pipeline: TermPipeline,
): SentenceIndex {
  return assembleIndex(
    analyseSentences(sentences, pipeline),
    articles.map(({ id, title }) => ({ id, terms: pipeline.terms(title, 'document') })),
  );
}

/**
 * MiniSearch over the sentences' own terms, loaded from postings computed
 * here with typed arrays (MiniSearch.loadJS, its documented restore path)
 * rather than added one token at a time: measured at 275k sentences, adding
 * walks its radix tree once per token and takes ~10× longer. The result is
 * the index `addAll` would build (a test compares the two).
 */
function loadTextIndex(sentenceTerms: SentenceTerms): {
  search: MiniSearch<IndexedSentence>;
  documentFrequency: Map<string, number>;
} {
  const { terms, streams, starts } = sentenceTerms;
  const count = sentenceCount(sentenceTerms);
  // Postings by term: how many sentences hold each term, then each sentence in turn.
  const postingStarts = new Uint32Array(terms.length + 1);
  const distinct = new Uint32Array(streams.length);
  const frequency = new Uint32Array(streams.length);
  const fieldLength: number[][] = new Array(count);
  let averageLength = 0;
  let postings = 0;
  const seenAt = new Int32Array(terms.length).fill(-1);
  for (let id = 0; id < count; id++) {
    const first = postings;
    for (let i = starts[id] as number; i < (starts[id + 1] as number); i++) {
      const term = streams[i] as number;
      const at = seenAt[term] as number;
      if (at >= first) {
        frequency[at] = (frequency[at] as number) + 1;
      } else {
        seenAt[term] = postings;
        distinct[postings] = term;
        frequency[postings++] = 1;
        postingStarts[term + 1] = (postingStarts[term + 1] as number) + 1;
      }
    }
    const length = postings - first;
    fieldLength[id] = [length];
    // MiniSearch keeps a running average; the same arithmetic gives the same float.
    averageLength = (averageLength * id + length) / (id + 1);
  }
  // Each term's count of sentences is its document frequency, before the counts become offsets.
  const documentFrequency = new Map<string, number>();
  for (let t = 0; t < terms.length; t++) {
    documentFrequency.set(terms[t] as string, postingStarts[t + 1] as number);
    postingStarts[t + 1] = (postingStarts[t + 1] as number) + (postingStarts[t] as number);
  }
  const next = postingStarts.slice(0, terms.length);
  const postingSentence = new Uint32Array(postings);
  const postingFrequency = new Uint32Array(postings);
  let p = 0;
  for (let id = 0; id < count; id++) {
    const end = p + (fieldLength[id]?.[0] ?? 0);
    for (; p < end; p++) {
      const term = distinct[p] as number;
      const slot = next[term] as number;
      next[term] = slot + 1;
      postingSentence[slot] = id;
      postingFrequency[slot] = frequency[p] as number;
    }
  }
  const postingsOf = (t: number) => {
    const sentences = new Map<number, number>();
    for (let p = postingStarts[t] as number; p < (postingStarts[t + 1] as number); p++) {
      sentences.set(postingSentence[p] as number, postingFrequency[p] as number);
    }
    return sentences;
  };
  const empty = {
    documentCount: count,
    nextId: count,
    documentIds: {},
    fieldIds: { text: 0 },
    fieldLength: {},
    averageFieldLength: [averageLength],
    storedFields: {},
    dirtCount: 0,
    index: [],
    serializationVersion: 2,
  };
  const search = MiniSearch.loadJS(empty as never, miniSearchOptions());
  // loadJS reads documents and postings as objects keyed by decimal strings,
  // which costs a string and a parseInt per posting (~4 s at 275k sentences).
  // They go straight into MiniSearch's own maps instead, in the shape loadJS
  // itself builds; a test checks the result against `addAll`. Should a
  // MiniSearch release change that shape, the documented path is taken.
  const internals = search as unknown as Partial<MiniSearchMaps>;
  if (isEmptyMiniSearch(internals)) {
    for (let id = 0; id < count; id++) {
      // Sentence ids are MiniSearch's own short ids: documents go in by id from 0.
      internals._documentIds.set(id, id);
      internals._idToShortId.set(id, id);
      internals._fieldLength.set(id, fieldLength[id] as number[]);
    }
    for (let t = 0; t < terms.length; t++) {
      const fields = new Map<number, Map<number, number>>();
      fields.set(0, postingsOf(t));
      internals._index.set(terms[t] as string, fields);
    }
    return { search, documentFrequency };
  }
  const loaded = MiniSearch.loadJS(
    {
      ...empty,
      documentIds: Array.from({ length: count }, (_, id) => id),
      fieldLength,
      index: terms.map((term, t) => [term, { 0: Object.fromEntries(postingsOf(t)) }]),
    } as never,
    miniSearchOptions(),
  );
  return { search: loaded, documentFrequency };
}

/** MiniSearch's internal maps, as loadJS fills them. */
interface MiniSearchMaps {
  _index: {
    readonly size: number;
    set(term: string, fields: Map<number, Map<number, number>>): unknown;
  };
  _documentIds: Map<number, number>;
  _idToShortId: Map<number, number>;
  _fieldLength: Map<number, number[]>;
}

function isEmptyMiniSearch(search: Partial<MiniSearchMaps>): search is MiniSearchMaps {
  const { _index, _documentIds, _idToShortId, _fieldLength } = search;
  return (
    typeof _index?.set === 'function' &&
    _index.size === 0 &&
    [_documentIds, _idToShortId, _fieldLength].every((map) => map instanceof Map && map.size === 0)
  );
}

/**
 * Fuzzy look-ups in MiniSearch's own term tree (a SearchableMap, the radix
 * tree MiniSearch's fuzzy search walks): a second tree of the same 125k
 * terms at 10,000 articles cost 33 MB and a tenth of a restart. Should a
 * MiniSearch release hide that tree, a tree of our own is built on first use.
 */
function similarTermsIn(
  search: MiniSearch<IndexedSentence>,
  documentFrequency: ReadonlyMap<string, number>,
): SentenceIndex['similarTerms'] {
  const shared = (search as unknown as { _index?: FuzzyTree })._index;
  let own: SearchableMap<number> | undefined;
  return function* similarTerms(term, distance) {
    if (shared && typeof shared.fuzzyGet === 'function') {
      for (const [candidate, [, d]] of shared.fuzzyGet(term, distance)) {
        yield [candidate, documentFrequency.get(candidate) ?? 0, d];
      }
      return;
    }
    own ??= SearchableMap.from(documentFrequency);
    for (const [candidate, [count, d]] of own.fuzzyGet(term, distance)) yield [candidate, count, d];
  };
}

/** MiniSearch's internal term tree, as far as fuzzy look-ups need it. */
interface FuzzyTree {
  fuzzyGet(term: string, distance: number): Map<string, [unknown, number]>;
}

function sentenceCount({ starts }: SentenceTerms): number {
  return starts.length - 1;
}

/** BM25's inverse document frequency; an unseen term gets the rarest possible weight. */
export function inverseDocumentFrequency(index: SentenceIndex, term: string): number {
  const df = index.documentFrequency.get(term) ?? 0;
  const n = index.sentenceCount;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}
