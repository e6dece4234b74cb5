/**
 * A text's meaning as one vector: the average of its content words' vectors,
 * rarer words weighing more (smooth inverse frequency, as in Arora et al.'s
 * SIF sentence embeddings, with the frequency read from the word's rank in
 * the shipped vocabulary). Too weak to tell an answer from an off-topic
 * question on its own, it helps the ranker choose between candidates that
 * share no words with a paraphrase but say the same thing.
 */
import type { WordVectors } from '../index/word-vectors/word-vectors.ts';

/** The words' weighted average, unit length; undefined when none has a vector. */
export function meaningVector(
  words: Iterable<string>,
  vectors: WordVectors,
): Float32Array | undefined {
  const sum = new Float32Array(vectors.dimensions);
  const scale = Math.log(vectors.size + 10);
  let any = false;
  for (const word of words) {
    const row = vectors.vector(word);
    if (!row) continue;
    const weight = Math.log((vectors.rank(word) ?? vectors.size) + 10) / scale;
    for (let k = 0; k < row.length; k++) sum[k]! += weight * row[k]!;
    any = true;
  }
  if (!any) return undefined;
  let norm = 0;
  for (const v of sum) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm === 0) return undefined;
  for (let k = 0; k < sum.length; k++) sum[k]! /= norm;
  return sum;
}

/** Cosine of two unit vectors; 0 when either is missing. */
export function cosine(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b) return 0;
  let dot = 0;
  for (let k = 0; k < a.length; k++) dot += a[k]! * b[k]!;
  return dot;
}
