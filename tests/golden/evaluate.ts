/**
 * Scores the engine on the golden question set: hit@1, hit@3, MRR, and how
 * often it abstains on questions the articles do (not) answer.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Engine } from '../../src/engine/engine.ts';
import type { KnowledgeBase } from '../../src/knowledge/load.ts';
import { foldText } from '../../src/search/terms.ts';

const goldenSchema = z.object({
  answerable: z.array(
    z.object({ q: z.string().min(1), accept: z.array(z.array(z.string().min(1)).min(1)).min(1) }),
  ),
  offTopic: z.array(z.string().min(1)),
});
export type GoldenSet = z.infer<typeof goldenSchema>;

export const GOLDEN_FILE = new URL('./questions.yaml', import.meta.url);

export function loadGoldenSet(file: URL | string = GOLDEN_FILE): GoldenSet {
  return goldenSchema.parse(parseYaml(readFileSync(file, 'utf8')));
}

const fold = (text: string) => foldText(text).toLowerCase();

/** A sentence answers when it contains every fact of at least one accepted set. */
export function containsFacts(sentence: string, accept: readonly (readonly string[])[]): boolean {
  const text = fold(sentence);
  return accept.some((facts) => facts.every((fact) => text.includes(fold(fact))));
}

/**
 * Questions split by how much wording they share with their answer. "Direct"
 * questions share at least half of their content words (IDF-weighted, after
 * folding, vocabulary aliases and stemming, but before synonyms and spelling
 * correction) with some accepted sentence; the rest are free paraphrases
 * ("how did they sneak the drones in" for "the smuggling of 117 drones").
 * A word-matching engine is held to the floors on direct questions and
 * measured, openly, on paraphrases.
 */
export const DIRECT_OVERLAP = 0.5;

export function splitByOverlap(
  golden: GoldenSet,
  knowledge: KnowledgeBase,
): { direct: GoldenSet['answerable']; paraphrase: GoldenSet['answerable'] } {
  const { pipeline, sentences } = knowledge;
  const documentFrequency = new Map<string, number>();
  const sentenceTerms = sentences.map((s) => new Set(pipeline.terms(s.text, 'document')));
  for (const terms of sentenceTerms) {
    for (const term of terms) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const idf = (term: string) => {
    const df = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (sentences.length - df + 0.5) / (df + 0.5));
  };
  const overlap = (question: string, accept: readonly (readonly string[])[]) => {
    const terms = [...new Set(pipeline.terms(question, 'query'))];
    const total = terms.reduce((sum, term) => sum + idf(term), 0);
    let best = 0;
    sentences.forEach((sentence, i) => {
      if (total === 0 || !containsFacts(sentence.text, accept)) return;
      const shared = terms
        .filter((t) => sentenceTerms[i]?.has(t))
        .reduce((sum, t) => sum + idf(t), 0);
      best = Math.max(best, shared / total);
    });
    return best;
  };
  const direct: GoldenSet['answerable'] = [];
  const paraphrase: GoldenSet['answerable'] = [];
  for (const item of golden.answerable) {
    (overlap(item.q, item.accept) >= DIRECT_OVERLAP ? direct : paraphrase).push(item);
  }
  return { direct, paraphrase };
}

export interface Miss {
  readonly question: string;
  readonly got: string;
}

export interface EvalReport {
  readonly answerable: number;
  readonly offTopic: number;
  readonly hitAt1: number;
  readonly hitAt3: number;
  readonly mrr: number;
  /** Share of off-topic questions the engine declined to answer. */
  readonly offTopicAbstention: number;
  /** Share of answerable questions the engine wrongly declined. */
  readonly falseAbstention: number;
  readonly misses: readonly Miss[];
  readonly wronglyAnswered: readonly Miss[];
}

export function evaluate(engine: Engine, golden: GoldenSet): EvalReport {
  let hits1 = 0;
  let hits3 = 0;
  let reciprocalRanks = 0;
  let falseAbstentions = 0;
  const misses: Miss[] = [];
  for (const { q, accept } of golden.answerable) {
    const answer = engine.answer(q);
    if (!answer.answered) falseAbstentions += 1;
    const rank = answer.answers.findIndex((item) => containsFacts(item.text, accept));
    if (rank === 0) hits1 += 1;
    if (rank >= 0 && rank < 3) hits3 += 1;
    if (rank >= 0) reciprocalRanks += 1 / (rank + 1);
    if (rank !== 0) misses.push({ question: q, got: answer.answers[0]?.text ?? '(abstained)' });
  }
  const wronglyAnswered: Miss[] = [];
  for (const q of golden.offTopic) {
    const answer = engine.answer(q);
    if (answer.answered) wronglyAnswered.push({ question: q, got: answer.answers[0]?.text ?? '' });
  }
  const n = golden.answerable.length;
  const m = golden.offTopic.length;
  return {
    answerable: n,
    offTopic: m,
    hitAt1: hits1 / n,
    hitAt3: hits3 / n,
    mrr: reciprocalRanks / n,
    offTopicAbstention: (m - wronglyAnswered.length) / m,
    falseAbstention: falseAbstentions / n,
    misses,
    wronglyAnswered,
  };
}
