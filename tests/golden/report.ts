/**
 * The answer-quality figures `npm run eval` prints and README's quality table
 * shows, measured once: the golden set by split (all, direct/paraphrase tiers,
 * each kind, off-topic near and unrelated) and the SQuAD holdout against plain
 * MiniSearch (when the sample is there).
 */
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load.ts';
import {
  evaluate,
  evaluateJudged,
  loadGoldenSet,
  splitByOverlap,
  splitGoldenSet,
  type EvalReport,
  type Split,
} from './evaluate.ts';
import {
  ALL_ANSWERABLE,
  CONFIDENT_AND_RIGHT,
  CONFIDENT_PRECISION,
  DIRECT,
  KIND_HIT_AT_1,
  LEARNING,
  LEARNING_OFF_TOPIC_CONFIDENT,
  OFF_TOPIC,
  SHORT_ANSWERS,
  SQUAD,
  STRUCTURE,
  UNRELATED_NOT_FOUND,
} from './floors.ts';
import { evaluateLearning } from './learning.ts';
import {
  LOGISTIC_REGRESSION_BASELINE,
  measureShortAnswers,
  type ShortAnswerFigures,
} from './short-answers.ts';
import { measureStructure, type StructureAccuracy } from './structure-accuracy.ts';
import { loadSquad, plainMiniSearchHits, SQUAD_AVAILABLE, SQUAD_DIR, squadJudge } from './squad.ts';

export interface SplitFigures {
  readonly all: EvalReport;
  /** One phrasing of each fact confirmed (learning.ts): the others and the off-topic questions. */
  readonly learning: EvalReport & { readonly taught: number };
  readonly direct: EvalReport;
  readonly paraphrase: EvalReport;
  /** By the writer's `kind` label, sorted by kind. */
  readonly kinds: readonly (readonly [string, EvalReport])[];
  readonly nearTopic: EvalReport;
  readonly unrelated: EvalReport;
}

export interface SquadFigures {
  readonly sentences: number;
  readonly engine: EvalReport;
  readonly plain: { readonly hitAt1: number; readonly hitAt3: number };
  readonly short: ShortAnswerFigures;
}

export interface QualityFigures {
  readonly training: SplitFigures;
  readonly validation: SplitFigures;
  /** The sentence reader against hand labels (tests/golden/structure.yaml). */
  readonly structure: StructureAccuracy;
  /** Absent where ../shared/data is not beside the project. */
  readonly squad?: SquadFigures;
}

export function measureSplit(engine: Engine, knowledge: KnowledgeBase, split: Split): SplitFigures {
  const part = splitGoldenSet(loadGoldenSet(), split);
  const only = (answerable: typeof part.answerable) =>
    evaluate(engine, { answerable, offTopic: [] });
  const { direct, paraphrase } = splitByOverlap(part.answerable, knowledge);
  const kinds = [...new Set(part.answerable.map((item) => item.kind))].sort();
  const offTopic = (kind: 'near-topic' | 'unrelated') =>
    evaluate(engine, { answerable: [], offTopic: part.offTopic.filter((q) => q.kind === kind) });
  return {
    all: evaluate(engine, part),
    learning: evaluateLearning(engine, part, knowledge.sentences),
    direct: only(direct),
    paraphrase: only(paraphrase),
    kinds: kinds.map((kind) => [kind, only(part.answerable.filter((q) => q.kind === kind))]),
    nearTopic: offTopic('near-topic'),
    unrelated: offTopic('unrelated'),
  };
}

export async function measureSquad(): Promise<SquadFigures | undefined> {
  if (!SQUAD_AVAILABLE) return undefined;
  const knowledge = await loadKnowledge(`${SQUAD_DIR}/holdout`);
  const engine = createEngine(knowledge);
  const holdout = loadSquad('holdout');
  const answerable = holdout.filter((item) => !item.impossible);
  const report = evaluateJudged(
    engine,
    answerable.map(({ q, answers }) => {
      const judge = squadJudge(answers);
      return { q, judge: (answer) => answer.answers.findIndex((item) => judge(item.text)) };
    }),
    holdout.filter((item) => item.impossible).map(({ q }) => q),
  );
  return {
    sentences: knowledge.sentences.length,
    engine: report,
    plain: plainMiniSearchHits(knowledge.sentences, answerable),
    short: measureShortAnswers(engine, holdout),
  };
}

