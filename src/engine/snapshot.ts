/**
 * An engine as bytes: everything `createEngine` needs to start answering
 * without re-reading the articles or analysing their text again. The index
 * cache writes a snapshot to disk; a build worker hands one back to the main
 * thread. Restoring reassembles the index from the saved term numbers (see
 * assembleIndex), which at 10,000 articles is a fraction of a build.
 *
 * Layout: an 8-byte magic, the format number, a JSON header (fingerprint,
 * article metadata, problems, section table, checksum of the sections), then
 * the sections — Uint32 arrays and NUL-separated UTF-8 text — each 4-byte
 * aligned. NUL cannot occur in the text: the loader refuses files holding it.
 */
import { crc32 } from 'node:zlib';
import type { ArticleInfo, KnowledgeProblem, Sentence } from '../knowledge/types.ts';
import type { Vocabulary } from '../knowledge/vocabulary.ts';
import { assembleIndex, type AnalysedSentences } from '../search/index/sentence-index.ts';
import type { AnswerOptions } from '../search/answer/options.ts';
import { createTermPipeline } from '../search/index/terms.ts';
import { WordCounts } from '../search/index/word-counts.ts';
import { createEngine, type Engine } from './engine.ts';
import { withoutBodies, type EngineKnowledge } from '../knowledge/load.ts';

/** Bumped whenever the layout changes: an older snapshot is stale, never misread. */
export const SNAPSHOT_FORMAT = 6;
const MAGIC = Buffer.from('TALKSIDX');
const SEPARATOR = '\0';

/** A snapshot that cannot be read: truncated, garbled, or missing parts. */
export class DamagedSnapshotError extends Error {
  override readonly name = 'DamagedSnapshotError';
}

type SectionName =
  | 'sentenceText'
  | 'sentenceKey'
  | 'sentenceArticle'
  | 'sentenceParagraph'
  | 'sentenceCaption'
  | 'terms'
  | 'displayWords'
  | 'termStreams'
  | 'termStarts'
  | 'surfaceWords'
  | 'surfaceCounts'
  | 'capitalisedWords'
  | 'capitalisedCounts'
  | 'lowercaseWords'
  | 'lowercaseCounts'
  | 'titleTerms'
  | 'structureWords'
  | 'structureRecords'
  | 'structureStarts';

interface Section {
  readonly name: SectionName;
  readonly kind: 'u32' | 'text';
  readonly offset: number;
  readonly bytes: number;
}

interface Header {
  readonly fingerprint: string;
  readonly articles: readonly ArticleInfo[];
  readonly problems: readonly KnowledgeProblem[];
  readonly sections: readonly Section[];
  /** CRC-32 of every byte after the header: a flipped bit is a damaged snapshot, not a wrong answer. */
  readonly checksum: string;
}

const align = (n: number) => (n + 3) & ~3;

