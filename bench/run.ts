/**
 * Benchmark: the engine (createEngine) against plain MiniSearch with default
 * options over the same sentences of deterministic synthetic news corpora.
 *
 *   npx tsx bench/run.ts                      100, 1,000 and 10,000 articles, 2,000 questions each
 *   npx tsx bench/run.ts --quick              100 and 1,000 articles, 500 questions (< 1 min)
 *   npx tsx bench/run.ts --sizes 100,5000 --questions 3000 --json
 *
 * Each side of each size runs in a fresh process (`node --expose-gc --import
 * tsx bench/worker.ts`), one after the other, so heap and RSS are that side's
 * alone and gc() is always available. The corpus and the questions come from a
 * seeded generator (bench/corpus.ts): both sides see exactly the same input.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import type { CorpusStats } from './corpus.ts';
import {
  ROOT,
  runWorker,
  WORKER,
  WORKER_NODE_ARGS,
  type Side,
  type WorkerResult,
} from './protocol.ts';
import { fmt, MB, ratio, table, type LatencySummary } from './stats.ts';
import { measureSeeds, type SeedFigures } from './seeds.ts';

/** What each side is judged on at 10,000 articles. */
const TARGET_SIZE = 10_000;
const TARGETS = {
  loadAndBuildS: 15,
  heapMB: 600,
  restartS: 2,
  answerP99Ms: 25,
  suggestP99Ms: 5,
} as const;

interface SideFigures {
  /** Articles → sentences (clean + segment), the same for both sides. */
  readonly loadMs?: number;
  readonly buildMs?: number;
  /** Heap used after the build (after GC), corpus and questions included. */
  readonly heapUsedMB?: number;
  /** Heap used after the build minus heap used just before it: the index itself. */
  readonly heapDeltaMB?: number;
  readonly rssMB?: number;
  readonly terms?: number;
  readonly serializedMB?: number;
  readonly serializeMs?: number;
  readonly loadJSONMs?: number;
  readonly indexCacheMB?: number;
  readonly indexCacheRestoreMs?: number;
  /** A fresh process restoring the snapshot file (the engine's restart with unchanged knowledge). */
  readonly restartMs?: number;
  readonly restartHeapMB?: number;
  readonly answer?: LatencySummary;
  /** Share of questions answered (engine) or with any result (baseline), %. */
  readonly answeredPct?: number;
  readonly suggest?: LatencySummary;
  readonly suggestChoices?: number;
  /** Adding one article until it answers (engine: Engine.withArticle; baseline: MiniSearch addAll). */
  readonly add?: LatencySummary;
  readonly addAnswerable?: string;
  readonly wallS: number;
  readonly error?: string;
}

interface Target {
  readonly name: string;
  readonly limit: string;
  readonly value: number | undefined;
  readonly pass: boolean | undefined;
}

interface SizeResult {
  readonly articles: number;
  readonly corpus?: CorpusStats & { readonly sentencesPerArticle: number };
  readonly engine: SideFigures;
  readonly baseline: SideFigures;
  readonly ratio: Record<string, number | undefined>;
  readonly targets?: readonly Target[];
}

function figures(result: WorkerResult): SideFigures {
  const { corpus, build, serialize, answer, suggest, add } = result.phases;
  const questions = answer?.latency.n ?? 0;
  return {
    ...(corpus && { loadMs: corpus.prepareMs }),
    ...(build && {
      buildMs: build.buildMs,
      heapUsedMB: build.after.heapUsedMB,
      heapDeltaMB: build.after.heapUsedMB - build.before.heapUsedMB,
      rssMB: build.after.rssMB,
      terms: build.terms,
    }),
    ...(serialize && {
      serializedMB: serialize.bytes / MB,
      serializeMs: serialize.serializeMs,
      loadJSONMs: serialize.loadMs,
      ...(serialize.cacheBytes !== undefined && {
        indexCacheMB: serialize.cacheBytes / MB,
        indexCacheRestoreMs: serialize.cacheLoadMs,
      }),
    }),
    ...(answer && {
      answer: answer.latency,
      answeredPct: questions === 0 ? undefined : (100 * answer.hits) / questions,
    }),
    ...(suggest && { suggest: suggest.latency, suggestChoices: suggest.meanChoices }),
    ...(add && { add: add.latency, addAnswerable: `${add.answerable}/${add.latency.n}` }),
    wallS: result.wallMs / 1000,
    ...(result.error !== undefined && { error: result.error }),
  };
}

