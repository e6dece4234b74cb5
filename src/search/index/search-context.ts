/**
 * What every answering stage reads: the index, the sentences and articles it
 * was built from, the term pipeline and the semantic matcher. Built once per
 * engine; nothing in it changes while answering.
 */
import type { ArticleInfo, Sentence } from '../../knowledge/types.ts';
import type { EngineKnowledge } from '../../knowledge/load.ts';
import { buildSentenceIndex, type SentenceIndex } from './sentence-index.ts';
import type { AnswerOptions } from '../answer/options.ts';
import { createSentenceFacts, type SentenceFactsLookup } from '../answer/sentence-facts.ts';
import { createSemanticMatcher, wordVectors, type SemanticMatcher } from './semantic.ts';
import type { TermPipeline } from './terms.ts';

export interface SearchContext {
  readonly index: SentenceIndex;
  readonly sentences: readonly Sentence[];
  readonly articles: ReadonlyMap<string, ArticleInfo>;
  readonly pipeline: TermPipeline;
  readonly semantic: SemanticMatcher;
  /** A sentence's answer kinds and words in order, worked out on first use. */
  readonly facts: SentenceFactsLookup;
}

/**
 * The context over a built index, with the semantic matcher the options ask
 * for. `earlier` is the context over the index this one extends, if it does:
 * what was worked out there for the same sentences and words is reused.
 */
export function createSearchContext(
  parts: Pick<SearchContext, 'index' | 'sentences' | 'articles' | 'pipeline'>,
  options: AnswerOptions,
  earlier?: SearchContext,
): SearchContext {
  return {
    ...parts,
    semantic: createSemanticMatcher(
      parts.index,
      parts.pipeline,
      options.semantic,
      wordVectors(),
      earlier?.semantic.preparedWords(),
    ),
    facts: createSentenceFacts(
      parts.sentences,
      parts.index.sentenceTerms,
      parts.index.structures,
      parts.pipeline,
      wordVectors(),
      earlier?.facts.known,
    ),
  };
}

/** Builds the index over a knowledge base (or takes a restored one) and the context over it. */
export function buildSearchContext(
  knowledge: EngineKnowledge,
  options: AnswerOptions,
  prebuilt?: SentenceIndex,
  earlier?: SearchContext,
): SearchContext {
  const articles = new Map<string, ArticleInfo>(knowledge.articles.map((a) => [a.id, a]));
  const index =
    prebuilt ?? buildSentenceIndex(knowledge.sentences, knowledge.articles, knowledge.pipeline);
  return createSearchContext(
    { index, sentences: knowledge.sentences, articles, pipeline: knowledge.pipeline },
    options,
    earlier,
  );
}