function largest(values: Uint32Array): number {
  let max = -1;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** CRC-32 of the sections (zlib's, as the word vectors file uses): twice as fast as SHA-1 here. */
const checksum = (bytes: Uint8Array) => crc32(bytes).toString(16);

function joined(texts: readonly string[], what: string): Buffer {
  const text = texts.join(SEPARATOR);
  if (texts.some((t) => t.includes(SEPARATOR))) {
    throw new Error(`cannot snapshot ${what}: it contains a NUL character`);
  }
  return Buffer.from(text, 'utf8');
}

function u32(values: Uint32Array | readonly number[]): Buffer {
  const array = values instanceof Uint32Array ? values : Uint32Array.from(values);
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

export function encodeSnapshot(
  fingerprint: string,
  knowledge: EngineKnowledge,
  engine: Engine,
): Uint8Array {
  const { sentences } = knowledge;
  const { index } = engine;
  const articles = withoutBodies(knowledge.articles);
  const articleNumber = new Map(articles.map((article, i) => [article.id, i]));
  const { terms, streams, starts } = index.sentenceTerms;

  const parts: [SectionName, 'u32' | 'text', Buffer][] = [
    [
      'sentenceText',
      'text',
      joined(
        sentences.map((s) => s.text),
        'a sentence',
      ),
    ],
    [
      'sentenceKey',
      'text',
      joined(
        sentences.map((s) => s.key),
        'a key',
      ),
    ],
    ['sentenceArticle', 'u32', u32(sentences.map((s) => articleNumber.get(s.articleId) ?? 0))],
    ['sentenceParagraph', 'u32', u32(sentences.map((s) => s.paragraph))],
    ['sentenceCaption', 'u32', u32(sentences.map((s) => (s.caption ? 1 : 0)))],
    ['terms', 'text', joined(terms, 'a term')],
    ['displayWords', 'text', joined(index.displayWords, 'a word')],
    ['termStreams', 'u32', u32(streams)],
    ['termStarts', 'u32', u32(starts)],
    ['surfaceWords', 'text', joined(index.surfaceWords.sortedWords(), 'a word')],
    ['surfaceCounts', 'u32', u32(index.surfaceWords.sortedCounts())],
    ['capitalisedWords', 'text', joined(index.casing.capitalised.sortedWords(), 'a word')],
    ['capitalisedCounts', 'u32', u32(index.casing.capitalised.sortedCounts())],
    ['lowercaseWords', 'text', joined(index.casing.lowercase.sortedWords(), 'a word')],
    ['lowercaseCounts', 'u32', u32(index.casing.lowercase.sortedCounts())],
    [
      'titleTerms',
      'text',
      joined(
        index.headlines.map(({ terms }) => terms.join(' ')),
        'a title',
      ),
    ],
    ['structureWords', 'text', joined(index.structures.words, 'a structure word')],
    ['structureRecords', 'u32', u32(index.structures.records)],
    ['structureStarts', 'u32', u32(index.structures.starts)],
  ];
  const sections: Section[] = [];
  let offset = 0;
  for (const [name, kind, bytes] of parts) {
    sections.push({ name, kind, offset, bytes: bytes.byteLength });
    offset = align(offset + bytes.byteLength);
  }
  const body = Buffer.alloc(offset);
  parts.forEach(([, , bytes], i) => bytes.copy(body, sections[i]!.offset));
  const header: Header = {
    fingerprint,
    articles,
    problems: knowledge.problems,
    sections,
    checksum: checksum(body),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const preamble = Buffer.alloc(MAGIC.length + 8);
  MAGIC.copy(preamble);
  preamble.writeUInt32LE(SNAPSHOT_FORMAT, MAGIC.length);
  preamble.writeUInt32LE(headerBytes.byteLength, MAGIC.length + 4);
  const padding = Buffer.alloc(
    align(preamble.length + headerBytes.length) - preamble.length - headerBytes.length,
  );
  return Buffer.concat([preamble, headerBytes, padding, body]);
}

/**
 * Why a readable snapshot cannot be used: written by another snapshot format
 * (another version of the bot), or from other knowledge, settings or engine code.
 */
export type StaleSnapshot = 'other-format' | 'other-fingerprint';

function readHeader(
  bytes: Buffer,
  fingerprint: string,
): { header: Header; body: Buffer } | StaleSnapshot {
  if (bytes.length < MAGIC.length + 8 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new DamagedSnapshotError('not an index snapshot (wrong magic bytes)');
  }
  if (bytes.readUInt32LE(MAGIC.length) !== SNAPSHOT_FORMAT) return 'other-format';
  const headerLength = bytes.readUInt32LE(MAGIC.length + 4);
  const headerEnd = MAGIC.length + 8 + headerLength;
  if (headerEnd > bytes.length) throw new DamagedSnapshotError('the snapshot is truncated');
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 8, headerEnd)) as Header;
  } catch (error) {
    throw new DamagedSnapshotError('the snapshot header is not readable', { cause: error });
  }
  if (header?.fingerprint !== fingerprint) return 'other-fingerprint';
  const body = bytes.subarray(align(headerEnd));
  if (
    !Array.isArray(header.articles) ||
    !Array.isArray(header.sections) ||
    checksum(body) !== header.checksum
  ) {
    throw new DamagedSnapshotError('the snapshot is damaged (checksum mismatch)');
  }
  return { header, body };
}

function sectionReader(header: Header, body: Buffer) {
  const find = (name: SectionName, kind: Section['kind']) => {
    const section = header.sections.find((s) => s.name === name && s.kind === kind);
    if (!section || section.offset + section.bytes > body.length) {
      throw new DamagedSnapshotError(`the snapshot has no readable ${name} section`);
    }
    return section;
  };
  return {
    text(name: SectionName): string[] {
      const { offset, bytes } = find(name, 'text');
      return bytes === 0 ? [] : body.toString('utf8', offset, offset + bytes).split(SEPARATOR);
    },
    u32(name: SectionName): Uint32Array {
      const { offset, bytes } = find(name, 'u32');
      // A copy, so the file's buffer can be released and the array is aligned.
      return new Uint32Array(
        body.buffer.slice(body.byteOffset + offset, body.byteOffset + offset + bytes),
      );
    },
  };
}

/**
 * The engine in a snapshot, or why the snapshot is stale (see StaleSnapshot).
 * Throws DamagedSnapshotError when the bytes cannot be read.
 */
export function decodeSnapshot(
  bytes: Uint8Array,
  expected: {
    readonly fingerprint: string;
    readonly vocabulary: Vocabulary;
    readonly options: AnswerOptions;
  },
): Engine | StaleSnapshot {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = readHeader(buffer, expected.fingerprint);
  if (typeof read === 'string') return read;
  const { header, body } = read;
  const section = sectionReader(header, body);

  const texts = section.text('sentenceText');
  const keys = section.text('sentenceKey');
  const articleNumbers = section.u32('sentenceArticle');
  const paragraphs = section.u32('sentenceParagraph');
  const captions = section.u32('sentenceCaption');
  const terms = section.text('terms');
  const displayWords = section.text('displayWords');
  const streams = section.u32('termStreams');
  const starts = section.u32('termStarts');
  const surfaceWords = section.text('surfaceWords');
  const surfaceCounts = section.u32('surfaceCounts');
  const titleTerms = section.text('titleTerms');
  const structures = {
    words: section.text('structureWords'),
    records: section.u32('structureRecords'),
    starts: section.u32('structureStarts'),
  };
  const { articles } = header;
  const count = texts.length;
  if (
    keys.length !== count ||
    articleNumbers.length !== count ||
    paragraphs.length !== count ||
    captions.length !== count ||
    starts.length !== count + 1 ||
    starts[count] !== streams.length ||
    structures.starts.length !== count + 1 ||
    structures.starts[count] !== structures.records.length ||
    displayWords.length !== terms.length ||
    surfaceCounts.length !== surfaceWords.length ||
    titleTerms.length !== header.articles.length ||
    largest(streams) >= terms.length ||
    largest(articleNumbers) >= articles.length
  ) {
    throw new DamagedSnapshotError('the snapshot sections do not agree with each other');
  }

  const sentences: Sentence[] = texts.map((text, id) => {
    const article = articleNumbers[id] as number;
    // Neighbours are the sentences around it in the same article, as the loader links them.
    const sentence: { -readonly [K in keyof Sentence]: Sentence[K] } = {
      id,
      key: keys[id] as string,
      articleId: articles[article]!.id,
      paragraph: paragraphs[id] as number,
      text,
    };
    // Captions stand alone: no neighbours, and nobody's neighbour.
    if (captions[id] === 1) {
      sentence.caption = true;
      return sentence;
    }
    if (articleNumbers[id - 1] === article && captions[id - 1] !== 1) {
      sentence.previous = texts[id - 1];
    }
    if (articleNumbers[id + 1] === article && captions[id + 1] !== 1) {
      sentence.next = texts[id + 1];
    }
    return sentence;
  });
  const analysed: AnalysedSentences = {
    sentenceTerms: { terms, streams, starts },
    structures,
    displayWords,
    surfaceWords: WordCounts.fromSorted(surfaceWords, surfaceCounts),
    casing: {
      capitalised: WordCounts.fromSorted(
        section.text('capitalisedWords'),
        section.u32('capitalisedCounts'),
      ),
      lowercase: WordCounts.fromSorted(
        section.text('lowercaseWords'),
        section.u32('lowercaseCounts'),
      ),
    },
  };
  const pipeline = createTermPipeline(expected.vocabulary);
  const knowledge: EngineKnowledge = { articles, sentences, problems: header.problems, pipeline };
  const titles = articles.map(({ id }, i) => ({
    id,
    terms: (titleTerms[i] as string).split(' ').filter((term) => term.length > 0),
  }));
  return createEngine(knowledge, expected.options, assembleIndex(analysed, titles));
}