function loadAndBuildS(side: SideFigures): number | undefined {
  return side.loadMs !== undefined && side.buildMs !== undefined
    ? (side.loadMs + side.buildMs) / 1000
    : undefined;
}

function targetsFor(engine: SideFigures, baseline: SideFigures): Target[] {
  const check = (
    name: string,
    limit: string,
    value: number | undefined,
    max: number | undefined,
  ) => ({
    name,
    limit,
    value,
    pass: value === undefined || max === undefined ? undefined : value <= max,
  });
  return [
    check(
      'load + build',
      `≤ ${TARGETS.loadAndBuildS} s`,
      loadAndBuildS(engine),
      TARGETS.loadAndBuildS,
    ),
    check('heap used', `≤ ${TARGETS.heapMB} MB`, engine.heapUsedMB, TARGETS.heapMB),
    check(
      'restart',
      `≤ ${TARGETS.restartS} s`,
      engine.restartMs && engine.restartMs / 1000,
      TARGETS.restartS,
    ),
    check('answer p99', `≤ ${TARGETS.answerP99Ms} ms`, engine.answer?.p99, TARGETS.answerP99Ms),
    check('suggest p99', `≤ ${TARGETS.suggestP99Ms} ms`, engine.suggest?.p99, TARGETS.suggestP99Ms),
    check('answer p99 vs search p99', '≤ baseline', engine.answer?.p99, baseline.answer?.p99),
  ];
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / MB),
    heapLimitMB: Math.round(getHeapStatistics().heap_size_limit / MB),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** Which engine was measured: the commit, and engine files changed since (others edit concurrently). */
function source(): { commit: string; uncommitted: string[] } {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', ROOT, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  try {
    const commit = git('rev-parse', '--short', 'HEAD').trim();
    const uncommitted = git('status', '--porcelain', '--', 'src', 'knowledge')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    return { commit, uncommitted };
  } catch {
    return { commit: 'unknown (not a git checkout)', uncommitted: [] };
  }
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(k?)$/i.exec(text.trim().replace(/_/g, ''));
  if (!match) throw new Error(`--sizes: "${text}" is not a number of articles`);
  const n = Math.round(Number(match[1]) * (match[2] ? 1000 : 1));
  if (n < 1) throw new Error('--sizes: at least one article');
  return n;
}

