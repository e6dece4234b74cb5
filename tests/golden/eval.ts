/**
 * `npm run eval`: answer quality on the golden set — training and validation
 * splits, the measured direct/paraphrase tiers, each kind of question, and the
 * off-topic questions — and on the SQuAD holdout against plain MiniSearch.
 * `-- --verbose` lists every validation miss and every off-topic question answered.
 */
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/engine.ts';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import {
  evaluate,
  evaluateJudged,
  loadGoldenSet,
  splitByOverlap,
  splitGoldenSet,
  type EvalReport,
} from './evaluate.ts';
import { loadSquad, plainMiniSearchHits, SQUAD_DIR, squadJudge } from './squad.ts';

const knowledgeDir =
  process.env.KNOWLEDGE_DIR ?? fileURLToPath(new URL('../../knowledge', import.meta.url));
const verbose = process.argv.includes('--verbose');
const knowledge = await loadKnowledge(knowledgeDir);
const engine = createEngine(knowledge);
const golden = loadGoldenSet();

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
const line = (label: string, r: EvalReport) =>
  `${label.padEnd(22)} ${String(r.answerable).padStart(3)} q   hit@1 ${pct(r.hitAt1)}   hit@3 ${pct(r.hitAt3)}   not found ${pct(r.notFound)}   confident right ${pct(r.confidentPrecision)} (${r.confidentAnswers})`;
const offLine = (label: string, r: EvalReport) =>
  `${label.padEnd(22)} ${String(r.offTopic).padStart(3)} q   not found ${pct(r.offTopicNotFound)}   confident ${pct(r.offTopicConfident)}`;

for (const split of ['training', 'validation'] as const) {
  const part = splitGoldenSet(golden, split);
  const report = evaluate(engine, part);
  console.log(`golden ${split}`);
  console.log(line('  all answerable', report));
  const { direct, paraphrase } = splitByOverlap(part.answerable, knowledge);
  console.log(line('  direct', evaluate(engine, { answerable: direct, offTopic: [] })));
  console.log(line('  paraphrase', evaluate(engine, { answerable: paraphrase, offTopic: [] })));
  const kinds = [...new Set(part.answerable.map((item) => item.kind))].sort();
  for (const kind of kinds) {
    const answerable = part.answerable.filter((item) => item.kind === kind);
    console.log(line(`  kind ${kind}`, evaluate(engine, { answerable, offTopic: [] })));
  }
  console.log(offLine('  off-topic', report));
  for (const kind of ['near-topic', 'unrelated'] as const) {
    const offTopic = part.offTopic.filter((item) => item.kind === kind);
    console.log(offLine(`  off-topic ${kind}`, evaluate(engine, { answerable: [], offTopic })));
  }
  if (verbose && split === 'validation') {
    for (const miss of report.misses) {
      console.log(`  miss (${miss.outcome}) ${miss.question}\n      got ${miss.got}`);
    }
    for (const miss of report.wronglyAnswered) {
      console.log(`  answered (${miss.outcome}) ${miss.question}\n      got ${miss.got}`);
    }
  }
}

// SQuAD holdout: the engine against plain MiniSearch (default options) over the same sentences.
const squadKnowledge = await loadKnowledge(`${SQUAD_DIR}/holdout`);
const squadEngine = createEngine(squadKnowledge);
const holdout = loadSquad('holdout');
const answerable = holdout.filter((item) => !item.impossible);
const squadReport = evaluateJudged(
  squadEngine,
  answerable.map(({ q, answers }) => {
    const answers_ = squadJudge(answers);
    return { q, judge: (answer) => answer.answers.findIndex((item) => answers_(item.text)) };
  }),
  holdout.filter((item) => item.impossible).map(({ q }) => q),
);
const plain = plainMiniSearchHits(squadKnowledge.sentences, answerable);
console.log(`SQuAD 2.0 holdout (${squadKnowledge.sentences.length} sentences)`);
console.log(line('  engine', squadReport));
console.log(
  `${'  plain MiniSearch'.padEnd(22)} ${String(answerable.length).padStart(3)} q   hit@1 ${pct(plain.hitAt1)}   hit@3 ${pct(plain.hitAt3)}   (never says not found)`,
);
console.log(offLine('  unanswerable', squadReport));
