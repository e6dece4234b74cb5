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
import { evaluateLearning } from './learning.ts';
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
}

export interface QualityFigures {
  readonly training: SplitFigures;
  readonly validation: SplitFigures;
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
  };
}

export async function measureQuality(knowledgeDir: string): Promise<QualityFigures> {
  const knowledge = await loadKnowledge(knowledgeDir);
  const engine = createEngine(knowledge);
  const squad = await measureSquad();
  return {
    training: measureSplit(engine, knowledge, 'training'),
    validation: measureSplit(engine, knowledge, 'validation'),
    ...(squad && { squad }),
  };
}

/**
 * Each kind's validation hit@1 with the engine before the answers issue (its
 * floor: no kind below it), measured on this golden set.
 */
export const KIND_HIT_AT_1_BEFORE: Readonly<Record<string, number>> = {
  attribution: 0.429,
  direct: 0.929,
  'how-much': 0.588,
  ordinal: 0.563,
  paraphrase: 0.224,
  typo: 0.75,
  'what-is': 0.625,
  when: 0.625,
  where: 0.25,
  'who-is': 0.647,
  why: 0.143,
  'yes-no': 0.615,
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const mark = (met: boolean) => (met ? '✓' : '✗');

/** Confident and right, as a share of all answerable questions. */
export const confidentRight = (r: EvalReport) =>
  r.answerable === 0 ? 0 : (r.confidentPrecision * r.confidentAnswers) / r.answerable;

/**
 * README's quality table (validation split): each figure beside its floor
 * (the answers issue's "done when"), ✓ where it is met.
 */
export function qualityTable({ validation: v, squad }: QualityFigures): string {
  const rows: [string, string, string][] = [];
  const answerable = (r: EvalReport) => `${pct(r.hitAt1)} / ${pct(r.hitAt3)} / ${pct(r.notFound)}`;
  rows.push([
    `all answerable (${v.all.answerable}): hit@1 / hit@3 / not found`,
    answerable(v.all),
    `70% / 85% / ≤ 10% ${mark(v.all.hitAt1 >= 0.7 && v.all.hitAt3 >= 0.85 && v.all.notFound <= 0.1)}`,
  ]);
  rows.push([
    'confident answers right',
    `${pct(v.all.confidentPrecision)} (${v.all.confidentAnswers} answers)`,
    `≥ 95% ${mark(v.all.confidentPrecision >= 0.95)}`,
  ]);
  rows.push([
    'confident and right, of all answerable',
    pct(confidentRight(v.all)),
    `≥ 50% ${mark(confidentRight(v.all) >= 0.5)}`,
  ]);
  for (const [label, report] of [
    ['direct questions', v.direct],
    ['paraphrases', v.paraphrase],
  ] as const) {
    rows.push([
      `${label} (${report.answerable}): hit@1 / hit@3 / not found`,
      answerable(report),
      '—',
    ]);
  }
  for (const [kind, report] of v.kinds) {
    const before = KIND_HIT_AT_1_BEFORE[kind];
    rows.push([
      `kind ${kind} (${report.answerable})`,
      answerable(report),
      before === undefined
        ? '—'
        : `hit@1 ≥ ${pct(before)} (before) ${mark(report.hitAt1 >= before - 1e-3)}`,
    ]);
  }
  const { learning } = v;
  rows.push([
    `one phrasing of each fact confirmed (${learning.taught}), the others asked (${learning.answerable}): hit@1 / confident and right`,
    `${pct(learning.hitAt1)} / ${pct(confidentRight(learning))}`,
    `90% / 80% ${mark(learning.hitAt1 >= 0.9 && confidentRight(learning) >= 0.8)}`,
  ]);
  rows.push([
    `off-topic with those confirmations: not found / confident`,
    `${pct(learning.offTopicNotFound)} / ${pct(learning.offTopicConfident)}`,
    `confident ≤ 2% ${mark(learning.offTopicConfident <= 0.02)}`,
  ]);
  const offTopic = v.all;
  rows.push([
    `off-topic (${offTopic.offTopic}): not found / confident`,
    `${pct(offTopic.offTopicNotFound)} / ${pct(offTopic.offTopicConfident)}`,
    `≥ 85% / ≤ 2% ${mark(offTopic.offTopicNotFound >= 0.85 && offTopic.offTopicConfident <= 0.02)}`,
  ]);
  rows.push([
    `near-topic (${v.nearTopic.offTopic}): not found / confident`,
    `${pct(v.nearTopic.offTopicNotFound)} / ${pct(v.nearTopic.offTopicConfident)}`,
    '—',
  ]);
  rows.push([
    `unrelated (${v.unrelated.offTopic}): not found`,
    pct(v.unrelated.offTopicNotFound),
    `100% ${mark(v.unrelated.offTopicNotFound === 1)}`,
  ]);
  if (squad) {
    const { engine, plain } = squad;
    rows.push([
      `SQuAD holdout (${engine.answerable}): hit@1 / hit@3, plain MiniSearch in the same run`,
      `${pct(engine.hitAt1)} / ${pct(engine.hitAt3)} vs ${pct(plain.hitAt1)} / ${pct(plain.hitAt3)}`,
      `above ${mark(engine.hitAt1 > plain.hitAt1 && engine.hitAt3 > plain.hitAt3)}`,
    ]);
    rows.push([
      'SQuAD holdout: not found on answerable / unanswerable',
      `${pct(engine.notFound)} / ${pct(engine.offTopicNotFound)}`,
      '—',
    ]);
  }
  return [
    '| validation split | engine | floor |',
    '| --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}
