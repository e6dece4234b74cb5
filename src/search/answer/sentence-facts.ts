/**
 * What the answer features read from a sentence beyond its index terms: the
 * kinds of answer it holds (a date, a number, a person…) and its words in
 * order (for "is the number attached to what was asked about?" and "does it
 * name someone the question does not?"). Worked out on first use and kept
 * for the next question: a channel asks about the same sentences again and
 * again, and a corpus that is never asked costs nothing.
 */
import type { Sentence } from '../../knowledge/types.ts';
import type { TermPipeline } from '../index/terms.ts';
import { distinctTerms, termStream, type SentenceTerms } from '../index/sentence-terms.ts';
import type { WordVectors } from '../index/word-vectors/word-vectors.ts';
import { packedSignals } from './answer-type.ts';
import { meaningVector } from './meaning-vector.ts';
import { areNeighbours } from './candidates.ts';
import type { SentenceStructure } from '../read/structure.ts';
import { structureOf, type StructureStore } from '../read/structure-store.ts';

export interface SentenceWord {
  /** Lowercase, accent-free surface form. */
  readonly surface: string;
  /** Its index terms (none for a stop word). */
  readonly terms: readonly string[];
  /** Digits or a number word: "1000", "six", "thousands". */
  readonly isNumber: boolean;
  /** Written capitalised away from the sentence start. */
  readonly capitalised: boolean;
}

export interface SentenceFacts {
  /** Answer-kind strengths, packed (answer-type.ts: unpackStrength). */
  readonly signals: number;
  readonly words: readonly SentenceWord[];
  /** Its content words' meaning, as one unit vector (meaning-vector.ts). */
  readonly meaning: Float32Array | undefined;
  /** Its index terms, and those of its neighbours in the same article. */
  readonly own: ReadonlySet<string>;
  readonly around: ReadonlySet<string>;
  /** What its dates, numbers, ordinals and names are attached to (read at index time). */
  readonly structure: SentenceStructure;
  /** Each clause's index terms, with its subject's head (a relative clause's antecedent). */
  readonly clauseTerms: readonly ReadonlySet<string>[];
}

const NUMBER_WORD =
  /^(?:\d[\d.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?)$/i;

/** Sentences whose facts are kept at once; beyond it the oldest half is dropped. */
const CACHE_LIMIT = 10_000;

export function createSentenceFacts(
  sentences: readonly Sentence[],
  sentenceTerms: SentenceTerms,
  structures: StructureStore,
  pipeline: TermPipeline,
  vectors: WordVectors,
  /**
   * Facts already worked out for the same first sentences (over the index
   * this one extends by an article: sentences added after them change none
   * of their facts). Copied, so the earlier index can be let go.
   */
  earlier?: ReadonlyMap<number, SentenceFacts>,
): SentenceFactsLookup {
  /** The terms of the sentences before and after `id` in its article. */
  const neighbourTerms = (id: number): Set<string> => {
    const around = new Set<string>();
    for (const neighbour of [id - 1, id + 1]) {
      if (!areNeighbours(sentences, id, neighbour)) continue;
      for (const term of termStream(sentenceTerms, neighbour)) around.add(term);
    }
    return around;
  };
  const cache = new Map<number, SentenceFacts>(earlier);
  const lookup = (id: number) => {
    let facts = cache.get(id);
    if (facts) return facts;
    const text = sentences[id]?.text ?? '';
    const words = pipeline.tokenize(text).map((token, i) => ({
      surface: pipeline.surfaceForm(token),
      terms: pipeline.processTerm(token, 'document'),
      isNumber: NUMBER_WORD.test(token),
      capitalised: i > 0 && /^\p{Lu}/u.test(token),
    }));
    const structure = structureOf(structures, id);
    facts = {
      structure,
      clauseTerms: structure.clauses.map((clause) => {
        const terms = new Set(pipeline.terms(text.slice(clause.start, clause.end), 'document'));
        if (clause.subject?.head !== undefined) terms.add(clause.subject.head);
        return terms;
      }),
      signals: packedSignals(text),
      words,
      meaning: meaningVector(
        words.filter((word) => word.terms.length > 0).map((word) => word.surface),
        vectors,
      ),
      own: distinctTerms(sentenceTerms, id),
      around: neighbourTerms(id),
    };
    if (cache.size >= CACHE_LIMIT) {
      for (const key of [...cache.keys()].slice(0, CACHE_LIMIT / 2)) cache.delete(key);
    }
    cache.set(id, facts);
    return facts;
  };
  return Object.assign(lookup, { known: cache });
}

/** A sentence's facts, worked out on first use; `known` holds those worked out so far. */
export type SentenceFactsLookup = ((id: number) => SentenceFacts) & {
  readonly known: ReadonlyMap<number, SentenceFacts>;
};