function renderSize(r: SizeResult): string {
  const e = r.engine;
  const b = r.baseline;
  const c = r.corpus;
  const out: string[] = [];
  out.push(`== ${r.articles.toLocaleString('en-US')} articles ==`);
  if (c) {
    out.push(
      `corpus: ${c.articles.toLocaleString('en-US')} articles (${c.realArticles} real), ` +
        `${c.sentences.toLocaleString('en-US')} sentences (${fmt(c.sentencesPerArticle, 1)}/article), ` +
        `${c.words.toLocaleString('en-US')} words, ${fmt(c.bodyChars / MB, 1)} MB of text; ` +
        `generated in ${fmt(c.generateMs / 1000, 2)} s, loaded (sentencesOf) in ${fmt(c.prepareMs / 1000, 2)} s`,
    );
  }
  const ms = (x: number | undefined) => fmt(x, x !== undefined && x < 10 ? 3 : 1);
  type Row = [string, number | undefined, number | undefined, (x: number | undefined) => string];
  const rows: Row[] = [
    ['distinct terms', e.terms, b.terms, (x) => fmt(x, 0)],
    ['build (s)', e.buildMs && e.buildMs / 1000, b.buildMs && b.buildMs / 1000, (x) => fmt(x, 2)],
    ['load + build (s)', loadAndBuildS(e), loadAndBuildS(b), (x) => fmt(x, 2)],
    ['heap used after build (MB)', e.heapUsedMB, b.heapUsedMB, (x) => fmt(x, 1)],
    ['  of which the index (MB)', e.heapDeltaMB, b.heapDeltaMB, (x) => fmt(x, 1)],
    ['RSS after build (MB)', e.rssMB, b.rssMB, (x) => fmt(x, 1)],
    ['MiniSearch JSON (MB)', e.serializedMB, b.serializedMB, (x) => fmt(x, 2)],
    ['  JSON.stringify (ms)', e.serializeMs, b.serializeMs, ms],
    ['  MiniSearch.loadJSON (ms)', e.loadJSONMs, b.loadJSONMs, ms],
    ['index cache snapshot (MB)', e.indexCacheMB, undefined, (x) => fmt(x, 2)],
    ['  decodeSnapshot in the build process (ms)', e.indexCacheRestoreMs, undefined, ms],
    ['restart: fresh process reads + decodes (ms)', e.restartMs, undefined, ms],
    ['  heap after restart (MB)', e.restartHeapMB, undefined, (x) => fmt(x, 1)],
    ['answer / search p50 (ms)', e.answer?.p50, b.answer?.p50, ms],
    ['answer / search p90 (ms)', e.answer?.p90, b.answer?.p90, ms],
    ['answer / search p99 (ms)', e.answer?.p99, b.answer?.p99, ms],
    ['answer / search max (ms)', e.answer?.max, b.answer?.max, ms],
    ['answered / any result (%)', e.answeredPct, b.answeredPct, (x) => fmt(x, 1)],
    ['suggest / autoSuggest p50 (ms)', e.suggest?.p50, b.suggest?.p50, ms],
    ['suggest / autoSuggest p99 (ms)', e.suggest?.p99, b.suggest?.p99, ms],
    ['suggest / autoSuggest max (ms)', e.suggest?.max, b.suggest?.max, ms],
    ['choices per suggestion', e.suggestChoices, b.suggestChoices, (x) => fmt(x, 1)],
    ['add one article → answerable p50 (ms)', e.add?.p50, b.add?.p50, ms],
    ['add one article → answerable max (ms)', e.add?.max, b.add?.max, ms],
  ];
  const targetOf = new Map<string, Target[]>();
  const attach = (row: string, target: Target | undefined) => {
    if (target) targetOf.set(row, [...(targetOf.get(row) ?? []), target]);
  };
  const t = r.targets;
  if (t) {
    attach('load + build (s)', t[0]);
    attach('heap used after build (MB)', t[1]);
    attach('restart: fresh process reads + decodes (ms)', t[2]);
    attach('answer / search p99 (ms)', t[3]);
    attach('suggest / autoSuggest p99 (ms)', t[4]);
    attach('answer / search p99 (ms)', t[5]);
  }
  const mark = (target: Target) =>
    `${target.limit} ${target.pass === undefined ? '?' : target.pass ? '✓' : '✗'}`;
  out.push(
    table(
      ['metric', 'engine', 'baseline', 'engine/baseline', ...(t ? ['target (10k)'] : [])],
      rows.map(([name, engine, baseline, format]) => {
        const q = ratio(engine, baseline);
        return [
          name,
          format(engine),
          format(baseline),
          q === undefined ? '' : `${fmt(q, 2)}x`,
          ...(t ? [(targetOf.get(name) ?? []).map(mark).join(', ')] : []),
        ];
      }),
    ),
  );
  const questions = e.answer?.n ?? b.answer?.n;
  out.push(
    `timed calls: ${questions ?? 'n/a'} questions and as many partial inputs per side; ` +
      `worker wall time: engine ${fmt(e.wallS, 1)} s, baseline ${fmt(b.wallS, 1)} s`,
  );
  if (e.addAnswerable !== undefined || b.addAnswerable !== undefined) {
    out.push(
      `added articles whose own question they answered first: engine ${e.addAnswerable ?? 'n/a'}, ` +
        `baseline ${b.addAnswerable ?? 'n/a'} (a full rebuild instead: the load + build row)`,
    );
  }
  for (const [side, f] of [
    ['engine', e],
    ['baseline', b],
  ] as const) {
    if (f.error) out.push(`!! ${side} worker ${f.error}; figures above are those measured before.`);
  }
  if (t) {
    const failed = t.filter((x) => x.pass === false).length;
    out.push(
      `targets at ${r.articles.toLocaleString('en-US')} articles: ${t.length - failed}/${t.length} met`,
    );
  }
  return out.join('\n');
}

