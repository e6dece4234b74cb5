/**
 * Short answers judged as SQuAD judges them (the official evaluation script's
 * rules): lower case, punctuation and the articles a/an/the removed,
 * whitespace collapsed; exact match, and token F1 against the best of the
 * gold answers. SQuAD 1.1's logistic-regression baseline (lexical, POS and
 * dependency-path features, no neural network) reached EM 40.4 / F1 51.0 on
 * its dev set: shown beside our figures for reference, not as a goal.
 */
import type { Engine } from '../../src/engine/engine.ts';
import type { SquadQuestion } from './squad.ts';

export const LOGISTIC_REGRESSION_BASELINE = { em: 0.404, f1: 0.51 } as const;

/** SQuAD's normalize_answer. */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '')
    .replace(/\b(?:a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

export function exactMatch(prediction: string, gold: string): boolean {
  return normalizeAnswer(prediction) === normalizeAnswer(gold);
}

export function tokenF1(prediction: string, gold: string): number {
  const predicted = normalizeAnswer(prediction).split(' ').filter(Boolean);
  const wanted = normalizeAnswer(gold).split(' ').filter(Boolean);
  if (predicted.length === 0 || wanted.length === 0)
    return Number(predicted.length === wanted.length);
  const counts = new Map<string, number>();
  for (const token of wanted) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / wanted.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Questions that ask for a phrase of a kind the engine reads: a time, a number, a person, a place. */
export const ASKS_FOR_A_PHRASE =
  /^\s*(?:when\b|how many\b|how much\b|how long\b|who\b|whom\b|where\b|what year\b|in what year\b|which year\b)/i;

export interface ShortAnswerFigures {
  /** Over every answerable question (no short answer scores 0, as SQuAD scores it). */
  readonly em: number;
  readonly f1: number;
  readonly answerable: number;
  /** Questions asking for a phrase (ASKS_FOR_A_PHRASE): how many got one, and how good it was. */
  readonly asking: number;
  readonly given: number;
  /** Mean F1 of the short answers given to them, and the share of those with F1 ≥ 0.6. */
  readonly givenF1: number;
  readonly givenF1AtLeast60: number;
}

export function measureShortAnswers(
  engine: Engine,
  questions: readonly SquadQuestion[],
): ShortAnswerFigures {
  const answerable = questions.filter((item) => !item.impossible);
  let em = 0;
  let f1 = 0;
  let asking = 0;
  let given = 0;
  let givenF1 = 0;
  let good = 0;
  for (const { q, answers } of answerable) {
    const short = engine.answer(q).short ?? '';
    const best = Math.max(...answers.map((gold) => tokenF1(short, gold)));
    if (answers.some((gold) => exactMatch(short, gold))) em += 1;
    f1 += best;
    if (!ASKS_FOR_A_PHRASE.test(q)) continue;
    asking += 1;
    if (short === '') continue;
    given += 1;
    givenF1 += best;
    if (best >= 0.6) good += 1;
  }
  const n = Math.max(answerable.length, 1);
  return {
    em: em / n,
    f1: f1 / n,
    answerable: answerable.length,
    asking,
    given,
    givenF1: givenF1 / Math.max(given, 1),
    givenF1AtLeast60: good / Math.max(given, 1),
  };
}
