/**
 * The engine: a loaded knowledge base behind three questions — answer this,
 * complete this, and what do you know. Nothing here knows about Discord.
 */
import type { Article, KnowledgeProblem, Sentence } from '../knowledge/types.ts';
import { normalizeForComparison } from '../knowledge/clean.ts';
import { sentencesOf, withoutBodies, type EngineKnowledge } from '../knowledge/load.ts';
import { citationOf, createAnswerer, type AnswerRequest } from '../search/answer/answer.ts';
import {
  learnFrom,
  questionKey,
  type Confirmation,
  type Learned,
} from '../search/answer/learned.ts';
import { analyseQuestion } from '../search/answer/question.ts';
import { extendIndex, type SentenceIndex } from '../search/index/sentence-index.ts';
import { answerOptions, type AnswerOptions } from '../search/answer/options.ts';
import { rankerModel } from '../search/answer/ranker.ts';
import { buildSearchContext, type SearchContext } from '../search/index/search-context.ts';
import {
  createSuggester,
  MAX_SUGGESTION_LENGTH,
  type Suggestion,
} from '../search/suggest/suggest.ts';
import { clip } from '../render/clip.ts';
import { createAnswerCache } from './answer-cache.ts';
import type { TimelineEvent } from '../search/timeline/timeline.ts';
import type { Answer, AnswerItem, ArticleSummary } from '../search/types.ts';

export interface Engine {
  /**
   * The best sentences for a question, or an honest "not in the articles".
   * `request` overrides the engine's answer options for this call ({ limit: 5 })
   * and brings the asker's community's confirmed answers (`learn`).
   */
  answer(question: string, request?: AnswerRequest): Answer;
  /**
   * A community's confirmations, analysed once for every later answer; a
   * confirmation whose sentence the articles no longer hold is kept but
   * unused (stale).
   */
  learn(confirmations: readonly Confirmation[]): Learned;
  /** Whether the articles hold a sentence with this key (a confirmation is stale when not). */
  hasSentence(key: string): boolean;
  /**
   * The sentences that contain `quote` (case, accents and punctuation aside),
   * at most `limit`: how a moderator names a sentence by quoting it.
   */
  sentencesQuoting(quote: string, limit?: number): AnswerItem[];
  /**
   * Autocomplete choices for a partly typed question (≤ 25, names and values
   * 1–100 characters): the typed text, previews of the best sentences (their
   * value is the sentence key), word completions, titles.
   */
  suggest(partial: string, limit?: number, options?: { previews?: boolean }): Suggestion[];
  /**
   * The answer when the member picked a previewed sentence: that sentence
   * first (with its copies and sources), then the rest as for its own text.
   * Undefined when the key no longer exists (the knowledge changed).
   */
  answerSentence(key: string, options?: Partial<AnswerOptions>): Answer | undefined;
  /** The sentences behind answer keys (e.g. from a button), with sources and context. */
  explain(keys: readonly string[]): AnswerItem[];
  /** The dated events in the articles, in date order, each cited (computed on first use). */
  timeline(): Promise<readonly TimelineEvent[]>;
  readonly articles: readonly ArticleSummary[];
  readonly problems: readonly KnowledgeProblem[];
  readonly sentenceCount: number;
  /**
   * The article holding a sentence with the same wording (case, accents and
   * punctuation aside), if any: how an imported article's copies are found.
   */
  articleWithSentence(text: string): string | undefined;
  /**
   * A question as the engine reads it (case, punctuation, stop words and word
   * endings folded away): near-identical questions share it.
   */
  questionKey(question: string): string;
  /** The sentence index, for the on-disk cache. */
  readonly index: SentenceIndex;
  /** What the engine was made from (article bodies dropped), for the on-disk cache. */
  readonly knowledge: EngineKnowledge;
  /**
   * This engine with one more article, in milliseconds: the article's
   * sentences are analysed and added to the index instead of rebuilding it.
   * The index is extended in place, so this engine must not answer again:
   * swap the returned one in at once. Throws, changing nothing, when the
   * article has no sentences to answer from or its id is already indexed.
   */
  withArticle(article: Article): Engine;
}

