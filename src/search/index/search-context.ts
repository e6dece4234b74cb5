/**
 * What every answering stage reads: the index, the sentences and articles it
 * was built from, the term pipeline and the semantic matcher. Built once per
 * engine; nothing in it changes while answering.
 */
import type { ArticleInfo, Sentence } from '../../knowledge/types.ts';
import type { EngineKnowledge } from '../../knowledge/load.ts';
import { buildSentenceIndex, type SentenceIndex } from './sentence-index.ts';
import type { AnswerOptions } from '../answer/options.ts';
import { createSentenceFacts, type SentenceFacts } from '../answer/sentence-facts.ts';
import { meaningOfCounts } from '../answer/meaning-vector.ts';
import { createSemanticMatcher, wordVectors, type SemanticMatcher } from './semantic.ts';
import type { TermPipeline } from './terms.ts';

export interface SearchContext {
  readonly index: SentenceIndex;
  readonly sentences: readonly Sentence[];
  readonly articles: ReadonlyMap<string, ArticleInfo>;
  readonly pipeline: TermPipeline;
  readonly semantic: SemanticMatcher;
  /** A sentence's answer kinds and words in order, worked out on first use. */
  readonly facts: (sentenceId: number) => SentenceFacts;
  /**
   * What the articles are about, as one meaning vector of all their content
   * words (worked out on first use): how far a question is from it tells
   * "best kebab places" from a question about the talks.
   */
  readonly corpusMeaning: () => Float32Array | undefined;
}

/** The context over a built index, with the semantic matcher the options ask for. */
export function createSearchContext(
  parts: Pick<SearchContext, 'index' | 'sentences' | 'articles' | 'pipeline'>,
  options: AnswerOptions,
): SearchContext {
  const vectors = wordVectors();
  let corpusMeaning: { vector: Float32Array | undefined } | undefined;
  const contentWords = function* () {
    for (const [word, count] of parts.index.surfaceWords) {
      if (parts.pipeline.processTerm(word, 'document').length > 0) yield [word, count] as const;
    }
  };
  return {
    ...parts,
    semantic: createSemanticMatcher(parts.index, parts.pipeline, options.semantic),
    facts: createSentenceFacts(parts.sentences, parts.pipeline, vectors),
    corpusMeaning: () =>
      (corpusMeaning ??= { vector: meaningOfCounts(contentWords(), vectors) }).vector,
  };
}

/** Builds the index over a knowledge base (or takes a restored one) and the context over it. */
export function buildSearchContext(
  knowledge: EngineKnowledge,
  options: AnswerOptions,
  prebuilt?: SentenceIndex,
): SearchContext {
  const articles = new Map<string, ArticleInfo>(knowledge.articles.map((a) => [a.id, a]));
  const index =
    prebuilt ?? buildSentenceIndex(knowledge.sentences, knowledge.articles, knowledge.pipeline);
  return createSearchContext(
    { index, sentences: knowledge.sentences, articles, pipeline: knowledge.pipeline },
    options,
  );
}
