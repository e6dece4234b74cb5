/**
 * `npm run eval`: answer quality on the golden set, for direct questions (the
 * asserted floors apply to these), free paraphrases, and both together.
 * `-- --verbose` lists every miss and every off-topic question answered.
 */
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/engine.ts';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import { evaluate, loadGoldenSet, splitByOverlap, type EvalReport } from './evaluate.ts';

const knowledgeDir =
  process.env.KNOWLEDGE_DIR ?? fileURLToPath(new URL('../../knowledge', import.meta.url));
const verbose = process.argv.includes('--verbose');
const knowledge = await loadKnowledge(knowledgeDir);
const engine = createEngine(knowledge);
const golden = loadGoldenSet();
const { direct, paraphrase } = splitByOverlap(golden, knowledge);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
const line = (label: string, r: EvalReport) =>
  `${label.padEnd(11)} ${String(r.answerable).padStart(3)} q   hit@1 ${pct(r.hitAt1)}   hit@3 ${pct(r.hitAt3)}   MRR ${r.mrr.toFixed(3)}   false abstention ${pct(r.falseAbstention)}`;

const all = evaluate(engine, golden);
if (verbose) {
  for (const miss of all.misses) console.log(`miss      ${miss.question}\n      got ${miss.got}`);
  for (const miss of all.wronglyAnswered)
    console.log(`answered  ${miss.question}\n      got ${miss.got}`);
  console.log();
}
console.log(line('direct', evaluate(engine, { ...golden, answerable: direct })));
console.log(line('paraphrase', evaluate(engine, { ...golden, answerable: paraphrase })));
console.log(line('all', all));
console.log(
  `off-topic   ${String(all.offTopic).padStart(3)} q   abstained ${pct(all.offTopicAbstention)}`,
);