export function createEngine(
  loaded: EngineKnowledge,
  options: Partial<AnswerOptions> = {},
  /** An index restored from the cache, built from exactly this knowledge. */
  prebuilt?: SentenceIndex,
  /** The context over the index `prebuilt` extends by an article (withArticle). */
  earlier?: SearchContext,
): Engine {
  const tuning = answerOptions(options);
  const knowledge = { ...loaded, articles: withoutBodies(loaded.articles) };
  const context = buildSearchContext(knowledge, tuning, prebuilt, earlier);
  const { index } = context;
  const { answer, explainSentence } = createAnswerer(context, tuning, rankerModel());
  const suggest = createSuggester(
    index,
    knowledge.sentences,
    knowledge.articles.map((a) => a.title),
    knowledge.pipeline,
    tuning,
  );

  /** Sentence key → sentence, for buttons and picked previews; made on first use (a restart need not wait for it). */
  let byKey: Map<string, Sentence> | undefined;
  const sentenceWithKey = (key: string) =>
    (byKey ??= new Map(knowledge.sentences.map((s) => [s.key, s]))).get(key);
  const counts = new Map<string, number>();
  for (const s of knowledge.sentences) counts.set(s.articleId, (counts.get(s.articleId) ?? 0) + 1);

  let owners: Map<string, string> | undefined;

  let timeline: Promise<readonly TimelineEvent[]> | undefined;

  const cached = createAnswerCache(tuning.answerCache);
  return {
    answer: (question, request = {}) => {
      const { learned, ...overrides } = request;
      return cached(question, overrides, learned, () => answer(question, request));
    },
    learn: (confirmations) =>
      learnFrom(confirmations, context, tuning, (key) => sentenceWithKey(key)?.id),
    hasSentence: (key) => sentenceWithKey(key) !== undefined,
    sentencesQuoting(quote, limit = 10) {
      const wanted = normalizeForComparison(quote);
      if (wanted.length === 0) return [];
      const found: AnswerItem[] = [];
      for (const sentence of knowledge.sentences) {
        if (!normalizeForComparison(sentence.text).includes(wanted)) continue;
        const item = explainSentence(sentence.id);
        // Copies of one sentence in several articles are one sentence, citing them all.
        if (item && !found.some((f) => f.text === item.text)) found.push(item);
        if (found.length >= limit) break;
      }
      return found;
    },
    suggest,
    timeline() {
      // Date parsing (chrono-node) is slow to load and to run; only /timeline needs it.
      timeline ??= import('../search/timeline/timeline.ts').then(({ extractTimeline }) =>
        extractTimeline(
          knowledge.sentences,
          context.articles,
          (text) => new Set(knowledge.pipeline.terms(text, 'document')),
        ),
      );
      return timeline;
    },
    explain(keys) {
      return keys.flatMap((key) => {
        const sentence = sentenceWithKey(key);
        const item = sentence && explainSentence(sentence.id);
        return item ? [item] : [];
      });
    },
    answerSentence(key, options) {
      const sentence = sentenceWithKey(key);
      const chosen = sentence && explainSentence(sentence.id);
      if (!sentence || !chosen) return undefined;
      const limit = options?.limit ?? tuning.limit;
      const related = answer(sentence.text, options);
      const others = related.answered
        ? related.answers.filter((item) => item.key !== key && item.text !== chosen.text)
        : [];
      return {
        // The member picked this sentence: it is the answer they chose to see.
        question: clip(sentence.text, MAX_SUGGESTION_LENGTH),
        answered: true,
        confidence: 1,
        answers: [chosen, ...others].slice(0, limit),
      };
    },
    articles: knowledge.articles.map((article) => ({
      ...citationOf(article),
      file: article.file,
      sentenceCount: counts.get(article.id) ?? 0,
    })),
    articleWithSentence(text) {
      owners ??= new Map(
        knowledge.sentences.map((s) => [normalizeForComparison(s.text), s.articleId]),
      );
      return owners.get(normalizeForComparison(text));
    },
    questionKey: (question) =>
      questionKey(analyseQuestion(question.slice(0, tuning.maxQuestionLength), context, tuning)),
    problems: knowledge.problems,
    sentenceCount: knowledge.sentences.length,
    index,
    knowledge,
    withArticle(article) {
      const { pipeline } = knowledge;
      const sentences = sentencesOf(article, pipeline, knowledge.sentences.length);
      if (sentences.length === 0) throw new Error(`${article.file} has no complete sentences`);
      const extended = extendIndex(
        index,
        sentences,
        { id: article.id, terms: pipeline.terms(article.title, 'document') },
        pipeline,
      );
      // Articles in file order, as a full load lists them; their sentences keep their ids.
      const articles = [...knowledge.articles, article].sort((a, b) =>
        a.file < b.file ? -1 : a.file > b.file ? 1 : 0,
      );
      return createEngine(
        { ...knowledge, articles, sentences: [...knowledge.sentences, ...sentences] },
        tuning,
        extended,
        context,
      );
    },
  };
}