export async function measureQuality(knowledgeDir: string): Promise<QualityFigures> {
  const knowledge = await loadKnowledge(knowledgeDir);
  const engine = createEngine(knowledge);
  const squad = await measureSquad();
  return {
    training: measureSplit(engine, knowledge, 'training'),
    validation: measureSplit(engine, knowledge, 'validation'),
    structure: measureStructure(knowledge.pipeline),
    ...(squad && { squad }),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const mark = (met: boolean) => (met ? '✓' : '✗');

/** Confident and right, as a share of all answerable questions. */
export const confidentRight = (r: EvalReport) =>
  r.answerable === 0 ? 0 : (r.confidentPrecision * r.confidentAnswers) / r.answerable;

const atLeast = (x: number) => `≥ ${pct(x)}`;
const atMost = (x: number) => `≤ ${pct(x)}`;

/**
 * README's quality table (validation split): each figure beside its goal
 * (the quality issues' "done when", ✓ where met) and the level `npm test`
 * guards (floors.ts has both).
 */
export function qualityTable(figures: QualityFigures): string {
  const { validation: v, squad } = figures;
  const rows: [string, string, string, string][] = [];
  const answerable = (r: EvalReport) => `${pct(r.hitAt1)} / ${pct(r.hitAt3)} / ${pct(r.notFound)}`;
  const all = ALL_ANSWERABLE;
  rows.push([
    `all answerable (${v.all.answerable}): hit@1 / hit@3 / not found`,
    answerable(v.all),
    `${pct(all.goal.hitAt1)} / ${pct(all.goal.hitAt3)} / ${atMost(all.goal.notFoundAtMost)} ${mark(v.all.hitAt1 >= all.goal.hitAt1 && v.all.hitAt3 >= all.goal.hitAt3 && v.all.notFound <= all.goal.notFoundAtMost)}`,
    `${pct(all.guarded.hitAt1)} / ${pct(all.guarded.hitAt3)} / ${atMost(all.guarded.notFoundAtMost)}`,
  ]);
  rows.push([
    'confident answers right',
    `${pct(v.all.confidentPrecision)} (${v.all.confidentAnswers} answers)`,
    `${atLeast(CONFIDENT_PRECISION.goal)} ${mark(v.all.confidentPrecision >= CONFIDENT_PRECISION.goal)}`,
    `${atLeast(CONFIDENT_PRECISION.guarded)} (over ${CONFIDENT_PRECISION.minimumAnswers} answers)`,
  ]);
  rows.push([
    'confident and right, of all answerable',
    pct(confidentRight(v.all)),
    `${atLeast(CONFIDENT_AND_RIGHT.goal)} ${mark(confidentRight(v.all) >= CONFIDENT_AND_RIGHT.goal)}`,
    atLeast(CONFIDENT_AND_RIGHT.guarded),
  ]);
  rows.push([
    `direct questions (${v.direct.answerable}): hit@1 / hit@3 / not found`,
    answerable(v.direct),
    `hit@1 ${atLeast(DIRECT.goal.hitAt1)} ${mark(v.direct.hitAt1 >= DIRECT.goal.hitAt1)}`,
    `hit@1 ${atLeast(DIRECT.guarded.hitAt1)}, hit@3 ${atLeast(DIRECT.guarded.hitAt3)}`,
  ]);
  rows.push([
    `paraphrases (${v.paraphrase.answerable}): hit@1 / hit@3 / not found`,
    answerable(v.paraphrase),
    '—',
    '—',
  ]);
  for (const [kind, report] of v.kinds) {
    const level = KIND_HIT_AT_1[kind];
    rows.push([
      `kind ${kind} (${report.answerable})`,
      answerable(report),
      level === undefined
        ? '—'
        : `hit@1 ${atLeast(level.goal)} ${mark(report.hitAt1 >= level.goal - 1e-3)}`,
      level === undefined ? '—' : `hit@1 ${atLeast(level.guarded)}`,
    ]);
  }
  const { learning } = v;
  rows.push([
    `one phrasing of each fact confirmed (${learning.taught}), the others asked (${learning.answerable}): hit@1 / confident and right`,
    `${pct(learning.hitAt1)} / ${pct(confidentRight(learning))}`,
    `${pct(LEARNING.goal.hitAt1)} / ${pct(LEARNING.goal.confidentRight)} ${mark(learning.hitAt1 >= LEARNING.goal.hitAt1 && confidentRight(learning) >= LEARNING.goal.confidentRight)}`,
    `${atLeast(LEARNING.guarded.hitAt1)} / ${atLeast(LEARNING.guarded.confidentRight)}`,
  ]);
  rows.push([
    `off-topic with those confirmations: not found / confident`,
    `${pct(learning.offTopicNotFound)} / ${pct(learning.offTopicConfident)}`,
    `confident ${atMost(LEARNING_OFF_TOPIC_CONFIDENT.goal)} ${mark(learning.offTopicConfident <= LEARNING_OFF_TOPIC_CONFIDENT.goal)}`,
    `confident ${atMost(LEARNING_OFF_TOPIC_CONFIDENT.guarded)}`,
  ]);
  const offTopic = v.all;
  rows.push([
    `off-topic (${offTopic.offTopic}): not found / confident`,
    `${pct(offTopic.offTopicNotFound)} / ${pct(offTopic.offTopicConfident)}`,
    `${atLeast(OFF_TOPIC.goal.notFound)} / ${atMost(OFF_TOPIC.goal.confidentAtMost)} ${mark(offTopic.offTopicNotFound >= OFF_TOPIC.goal.notFound && offTopic.offTopicConfident <= OFF_TOPIC.goal.confidentAtMost)}`,
    `${atLeast(OFF_TOPIC.guarded.notFound)} / ${atMost(OFF_TOPIC.guarded.confidentAtMost)}`,
  ]);
  rows.push([
    `near-topic (${v.nearTopic.offTopic}): not found / confident`,
    `${pct(v.nearTopic.offTopicNotFound)} / ${pct(v.nearTopic.offTopicConfident)}`,
    '—',
    '—',
  ]);
  rows.push([
    `unrelated (${v.unrelated.offTopic}): not found`,
    pct(v.unrelated.offTopicNotFound),
    `${pct(UNRELATED_NOT_FOUND.goal)} ${mark(v.unrelated.offTopicNotFound >= UNRELATED_NOT_FOUND.goal)}`,
    atLeast(UNRELATED_NOT_FOUND.guarded),
  ]);
  const { structure } = figures;
  const share = (part: { total: number }, right: number) => pct(right / Math.max(part.total, 1));
  rows.push([
    `sentence reader vs hand labels (${structure.sentences} sentences): ordinals / values found / attached / sides`,
    `${share(structure.ordinals, structure.ordinals.right)} / ${share(structure.values, structure.values.found)} / ${pct(structure.values.attached / Math.max(structure.values.found, 1))} / ${share(structure.sides, structure.sides.right)}`,
    '—',
    `${atLeast(STRUCTURE.guarded.ordinals)} / ${atLeast(STRUCTURE.guarded.valuesFound)} / ${atLeast(STRUCTURE.guarded.valuesAttached)} / ${atLeast(STRUCTURE.guarded.sides)}`,
  ]);
  if (squad) {
    const { engine, plain } = squad;
    rows.push([
      `SQuAD holdout (${engine.answerable}): hit@1 / hit@3, plain MiniSearch in the same run`,
      `${pct(engine.hitAt1)} / ${pct(engine.hitAt3)} vs ${pct(plain.hitAt1)} / ${pct(plain.hitAt3)}`,
      `above ${mark(engine.hitAt1 > plain.hitAt1 && engine.hitAt3 > plain.hitAt3)}`,
      'above',
    ]);
    rows.push([
      'SQuAD holdout: not found on answerable / unanswerable',
      `${pct(engine.notFound)} / ${pct(engine.offTopicNotFound)}`,
      `${atMost(SQUAD.goal.notFoundAnswerableAtMost)} / ${atLeast(SQUAD.goal.notFoundUnanswerable)} ${mark(engine.notFound <= SQUAD.goal.notFoundAnswerableAtMost && engine.offTopicNotFound >= SQUAD.goal.notFoundUnanswerable)}`,
      `${atMost(SQUAD.guarded.notFoundAnswerableAtMost)} / ${atLeast(SQUAD.guarded.notFoundUnanswerable)}`,
    ]);
    const { short } = squad;
    const given = short.given / Math.max(short.asking, 1);
    rows.push([
      `SQuAD short answers, questions asking for a phrase (${short.asking}): given / F1 ≥ 60% of those given`,
      `${pct(given)} / ${pct(short.givenF1AtLeast60)}`,
      `${atLeast(SHORT_ANSWERS.goal.given)} / ${atLeast(SHORT_ANSWERS.goal.goodShareOfGiven)} ${mark(given >= SHORT_ANSWERS.goal.given && short.givenF1AtLeast60 >= SHORT_ANSWERS.goal.goodShareOfGiven)}`,
      `${atLeast(SHORT_ANSWERS.guarded.given)} / ${atLeast(SHORT_ANSWERS.guarded.goodShareOfGiven)}`,
    ]);
    rows.push([
      `SQuAD short answers, all answerable (${short.answerable}): EM / F1; SQuAD paper's logistic regression (dev)`,
      `${pct(short.em)} / ${pct(short.f1)} vs ${pct(LOGISTIC_REGRESSION_BASELINE.em)} / ${pct(LOGISTIC_REGRESSION_BASELINE.f1)}`,
      '—',
      '—',
    ]);
  }
  return [
    '| validation split | engine | goal | guarded at (`npm test`) |',
    '| --- | --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}
