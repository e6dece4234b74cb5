/**
 * Answer latency on the real articles (knowledge/), beside the synthetic
 * sizes: "first time" — every golden question asked once of an engine that
 * remembers nothing (the work of answering) — and "asked again" — a stream
 * of the questions a channel keeps asking, served from the answer cache, as
 * the bot does. Both are checked to give the same answers.
 */
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { createEngine } from '../src/engine/engine.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { loadGoldenSet } from '../tests/golden/evaluate.ts';
import { msSince, summarize, type LatencySummary } from './stats.ts';

export interface SeedFigures {
  readonly sentences: number;
  readonly firstTime: LatencySummary;
  readonly askedAgain: LatencySummary;
  /** Whether the cached engine gave exactly the answers the uncached one did. */
  readonly sameAnswers: boolean;
}

const KNOWLEDGE = fileURLToPath(new URL('../knowledge', import.meta.url));

export async function measureSeeds(): Promise<SeedFigures> {
  const knowledge = await loadKnowledge(KNOWLEDGE);
  const golden = loadGoldenSet();
  const questions = [...golden.answerable.map((a) => a.q), ...golden.offTopic.map((o) => o.q)];
  const uncached = createEngine(knowledge, { answerCache: 0 });
  const cached = createEngine(knowledge);
  // Warm up (JIT, word caches) on a copy of the work, as a running bot is.
  for (const q of questions) uncached.answer(q);

  const first: number[] = [];
  const answers = questions.map((q) => {
    const start = process.hrtime.bigint();
    const answer = uncached.answer(q);
    first.push(msSince(start));
    return answer;
  });
  const again: number[] = [];
  let sameAnswers = true;
  for (const q of questions) cached.answer(q); // each asked once before: now it is "again"
  for (let round = 0; round < 5; round++) {
    questions.forEach((q, i) => {
      const start = process.hrtime.bigint();
      const answer = cached.answer(q);
      again.push(msSince(start));
      if (!isDeepStrictEqual(answer, answers[i])) sameAnswers = false;
    });
  }
  return {
    sentences: knowledge.sentences.length,
    firstTime: summarize(first),
    askedAgain: summarize(again),
    sameAnswers,
  };
}
