/**
 * The sentence index: MiniSearch over every answerable sentence, plus the
 * corpus statistics the answerer needs (term document frequencies for IDF,
 * surface words for spelling and autocomplete).
 */
import MiniSearch, { type Options as MiniSearchOptions } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { Sentence } from '../knowledge/types.ts';
import type { TermPipeline } from './terms.ts';

/**
 * What MiniSearch sees per sentence: only its id. The fields — the sentence
 * text, its neighbours (they let "what did he say" find the sentence after
 * the name) and the article title — are supplied as already-analysed terms.
 */
interface IndexedSentence {
  id: number;
}

export interface SentenceIndex {
  readonly search: MiniSearch<IndexedSentence>;
  /** The distinct index terms of each sentence's own text, by sentence id. */
  readonly sentenceTerms: readonly (readonly string[])[];
  /** Stemmed term → number of sentences whose own text contains it. */
  readonly documentFrequency: ReadonlyMap<string, number>;
  /** The same terms in a radix tree, for fuzzy look-ups (spelling correction). */
  readonly termTree: SearchableMap<number>;
  /** Stemmed term → the surface word most often behind it ("negoti" → "negotiations"). */
  readonly displayWord: ReadonlyMap<string, string>;
  /** Lowercase surface word → how often it occurs; for autocomplete. */
  readonly surfaceWords: SearchableMap<number>;
  /**
   * Lowercase surface words the articles write capitalised (away from a
   * sentence start): names ("fidan", "istanbul"). Names match exactly or not
   * at all — "Russia" is not "almost Ukraine".
   */
  readonly nameWords: ReadonlySet<string>;
  readonly sentenceCount: number;
}

export function miniSearchOptions(pipeline: TermPipeline): MiniSearchOptions<IndexedSentence> {
  return {
    idField: 'id',
    fields: ['text', 'context', 'title'],
    storeFields: [],
    tokenize: (text) => pipeline.tokenize(text),
    processTerm: (token) => pipeline.processTerm(token, 'document'),
    searchOptions: {
      processTerm: (token) => pipeline.processTerm(token, 'query'),
      // Field boosts come with each search, from the answer options.
      combineWith: 'OR',
    },
  };
}

export function buildSentenceIndex(
  sentences: readonly Sentence[],
  titleOf: (articleId: string) => string,
  pipeline: TermPipeline,
): SentenceIndex {
  const documentFrequency = new Map<string, number>();
  const surfaceWords = new SearchableMap<number>();

  const surfaceCounts = new Map<string, Map<string, number>>();
  const sentenceTerms: string[][] = [];
  /** Every term of each sentence in order (repeats kept, for term frequency). */
  const termStreams: string[][] = [];
  const titleTerms = new Map<string, string[]>();

  /** Surface word → [capitalised, lowercase] occurrences away from a sentence start. */
  const casing = new Map<string, [number, number]>();
  for (const sentence of sentences) {
    const tokens = pipeline.tokenize(sentence.text);
    const seen = new Set<string>();
    const stream: string[] = [];
    for (const [position, token] of tokens.entries()) {
      const surface = pipeline.surfaceForm(token);
      if (position > 0 && /^\p{L}/u.test(token)) {
        const counts = casing.get(surface) ?? [0, 0];
        counts[/^\p{Lu}/u.test(token) ? 0 : 1] += 1;
        casing.set(surface, counts);
      }
      if (surface.length > 1) surfaceWords.update(surface, (count = 0) => count + 1);
      for (const term of pipeline.processTerm(token, 'document')) {
        stream.push(term);
        seen.add(term);
        const counts = surfaceCounts.get(term) ?? new Map<string, number>();
        counts.set(surface, (counts.get(surface) ?? 0) + 1);
        surfaceCounts.set(term, counts);
      }
    }
    for (const term of seen) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    sentenceTerms[sentence.id] = [...seen];
    termStreams[sentence.id] = stream;
    if (!titleTerms.has(sentence.articleId)) {
      titleTerms.set(sentence.articleId, pipeline.terms(titleOf(sentence.articleId), 'document'));
    }
  }

  // Each sentence was analysed once above; MiniSearch indexes those terms
  // instead of tokenizing the sentence again for each field it appears in.
  const neighbourTerms = (sentence: Sentence) =>
    [sentence.id - 1, sentence.id + 1].flatMap((id) =>
      sentences[id]?.articleId === sentence.articleId ? (termStreams[id] ?? []) : [],
    );
  const search = new MiniSearch<IndexedSentence>({
    ...miniSearchOptions(pipeline),
    extractField: (document, field) => (field === 'id' ? document.id : String(document.id)),
    tokenize: (id, field) => {
      const sentence = sentences[Number(id)] as Sentence;
      if (field === 'text') return termStreams[sentence.id] ?? [];
      if (field === 'context') return neighbourTerms(sentence);
      return titleTerms.get(sentence.articleId) ?? [];
    },
    processTerm: (term) => term,
  });
  search.addAll(sentences.map((sentence) => ({ id: sentence.id })));
  // The options above stay referenced by MiniSearch; the streams are only needed to build.
  termStreams.length = 0;
  const displayWord = new Map<string, string>();
  for (const [term, counts] of surfaceCounts) {
    displayWord.set(term, [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0]);
  }
  const nameWords = new Set<string>();
  for (const [word, [upper, lower]] of casing) if (upper >= 9 * lower) nameWords.add(word);
  return {
    search,
    sentenceTerms,
    documentFrequency,
    termTree: SearchableMap.from(documentFrequency),
    displayWord,
    surfaceWords,
    nameWords,
    sentenceCount: sentences.length,
  };
}

/** BM25's inverse document frequency; an unseen term gets the rarest possible weight. */
export function inverseDocumentFrequency(index: SentenceIndex, term: string): number {
  const df = index.documentFrequency.get(term) ?? 0;
  const n = index.sentenceCount;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** The index in a JSON-safe shape, for the on-disk cache (see src/index-cache.ts). */
export interface SerializedIndex {
  readonly search: unknown;
  readonly sentenceTerms: readonly (readonly string[])[];
  readonly documentFrequency: readonly [string, number][];
  readonly displayWord: readonly [string, string][];
  readonly surfaceWords: readonly [string, number][];
  readonly nameWords: readonly string[];
  readonly sentenceCount: number;
}

export function serializeIndex(index: SentenceIndex): SerializedIndex {
  return {
    search: index.search.toJSON(),
    sentenceTerms: index.sentenceTerms,
    documentFrequency: [...index.documentFrequency],
    displayWord: [...index.displayWord],
    surfaceWords: [...index.surfaceWords],
    nameWords: [...index.nameWords],
    sentenceCount: index.sentenceCount,
  };
}

/** Rebuilds an index from its serialized form; MiniSearch needs the same options it was built with. */
export function restoreIndex(data: SerializedIndex, pipeline: TermPipeline): SentenceIndex {
  const documentFrequency = new Map(data.documentFrequency);
  return {
    search: MiniSearch.loadJS(data.search as never, miniSearchOptions(pipeline)),
    sentenceTerms: data.sentenceTerms,
    documentFrequency,
    termTree: SearchableMap.from(documentFrequency),
    displayWord: new Map(data.displayWord),
    surfaceWords: SearchableMap.from(data.surfaceWords),
    nameWords: new Set(data.nameWords),
    sentenceCount: data.sentenceCount,
  };
}
