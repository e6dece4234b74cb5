/**
 * `npm run eval`: answer quality on the golden set. `--verbose` lists every miss.
 */
import { loadEngine } from '../../src/engine.ts';
import { evaluate, loadGoldenSet } from './evaluate.ts';

const knowledgeDir =
  process.env.KNOWLEDGE_DIR ?? new URL('../../knowledge', import.meta.url).pathname;
const verbose = process.argv.includes('--verbose');
const engine = await loadEngine(knowledgeDir);
const report = evaluate(engine, loadGoldenSet());

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
if (verbose) {
  for (const miss of report.misses)
    console.log(`miss      ${miss.question}\n      got ${miss.got}`);
  for (const miss of report.wronglyAnswered)
    console.log(`answered  ${miss.question}\n      got ${miss.got}`);
  console.log();
}
console.log(`golden set: ${report.answerable} answerable, ${report.offTopic} off-topic questions`);
console.log(
  `hit@1 ${pct(report.hitAt1)}   hit@3 ${pct(report.hitAt3)}   MRR ${report.mrr.toFixed(3)}`,
);
console.log(
  `off-topic abstention ${pct(report.offTopicAbstention)}   false abstention ${pct(report.falseAbstention)}`,
);
