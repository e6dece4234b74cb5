/**
 * An engine as bytes: everything `createEngine` needs to start answering
 * without re-reading the articles or rebuilding the index. The index cache
 * writes a snapshot to disk; a build worker hands one back to the main thread.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Article, KnowledgeProblem, Sentence } from '../knowledge/types.ts';
import type { Vocabulary } from '../knowledge/vocabulary.ts';
import type { AnswerOptions } from '../search/options.ts';
import { restoreIndex, serializeIndex, type SerializedIndex } from '../search/index.ts';
import { createTermPipeline } from '../search/terms.ts';
import { createEngine, type Engine } from './engine.ts';

/** Bumped whenever the snapshot layout changes: an older snapshot is stale, never misread. */
export const SNAPSHOT_FORMAT = 2;

/** A snapshot that cannot be read: truncated, garbled, or missing parts. */
export class DamagedSnapshotError extends Error {
  override readonly name = 'DamagedSnapshotError';
}

interface SnapshotContent {
  readonly format: number;
  readonly fingerprint: string;
  readonly articles: readonly Article[];
  readonly sentences: readonly Sentence[];
  readonly problems: readonly KnowledgeProblem[];
  readonly index: SerializedIndex;
}

export function encodeSnapshot(
  fingerprint: string,
  knowledge: KnowledgeBase,
  engine: Engine,
): Uint8Array {
  const content: SnapshotContent = {
    format: SNAPSHOT_FORMAT,
    fingerprint,
    articles: knowledge.articles,
    sentences: knowledge.sentences,
    problems: knowledge.problems,
    index: serializeIndex(engine.index),
  };
  return Buffer.from(JSON.stringify(content));
}

/**
 * The engine in a snapshot, or 'stale' when it was made from other knowledge,
 * settings or engine code (`fingerprint`) or by another snapshot format.
 * Throws DamagedSnapshotError when the bytes cannot be read.
 */
export function decodeSnapshot(
  bytes: Uint8Array,
  expected: {
    readonly fingerprint: string;
    readonly vocabulary: Vocabulary;
    readonly options: AnswerOptions;
  },
): Engine | 'stale' {
  let content: SnapshotContent;
  try {
    content = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
    );
  } catch (error) {
    throw new DamagedSnapshotError('the snapshot is not readable', { cause: error });
  }
  if (content?.format !== SNAPSHOT_FORMAT || content.fingerprint !== expected.fingerprint)
    return 'stale';
  if (!Array.isArray(content.sentences) || !Array.isArray(content.articles) || !content.index) {
    throw new DamagedSnapshotError('the snapshot is missing parts');
  }
  try {
    const pipeline = createTermPipeline(expected.vocabulary);
    const knowledge = { ...content, vocabulary: expected.vocabulary, pipeline };
    return createEngine(knowledge, expected.options, restoreIndex(content.index, pipeline));
  } catch (error) {
    throw new DamagedSnapshotError('the snapshot could not be restored', { cause: error });
  }
}
