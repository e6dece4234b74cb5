/**
 * Every sentence's index terms, held once and compactly: each distinct term
 * gets a number, and the sentences' term streams (in order, repeats kept) are
 * one Uint32Array of those numbers with an offset per sentence. At 275k
 * sentences this is ~15 MB where arrays of strings per sentence were ~4×
 * that in small objects; the same arrays are what the snapshot saves.
 */
export interface SentenceTerms {
  /** Term number → term. */
  readonly terms: readonly string[];
  /** Term numbers of every sentence's stream, sentence after sentence. */
  readonly streams: Uint32Array;
  /** Where each sentence's stream starts in `streams`; one more entry than sentences. */
  readonly starts: Uint32Array;
}

/**
 * Term → number for a terms table, made on first use and kept while the table
 * lives. An extended table (extendTerms) shares its base's map, so adding an
 * article to 125k terms does not number them all again.
 */
const numberings = new WeakMap<readonly string[], Map<string, number>>();

export function termNumbers(terms: readonly string[]): ReadonlyMap<string, number> {
  return numberingOf(terms);
}

function numberingOf(terms: readonly string[]): Map<string, number> {
  let numbers = numberings.get(terms);
  if (numbers === undefined) {
    numbers = new Map(terms.map((term, number) => [term, number]));
    numberings.set(terms, numbers);
  }
  return numbers;
}

/**
 * Collects term streams sentence by sentence: sentence ids from 0, or from
 * the end of `base`, whose terms keep their numbers. With a base, only the new
 * part is collected; build() joins the two, and `base` is left as it was.
 */
export class SentenceTermsBuilder {
  private readonly known: ReadonlyMap<string, number>;
  private readonly added = new Map<string, number>();
  private readonly terms: string[] = [];
  private streams = new Uint32Array(1 << 12);
  private readonly starts: number[] = [0];
  private length = 0;

  constructor(private readonly base?: SentenceTerms) {
    this.known = base ? numberingOf(base.terms) : new Map();
  }

  /** The term's number, given on first sight. */
  numberOf(term: string): number {
    let number = this.known.get(term) ?? this.added.get(term);
    if (number === undefined) {
      number = (this.base?.terms.length ?? 0) + this.terms.length;
      this.added.set(term, number);
      this.terms.push(term);
    }
    return number;
  }

  /** Appends a term (by number) to the current sentence's stream. */
  push(number: number): void {
    if (this.length === this.streams.length) {
      const grown = new Uint32Array(this.streams.length * 2);
      grown.set(this.streams);
      this.streams = grown;
    }
    this.streams[this.length++] = number;
  }

  /** Ends the current sentence; the next push starts the next one. */
  endSentence(): void {
    this.starts.push(this.length);
  }

  build(): SentenceTerms {
    const { base } = this;
    if (!base) {
      return {
        terms: this.terms,
        streams: this.streams.slice(0, this.length),
        starts: Uint32Array.from(this.starts),
      };
    }
    const offset = base.streams.length;
    const streams = new Uint32Array(offset + this.length);
    streams.set(base.streams);
    streams.set(this.streams.subarray(0, this.length), offset);
    const starts = new Uint32Array(base.starts.length + this.starts.length - 1);
    starts.set(base.starts);
    for (let i = 1; i < this.starts.length; i++) {
      starts[base.starts.length - 1 + i] = offset + (this.starts[i] as number);
    }
    return { terms: [...base.terms, ...this.terms], streams, starts };
  }

  /**
   * Once the built table replaces the base for good (the base is not extended
   * again): its numbering is the base's plus the new terms, made by adding to
   * the base's map rather than numbering every term again.
   */
  adopt(built: SentenceTerms): void {
    if (!this.base) return;
    const numbers = numberingOf(this.base.terms);
    for (const [term, number] of this.added) numbers.set(term, number);
    numberings.set(built.terms, numbers);
  }
}

/** A sentence's terms in order, repeats kept (what BM25 counts). */
export function termStream({ terms, streams, starts }: SentenceTerms, id: number): string[] {
  const stream: string[] = [];
  for (let i = starts[id] ?? 0, end = starts[id + 1] ?? 0; i < end; i++) {
    stream.push(terms[streams[i] as number] as string);
  }
  return stream;
}

/** A sentence's distinct terms. */
export function distinctTerms(sentenceTerms: SentenceTerms, id: number): Set<string> {
  return new Set(termStream(sentenceTerms, id));
}
