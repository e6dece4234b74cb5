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
 * Collects term streams sentence by sentence (sentence ids must come in order
 * from 0, or from the end of `base`, whose terms keep their numbers).
 */
export class SentenceTermsBuilder {
  private readonly numbers: Map<string, number>;
  private readonly terms: string[];
  private streams: Uint32Array;
  private readonly starts: number[];
  private length: number;

  constructor(base?: SentenceTerms) {
    this.terms = base ? [...base.terms] : [];
    this.numbers = new Map(this.terms.map((term, number) => [term, number]));
    this.length = base?.streams.length ?? 0;
    this.streams = new Uint32Array(this.length + (1 << 16));
    if (base) this.streams.set(base.streams);
    this.starts = base ? Array.from(base.starts) : [0];
  }

  /** The term's number, given on first sight. */
  numberOf(term: string): number {
    let number = this.numbers.get(term);
    if (number === undefined) {
      number = this.terms.length;
      this.numbers.set(term, number);
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
    return {
      terms: this.terms,
      streams: this.streams.slice(0, this.length),
      starts: Uint32Array.from(this.starts),
    };
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
