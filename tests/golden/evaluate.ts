/**
 * Scores the engine on the golden question set: hit@1, hit@3, MRR, and the
 * three outcomes (confident, uncertain, not found) on questions the articles
 * do and do not answer. The set is split, fixed and seeded, into training (2/3,
 * the only part weights and thresholds may be fitted on) and validation (1/3,
 * where the quality floors are asserted).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Engine } from '../../src/engine/engine.ts';
import type { KnowledgeBase } from '../../src/knowledge/load.ts';
import { foldText } from '../../src/knowledge/fold.ts';
import type { Answer } from '../../src/search/types.ts';

const KINDS = [
  'paraphrase',
  'direct',
  'ordinal',
  'who-is',
  'how-much',
  'attribution',
  'typo',
  'when',
  'where',
  'why',
  'what-is',
  'yes-no',
] as const;

const goldenSchema = z.object({
  answerable: z.array(
    z.object({
      q: z.string().min(1),
      fact: z.string().min(1),
      kind: z.enum(KINDS),
      accept: z.array(z.array(z.string().min(1)).min(1)).min(1),
    }),
  ),
  offTopic: z.array(z.object({ q: z.string().min(1), kind: z.enum(['near-topic', 'unrelated']) })),
});
export type GoldenSet = z.infer<typeof goldenSchema>;
export type AnswerableQuestion = GoldenSet['answerable'][number];
export type OffTopicQuestion = GoldenSet['offTopic'][number];

export const GOLDEN_FILE = new URL('./questions.yaml', import.meta.url);

export function loadGoldenSet(file: URL | string = GOLDEN_FILE): GoldenSet {
  return goldenSchema.parse(parseYaml(readFileSync(file, 'utf8')));
}

/** The seed of the training/validation split: changing it re-draws the split. */
const SPLIT_SEED = 'talks-bot golden split 1';

export type Split = 'training' | 'validation';

/**
 * Which side a question is on: every phrasing of one fact goes to the same side
 * (so validation facts are unseen), off-topic questions are drawn one by one.
 */
export function splitOf(item: AnswerableQuestion | OffTopicQuestion): Split {
  const key = 'fact' in item ? `fact ${item.fact}` : `off-topic ${item.q}`;
  const byte = createHash('sha256').update(`${SPLIT_SEED}\n${key}`).digest()[0]!;
  return byte % 3 === 0 ? 'validation' : 'training';
}

export function splitGoldenSet(golden: GoldenSet, split: Split): GoldenSet {
  return {
    answerable: golden.answerable.filter((item) => splitOf(item) === split),
    offTopic: golden.offTopic.filter((item) => splitOf(item) === split),
  };
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
 * folding, vocabulary aliases and stemming, but before synonyms, word vectors
 * and spelling correction) with some accepted sentence; the rest are free
 * paraphrases ("how did they sneak the drones in" for "the smuggling of 117
 * drones"). This is measured, not the writer's `kind` label.
 */
export const DIRECT_OVERLAP = 0.5;

export function splitByOverlap(
  questions: readonly AnswerableQuestion[],
  knowledge: KnowledgeBase,
): { direct: AnswerableQuestion[]; paraphrase: AnswerableQuestion[] } {
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
  const direct: AnswerableQuestion[] = [];
  const paraphrase: AnswerableQuestion[] = [];
  for (const item of questions) {
    (overlap(item.q, item.accept) >= DIRECT_OVERLAP ? direct : paraphrase).push(item);
  }
  return { direct, paraphrase };
}

export type Outcome = 'confident' | 'uncertain' | 'not-found';

export function outcomeOf(answer: Answer): Outcome {
  if (!answer.answered) return 'not-found';
  return answer.uncertain ? 'uncertain' : 'confident';
}

export interface Miss {
  readonly question: string;
  readonly outcome: Outcome;
  readonly got: string;
}

export interface EvalReport {
  readonly answerable: number;
  readonly hitAt1: number;
  readonly hitAt3: number;
  readonly mrr: number;
  /** Share of answerable questions answered "not found". */
  readonly notFound: number;
  /** Share of confident answers whose first sentence is right (1 when there are none). */
  readonly confidentPrecision: number;
  readonly confidentAnswers: number;
  readonly offTopic: number;
  /** Share of off-topic questions answered "not found" / confidently. */
  readonly offTopicNotFound: number;
  readonly offTopicConfident: number;
  readonly misses: readonly Miss[];
  readonly wronglyAnswered: readonly Miss[];
}

/** Whether the sentence at `rank` (or any of the first three) answers; -1 when none does. */
export type Judge = (answer: Answer) => number;

export function judgeByFacts(accept: readonly (readonly string[])[]): Judge {
  return (answer) => answer.answers.findIndex((item) => containsFacts(item.text, accept));
}

export function evaluateJudged(
  engine: Engine,
  answerable: readonly { q: string; judge: Judge }[],
  offTopic: readonly string[],
): EvalReport {
  let hits1 = 0;
  let hits3 = 0;
  let reciprocalRanks = 0;
  let notFound = 0;
  let confident = 0;
  let confidentRight = 0;
  const misses: Miss[] = [];
  for (const { q, judge } of answerable) {
    const answer = engine.answer(q);
    const outcome = outcomeOf(answer);
    const rank = outcome === 'not-found' ? -1 : judge(answer);
    if (outcome === 'not-found') notFound += 1;
    if (outcome === 'confident') {
      confident += 1;
      if (rank === 0) confidentRight += 1;
    }
    if (rank === 0) hits1 += 1;
    if (rank >= 0 && rank < 3) hits3 += 1;
    if (rank >= 0) reciprocalRanks += 1 / (rank + 1);
    if (rank !== 0) {
      misses.push({ question: q, outcome, got: answer.answers[0]?.text ?? '(not found)' });
    }
  }
  const wronglyAnswered: Miss[] = [];
  let offConfident = 0;
  for (const q of offTopic) {
    const answer = engine.answer(q);
    const outcome = outcomeOf(answer);
    if (outcome === 'confident') offConfident += 1;
    if (outcome !== 'not-found') {
      wronglyAnswered.push({ question: q, outcome, got: answer.answers[0]?.text ?? '' });
    }
  }
  const n = Math.max(answerable.length, 1);
  const m = Math.max(offTopic.length, 1);
  return {
    answerable: answerable.length,
    hitAt1: hits1 / n,
    hitAt3: hits3 / n,
    mrr: reciprocalRanks / n,
    notFound: notFound / n,
    confidentPrecision: confident === 0 ? 1 : confidentRight / confident,
    confidentAnswers: confident,
    offTopic: offTopic.length,
    offTopicNotFound: (offTopic.length - wronglyAnswered.length) / m,
    offTopicConfident: offConfident / m,
    misses,
    wronglyAnswered,
  };
}

export function evaluate(engine: Engine, golden: GoldenSet): EvalReport {
  return evaluateJudged(
    engine,
    golden.answerable.map(({ q, accept }) => ({ q, judge: judgeByFacts(accept) })),
    golden.offTopic.map(({ q }) => q),
  );
}
