/**
 * The community's confirmations, simulated on the golden set: for every fact,
 * one phrasing is taught with a sentence that answers it (the first article
 * sentence holding an accepted set), and the fact's other phrasings are asked
 * with every such confirmation in place — as a server whose moderators have
 * confirmed one answer per fact. Off-topic questions are asked with the same
 * confirmations: they must not inherit them. `npm run fit` fits on the
 * training split's simulation, `npm run eval` reports the validation split's.
 */
import type { Sentence } from '../../src/knowledge/types.ts';
import type { Confirmation } from '../../src/search/answer/learned.ts';
import type { Engine } from '../../src/engine/engine.ts';
import {
  containsFacts,
  evaluate,
  type AnswerableQuestion,
  type EvalReport,
  type GoldenSet,
} from './evaluate.ts';

export interface TaughtFacts {
  /** One confirmation per fact that has a sentence answering it. */
  readonly confirmations: readonly Confirmation[];
  /** Every phrasing but the taught one. */
  readonly asked: readonly AnswerableQuestion[];
}

export function teachOnePhrasingPerFact(
  answerable: readonly AnswerableQuestion[],
  sentences: readonly Sentence[],
): TaughtFacts {
  const confirmations: Confirmation[] = [];
  const asked: AnswerableQuestion[] = [];
  const taught = new Set<string>();
  for (const item of answerable) {
    if (taught.has(item.fact)) {
      asked.push(item);
      continue;
    }
    const sentence = sentences.find((s) => containsFacts(s.text, item.accept));
    if (!sentence) continue;
    taught.add(item.fact);
    confirmations.push({
      id: confirmations.length + 1,
      question: item.q,
      sentenceKey: sentence.key,
      verdict: 'right',
      how: 'teach',
    });
  }
  return { confirmations, asked: asked.filter((item) => taught.has(item.fact)) };
}

/** The split's other phrasings and its off-topic questions, answered with its facts taught. */
export function evaluateLearning(
  engine: Engine,
  part: GoldenSet,
  sentences: readonly Sentence[],
): EvalReport & { readonly taught: number } {
  const { confirmations, asked } = teachOnePhrasingPerFact(part.answerable, sentences);
  const learned = engine.learn(confirmations);
  const withLearning: Engine = {
    ...engine,
    answer: (q, request) => engine.answer(q, { ...request, learned }),
  };
  return {
    ...evaluate(withLearning, { answerable: [...asked], offTopic: part.offTopic }),
    taught: confirmations.length,
  };
}
