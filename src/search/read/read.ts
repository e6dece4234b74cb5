/**
 * The reading stage, between the knowledge loader and the index: each
 * sentence's structure (structure.ts) from its tags (tagger.ts), with the
 * corpus vocabulary's sides and events (lexicon.ts). Run once per sentence
 * when the index is built; questions are read the same way when asked.
 */
import type { Sentence } from '../../knowledge/types.ts';
import type { TermPipeline } from '../index/terms.ts';
import { lexiconOf } from './lexicon.ts';
import { readStructure, type SentenceStructure } from './structure.ts';
import { StructureStoreBuilder, type StructureStore } from './structure-store.ts';
import { tagSentence } from './tagger.ts';

export function readSentence(text: string, pipeline: TermPipeline): SentenceStructure {
  return readStructure(tagSentence(text), lexiconOf(pipeline));
}

/** Every sentence's structure, appended to `earlier` when the index is being extended. */
export function readSentences(
  sentences: readonly Sentence[],
  pipeline: TermPipeline,
  earlier?: StructureStore,
): StructureStore {
  const builder = new StructureStoreBuilder(earlier);
  for (const sentence of sentences) builder.add(readSentence(sentence.text, pipeline));
  return builder.build();
}