function renderSeeds(seeds: SeedFigures): string {
  const row = (name: string, l: LatencySummary) => [
    name,
    String(l.n),
    fmt(l.p50, 3),
    fmt(l.p99, 3),
    fmt(l.max, 3),
  ];
  return [
    `== the real articles (knowledge/, ${seeds.sentences} sentences): engine answer latency (ms)`,
    table(
      ['questions', 'answers', 'p50', 'p99', 'max'],
      [
        row('first time (golden questions, nothing remembered)', seeds.firstTime),
        row('asked again (the answer cache, as the bot runs)', seeds.askedAgain),
      ],
    ),
    `answers from the cache identical to computed ones: ${seeds.sameAnswers ? 'yes' : 'NO'}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      questions: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'timeout-min': { type: 'string', default: '30' },
    },
  });
  const quick = values.quick;
  const sizes = (values.sizes ?? (quick ? '100,1000' : '100,1000,10000')).split(',').map(parseSize);
  const questions = Number(values.questions ?? (quick ? 500 : 2000));
  const warmup = Number(values.warmup ?? (quick ? 30 : 200));
  const seed = Number(values.seed);
  const timeoutMs = Number(values['timeout-min']) * 60_000;

  const command = ['node', ...process.execArgv, ...process.argv.slice(1)].join(' ');
  const worker = ['node', ...WORKER_NODE_ARGS, WORKER].join(' ');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`runner: ${command}`);
  log(`each side runs alone in: ${worker} --side engine|baseline --articles N …`);

  const measured = source();
  const sourceLine =
    `engine source: ${measured.commit}` +
    (measured.uncommitted.length > 0 ? ` + uncommitted ${measured.uncommitted.join(', ')}` : '');
  log(sourceLine);

  const started = performance.now();
  const results: SizeResult[] = [];
  let gc = true;
  for (const articles of sizes) {
    const sideArgs = (side: Side) => [
      '--side',
      side,
      '--articles',
      String(articles),
      '--questions',
      String(questions),
      '--warmup',
      String(warmup),
      '--seed',
      String(seed),
      // Serialization is timed as the median of 3 where that is cheap.
      '--repeats',
      String(!quick && articles <= 1000 ? 3 : 1),
      // --quick leaves out the engine's whole-index cache figures to stay under a minute.
      ...(quick ? ['--skip-index-cache'] : []),
    ];
    log(`-- ${articles.toLocaleString('en-US')} articles`);
    // The engine worker prepares the corpus the engine's way and leaves it for the baseline worker.
    const corpusFile = join(tmpdir(), `talks-bot-bench-${process.pid}-${articles}.json`);
    const snapshotFile = join(tmpdir(), `talks-bot-bench-${process.pid}-${articles}.bin`);
    let engineRun: WorkerResult;
    let restartRun: WorkerResult | undefined;
    let baselineRun: WorkerResult;
    try {
      engineRun = await runWorker(
        [
          ...sideArgs('engine'),
          '--save-corpus',
          corpusFile,
          ...(quick ? [] : ['--save-snapshot', snapshotFile]),
        ],
        { timeoutMs },
      );
      if (!quick) {
        restartRun = await runWorker(['--side', 'restart', '--load-snapshot', snapshotFile], {
          timeoutMs,
        });
      }
      baselineRun = await runWorker([...sideArgs('baseline'), '--load-corpus', corpusFile], {
        timeoutMs,
      });
    } finally {
      rmSync(corpusFile, { force: true });
      rmSync(snapshotFile, { force: true });
    }
    const corpus = [engineRun.phases.corpus, baselineRun.phases.corpus].find((c) => c && !c.reused);
    if (corpus && !corpus.gc) gc = false;
    const restarted = restartRun?.phases.restart;
    const engine: SideFigures = {
      ...figures(engineRun),
      ...(restarted && {
        restartMs: restarted.restartMs,
        restartHeapMB: restarted.heapUsedMB,
      }),
    };
    const baseline = figures(baselineRun);
    const result: SizeResult = {
      articles,
      ...(corpus && {
        corpus: {
          articles: corpus.articles,
          realArticles: corpus.realArticles,
          sentences: corpus.sentences,
          words: corpus.words,
          bodyChars: corpus.bodyChars,
          problems: corpus.problems,
          generateMs: corpus.generateMs,
          prepareMs: corpus.prepareMs,
          sentencesPerArticle: corpus.sentences / corpus.articles,
        },
      }),
      engine,
      baseline,
      ratio: {
        buildMs: ratio(engine.buildMs, baseline.buildMs),
        heapUsedMB: ratio(engine.heapUsedMB, baseline.heapUsedMB),
        heapDeltaMB: ratio(engine.heapDeltaMB, baseline.heapDeltaMB),
        rssMB: ratio(engine.rssMB, baseline.rssMB),
        serializedMB: ratio(engine.serializedMB, baseline.serializedMB),
        loadJSONMs: ratio(engine.loadJSONMs, baseline.loadJSONMs),
        answerP50: ratio(engine.answer?.p50, baseline.answer?.p50),
        answerP99: ratio(engine.answer?.p99, baseline.answer?.p99),
        suggestP50: ratio(engine.suggest?.p50, baseline.suggest?.p50),
        suggestP99: ratio(engine.suggest?.p99, baseline.suggest?.p99),
      },
      ...(articles >= TARGET_SIZE && { targets: targetsFor(engine, baseline) }),
    };
    results.push(result);
    if (!values.json) process.stdout.write(`\n${renderSize(result)}\n`);
  }
  const seeds = await measureSeeds();
  if (!values.json) process.stdout.write(`\n${renderSeeds(seeds)}\n`);
  const totalS = (performance.now() - started) / 1000;

  const run = {
    source: measured,
    command,
    worker,
    gc,
    quick,
    sizes,
    questions,
    warmup,
    seed,
    totalSeconds: Math.round(totalS * 10) / 10,
  };
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ machine: machine(), run, results, seeds }, null, 2)}\n`,
    );
    return;
  }
  const m = machine();
  process.stdout.write(
    [
      '',
      sourceLine,
      `machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.totalMemoryMB / 1024, 1)} GB, ${m.os}; node ${m.node}`,
      `ran: ${command}; each side in its own process: ${worker}` +
        (gc ? ' (heap after global.gc())' : ' (gc() NOT available: heap figures include garbage)'),
      `total ${fmt(totalS, 1)} s. Ratios are engine/baseline; ` +
        `heap "of which the index" = heap after build − heap before it (same corpus and questions on both sides).`,
      ...(quick ? ['--quick skips the index cache figures (serializeIndex/restoreIndex).'] : []),
      ...(results.some((r) => r.targets)
        ? []
        : [`targets apply at ${TARGET_SIZE.toLocaleString('en-US')} articles (not in this run).`]),
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
