/**
 * Stage 4: the learned combination. A linear ranker scores each candidate
 * from its features; a logistic model turns the best candidate's standing
 * into a calibrated probability that it answers the question. Both were
 * fitted by `npm run fit` on the training half of the golden questions and
 * the fitting part of the SQuAD sample, and are read from `ranker.json`
 * beside this file (with the figures they reached). Nothing here is tuned by
 * hand.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RANK_FEATURES } from './features.ts';

export const RANKER_FILE = fileURLToPath(new URL('./ranker.json', import.meta.url));

/** What the confidence model reads about the best candidate and its question. */
export const CONFIDENCE_FEATURES = [
  /** The best candidate's ranker score. */
  'top',
  /** Its lead over the second candidate (sure answers stand out). */
  'margin',
  'coverage',
  'softCoverage',
  'contextCoverage',
  /** Share of the question's weight on words the articles never use, even in meaning. */
  'unknown',
  'missing',
  /** The best candidate names another round or meeting than the question (−1)… */
  'ordinal',
  /** …lacks the kind of answer asked for (a number for "how much")… */
  'answerType',
  /** …holds it attached to what the question asks about (its round, side, words)… */
  'bound',
  /** …or asks for a kind of answer the best sentence does not hold for it (1), else 0… */
  'kindMissing',
  /** How many words the question gives to go on (1 word: 0.25 … 4 or more: 1). */
  'words',
  /** …is about the asked side, or another's… */
  'side',
  /** …or lacks names the question gives. */
  'names',
  /** How close the question is to one the community confirmed the best candidate for. */
  'confirmed',
] as const;

const linear = z.object({
  features: z.array(z.string()),
  weights: z.array(z.number()),
  bias: z.number(),
});

const rankerSchema = z.object({
  version: z.literal(1),
  rank: linear,
  confidence: linear,
  thresholds: z.object({
    /** From this probability the answer is confident (and may be auto-posted: runtime/visibility.ts). */
    confident: z.number().min(0).max(1),
    /** From this one it is shown, labelled "these passages may answer it". */
    uncertain: z.number().min(0).max(1),
    /**
     * A best sentence the community confirmed for a question at least this
     * close (learned.ts) is confident too.
     */
    confirmed: z.number().min(0).max(1),
  }),
  /** How and on what it was fitted, and the figures it reached (for people). */
  fitted: z.record(z.string(), z.unknown()),
});
export type RankerModel = z.infer<typeof rankerSchema>;

export class RankerModelError extends Error {
  override readonly name = 'RankerModelError';
}

function check(model: RankerModel): RankerModel {
  const expect = (name: string, got: readonly string[], wanted: readonly string[]) => {
    if (
      got.join() !== wanted.join() ||
      model[name as 'rank' | 'confidence'].weights.length !== wanted.length
    ) {
      throw new RankerModelError(
        `ranker.json's ${name} features (${got.join(', ')}) do not match the engine's (${wanted.join(', ')}): refit with \`npm run fit\`.`,
      );
    }
  };
  expect('rank', model.rank.features, RANK_FEATURES);
  expect('confidence', model.confidence.features, CONFIDENCE_FEATURES);
  return model;
}

export function parseRankerModel(json: unknown): RankerModel {
  const parsed = rankerSchema.safeParse(json);
  if (!parsed.success) {
    throw new RankerModelError(`ranker.json is not a ranker model: ${parsed.error.message}`);
  }
  return check(parsed.data);
}

let shipped: RankerModel | undefined;

/** The fitted model that ships with the engine. */
export function rankerModel(): RankerModel {
  shipped ??= parseRankerModel(JSON.parse(readFileSync(RANKER_FILE, 'utf8')));
  return shipped;
}

export function linearScore(model: z.infer<typeof linear>, features: readonly number[]): number {
  let sum = model.bias;
  for (let i = 0; i < features.length; i++) sum += model.weights[i]! * features[i]!;
  return sum;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
