/**
 * Answer-quality floors on the golden set. Direct questions (sharing their key
 * words with the answer) must meet the floors; paraphrases are measured by
 * `npm run eval` but not held to them, and must stay answered at least as
 * often as the floor below says, so a regression there fails too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';
import { evaluate, loadGoldenSet, splitByOverlap, type GoldenSet } from './evaluate.ts';

let knowledge: KnowledgeBase;
let engine: Engine;
const golden: GoldenSet = loadGoldenSet();
beforeAll(async () => {
  knowledge = await loadKnowledge(KNOWLEDGE_DIR);
  engine = createEngine(knowledge);
});

describe('golden set', () => {
  it('is big and varied enough to mean something', () => {
    expect(golden.answerable.length).toBeGreaterThanOrEqual(60);
    expect(golden.offTopic.length).toBeGreaterThanOrEqual(15);
    expect(splitByOverlap(golden, knowledge).direct.length).toBeGreaterThanOrEqual(40);
  });

  it('every accepted fact exists in some indexed sentence (no impossible questions)', () => {
    const texts = knowledge.sentences.map((s) => s.text.toLowerCase());
    for (const { q, accept } of golden.answerable) {
      const found = accept.some((facts) =>
        texts.some((t) => facts.every((f) => t.includes(f.toLowerCase()))),
      );
      expect(found, q).toBe(true);
    }
  });
});

describe('answer quality floors', () => {
  it('direct questions: hit@1 ≥ 90%, hit@3 ≥ 97%, false abstention ≤ 3%', () => {
    const { direct } = splitByOverlap(golden, knowledge);
    const report = evaluate(engine, { ...golden, answerable: direct });
    expect(report.hitAt1).toBeGreaterThanOrEqual(0.9);
    expect(report.hitAt3).toBeGreaterThanOrEqual(0.97);
    expect(report.falseAbstention).toBeLessThanOrEqual(0.03);
  });

  it('off-topic questions: abstains on ≥ 90%', () => {
    expect(evaluate(engine, golden).offTopicAbstention).toBeGreaterThanOrEqual(0.9);
  });

  it('paraphrases: does not regress below today’s level (hit@3 ≥ 40%)', () => {
    const { paraphrase } = splitByOverlap(golden, knowledge);
    expect(evaluate(engine, { ...golden, answerable: paraphrase }).hitAt3).toBeGreaterThanOrEqual(
      0.4,
    );
  });
});
