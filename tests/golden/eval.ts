/**
 * `npm run eval`: answer quality on the golden set — training and validation
 * splits, the measured direct/paraphrase tiers, each kind of question, and the
 * off-topic questions — and on the SQuAD holdout against plain MiniSearch.
 * `-- --verbose` lists every validation miss and every off-topic question
 * answered; `-- --readme` also writes README's quality table from these figures.
 */
import { fileURLToPath } from 'node:url';
import type { EvalReport } from './evaluate.ts';
import { measureQuality, type SplitFigures } from './report.ts';
import { writeQualityTable } from '../readme/update.ts';
import { SQUAD_MISSING } from './squad.ts';

const knowledgeDir =
  process.env.KNOWLEDGE_DIR ?? fileURLToPath(new URL('../../knowledge', import.meta.url));
const verbose = process.argv.includes('--verbose');

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
const line = (label: string, r: EvalReport) =>
  `${label.padEnd(22)} ${String(r.answerable).padStart(3)} q   hit@1 ${pct(r.hitAt1)}   hit@3 ${pct(r.hitAt3)}   not found ${pct(r.notFound)}   confident right ${pct(r.confidentPrecision)} (${r.confidentAnswers})`;
const offLine = (label: string, r: EvalReport) =>
  `${label.padEnd(22)} ${String(r.offTopic).padStart(3)} q   not found ${pct(r.offTopicNotFound)}   confident ${pct(r.offTopicConfident)}`;

function printSplit(name: string, figures: SplitFigures): void {
  console.log(`golden ${name}`);
  console.log(line('  all answerable', figures.all));
  console.log(line('  direct', figures.direct));
  console.log(line('  paraphrase', figures.paraphrase));
  for (const [kind, report] of figures.kinds) console.log(line(`  kind ${kind}`, report));
  console.log(offLine('  off-topic', figures.all));
  console.log(offLine('  off-topic near-topic', figures.nearTopic));
  console.log(offLine('  off-topic unrelated', figures.unrelated));
  const { learning } = figures;
  console.log(`  with one phrasing of each of ${learning.taught} facts confirmed:`);
  console.log(line('    other phrasings', learning));
  console.log(offLine('    off-topic', learning));
}

const figures = await measureQuality(knowledgeDir);
printSplit('training', figures.training);
printSplit('validation', figures.validation);
if (verbose) {
  for (const miss of figures.validation.all.misses) {
    console.log(`  miss (${miss.outcome}) ${miss.question}\n      got ${miss.got}`);
  }
  for (const miss of figures.validation.all.wronglyAnswered) {
    console.log(`  answered (${miss.outcome}) ${miss.question}\n      got ${miss.got}`);
  }
}
const { structure } = figures;
console.log(
  `sentence reader vs hand labels (${structure.sentences} sentences): ordinals ${structure.ordinals.right}/${structure.ordinals.total}, values found ${structure.values.found}/${structure.values.total}, attached ${structure.values.attached}/${structure.values.found}, sides ${structure.sides.right}/${structure.sides.total}, ${structure.msPerSentence.toFixed(2)} ms a sentence`,
);
if (figures.squad) {
  const { engine, plain, sentences } = figures.squad;
  console.log(`SQuAD 2.0 holdout (${sentences} sentences)`);
  console.log(line('  engine', engine));
  console.log(
    `${'  plain MiniSearch'.padEnd(22)} ${String(engine.answerable).padStart(3)} q   hit@1 ${pct(plain.hitAt1)}   hit@3 ${pct(plain.hitAt3)}   (never says not found)`,
  );
  console.log(offLine('  unanswerable', engine));
  const { short } = figures.squad;
  console.log(
    `  short answers: ${short.given} of ${short.asking} phrase questions given one, ${pct(short.givenF1AtLeast60)} of those with F1 ≥ 60% (mean ${pct(short.givenF1)}); all answerable EM ${pct(short.em)} F1 ${pct(short.f1)} (SQuAD logistic regression, dev: EM 40.4 F1 51.0)`,
  );
} else {
  console.log(SQUAD_MISSING);
}
if (process.argv.includes('--readme')) {
  console.log(await writeQualityTable(figures));
}
