/**
 * Which feed items the knowledge takes: those matching the feed's words, or
 * — for a feed followed without words — those the engine itself finds to be
 * about what the articles cover.
 *
 * The topic test asks the engine each of a sample of the new article's
 * sentences as a question. The engine abstains on questions the articles do
 * not cover (calibrated on labelled questions, tested on off-topic ones), so
 * the share of sentences it can answer says how much of the article is on the
 * knowledge's topic. Measured with `npm run eval:topic`: each of the five
 * knowledge articles, left out of the index and judged against the others,
 * scores 0.44–0.79; ten Wikipedia articles (SQuAD) score 0–0.06.
 */
import type { Engine } from '../engine/engine.ts';
import type { TermPipeline } from '../search/index/terms.ts';

/** Share of sampled sentences the engine must answer for an article to be on topic. */
export const ON_TOPIC_SHARE = 0.25;
/** Sentences asked per article: enough to judge, cheap (about a millisecond each). */
const TOPIC_SAMPLE = 16;

/** The index terms of a text (any word form: talks/talk, Kyiv/Kiev through the vocabulary). */
const termsOf = (pipeline: TermPipeline, text: string) => new Set(pipeline.terms(text, 'document'));

/** Whether every word of `words` appears in one of `texts`, in any form the index joins. */
export function matchesWords(
  pipeline: TermPipeline,
  words: string,
  texts: readonly string[],
): boolean {
  const wanted = termsOf(pipeline, words);
  if (wanted.size === 0) return true;
  const found = new Set<string>();
  for (const text of texts) for (const term of termsOf(pipeline, text)) found.add(term);
  return [...wanted].every((term) => found.has(term));
}

/** Up to `count` sentences spread evenly over the article (not just its opening). */
function sample(sentences: readonly string[], count: number): string[] {
  if (sentences.length <= count) return [...sentences];
  const step = sentences.length / count;
  return Array.from({ length: count }, (_, i) => sentences[Math.floor(i * step)]!);
}

/** The share (0–1) of the article's sampled sentences the current articles answer. */
export function topicShare(engine: Engine, sentences: readonly string[]): number {
  const asked = sample(sentences, TOPIC_SAMPLE);
  if (asked.length === 0) return 0;
  const answered = asked.filter((sentence) => engine.answer(sentence).answered).length;
  return answered / asked.length;
}

export function isOnTopic(engine: Engine, sentences: readonly string[]): boolean {
  return topicShare(engine, sentences) >= ON_TOPIC_SHARE;
}
