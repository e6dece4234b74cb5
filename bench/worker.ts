/**
 * One side of one benchmark size, in a process of its own so that heap and RSS
 * figures belong to that side alone. Started by bench/run.ts as
 *
 *   node --expose-gc --import tsx bench/worker.ts --side engine|baseline --articles N
 *        [--questions Q] [--warmup W] [--repeats R] [--seed S] [--only answer]
 *        [--save-corpus FILE | --load-corpus FILE] [--skip-index-cache] [--save-snapshot FILE]
 *   node --expose-gc --import tsx bench/worker.ts --side restart --load-snapshot FILE
 *
 * The restart side is a bot starting with unchanged knowledge: a fresh process
 * reads the engine worker's snapshot file and restores the engine from it.
 *
 * Each finished phase is written to stdout as one line, `@@bench {json}`, so a
 * crash (out of memory) still leaves the figures measured before it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadVocabulary, VOCABULARY_FILE } from '../src/knowledge/vocabulary.ts';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { createEngine } from '../src/engine/engine.ts';
import { decodeSnapshot, encodeSnapshot } from '../src/engine/snapshot.ts';
import { sentencesOf, withoutBodies } from '../src/knowledge/load.ts';
import type { Article } from '../src/knowledge/types.ts';
import { DEFAULT_ANSWER_OPTIONS } from '../src/search/answer/options.ts';
import { miniSearchOptions } from '../src/search/index/sentence-index.ts';
import {
  buildCorpus,
  KNOWLEDGE_DIR,
  loadGoldenQuestions,
  loadSavedCorpus,
  makeWorkload,
  saveCorpus,
} from './corpus.ts';
import { PHASE_MARKER, type MemoryFigures, type RestartFigures, type Side } from './protocol.ts';
import { MB, msSince, summarize } from './stats.ts';

function emit(phase: string, data: object): void {
  process.stdout.write(`${PHASE_MARKER}${JSON.stringify({ phase, ...data })}\n`);
}

function progress(message: string): void {
  process.stderr.write(`    ${message}\n`);
}

/** Memory after a full collection (when --expose-gc is on). */
function memory(): MemoryFigures {
  for (let i = 0; i < 2; i++) globalThis.gc?.();
  const m = process.memoryUsage();
  return { heapUsedMB: m.heapUsed / MB, rssMB: m.rss / MB, externalMB: m.external / MB };
}

/** Median wall time of `times` runs of `fn`, in ms. */
function timeMedian(times: number, fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(msSince(start));
  }
  return summarize(samples).p50;
}

/** Times every call of `fn` over `inputs`, after running it over `warmup`. */
function timeEach<T>(warmup: readonly string[], inputs: readonly string[], fn: (x: string) => T) {
  for (const input of warmup) fn(input);
  const samples: number[] = [];
  const results: T[] = [];
  // Monotonic µs, the clock of --cpu-prof's timestamps: bench/profile.ts keeps only this stretch.
  const timedFromUs = Number(process.hrtime.bigint() / 1000n);
  for (const input of inputs) {
    const start = process.hrtime.bigint();
    const result = fn(input);
    samples.push(msSince(start));
    results.push(result);
  }
  const timedToUs = Number(process.hrtime.bigint() / 1000n);
  return { latency: summarize(samples), results, timedFromUs, timedToUs };
}

interface Search {
  ask(question: string): boolean;
  suggest(partial: string): number;
  /** Adds an article to the index, then asks what only it answers: whether it did. */
  addAndAsk(article: Article, question: string): boolean;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      side: { type: 'string' },
      articles: { type: 'string' },
      questions: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string' },
      warmup: { type: 'string', default: '200' },
      repeats: { type: 'string', default: '1' },
      'save-corpus': { type: 'string' },
      'skip-index-cache': { type: 'boolean', default: false },
      'save-snapshot': { type: 'string' },
      'load-snapshot': { type: 'string' },
      'load-corpus': { type: 'string' },
    },
  });
  if (values.side === 'restart') return restart(values['load-snapshot']);
  const side = values.side as Side;
  if (side !== 'engine' && side !== 'baseline') throw new Error('--side engine|baseline|restart');
  const articleCount = Number(values.articles);
  const questionCount = Number(values.questions);
  const seed = Number(values.seed);
  const onlyAnswer = values.only === 'answer';

  const saved = values['load-corpus'];
  const reused = saved !== undefined && existsSync(saved);
  const corpus = reused ? await loadSavedCorpus(saved) : await buildCorpus(articleCount, seed);
  // The baseline worker reads the prepared corpus instead of redoing it.
  if (values['save-corpus'] && !reused) saveCorpus(corpus, values['save-corpus']);
  // A running bot keeps no article bodies once they are split into sentences: neither do the
  // sides here (the corpus itself is not referenced past this point).
  const knowledge = { ...corpus.knowledge, articles: withoutBodies(corpus.knowledge.articles) };
  const { stats } = corpus;
  emit('corpus', { ...stats, gc: typeof globalThis.gc === 'function', reused });
  progress(
    `${side}: ${stats.articles} articles, ${stats.sentences} sentences ` +
      (reused
        ? '(prepared by the engine worker)'
        : `(generated ${(stats.generateMs / 1000).toFixed(1)} s, ` +
          `sentencesOf ${(stats.prepareMs / 1000).toFixed(1)} s)`),
  );
  const golden = loadGoldenQuestions();
  const work = makeWorkload(knowledge, golden, questionCount, seed);
  const warmup = makeWorkload(knowledge, golden, Number(values.warmup), seed + 7919);

  const before = memory();
  const repeats = Math.max(1, Number(values.repeats));
  let search: Search;

  if (side === 'engine') {
    let start = process.hrtime.bigint();
    // No answer cache: the figures are the work of answering, not of remembering.
    const engine = createEngine(knowledge, { answerCache: 0 });
    const buildMs = msSince(start);
    const after = memory();
    emit('build', {
      buildMs,
      before,
      after,
      terms: engine.index.documentFrequency.size,
      miniSearchTerms: engine.index.search.termCount,
    });
    progress(`engine: built in ${(buildMs / 1000).toFixed(2)} s`);

    if (!onlyAnswer) {
      // The MiniSearch instance alone (comparable with the baseline) …
      let json = '';
      const serializeMs = timeMedian(repeats, () => (json = JSON.stringify(engine.index.search)));
      const options = miniSearchOptions();
      const loadMs = timeMedian(repeats, () => void MiniSearch.loadJSON(json, options));
      const bytes = Buffer.byteLength(json);
      json = '';
      // … and the whole engine as the index cache saves it: restoring it is a restart.
      let cacheFigures = {};
      if (!values['skip-index-cache']) {
        start = process.hrtime.bigint();
        let snapshot: Uint8Array | undefined = encodeSnapshot('bench', knowledge, engine);
        const cacheSerializeMs = msSince(start);
        const cacheBytes = snapshot.byteLength;
        const expected = {
          fingerprint: 'bench',
          vocabulary: knowledge.vocabulary,
          options: DEFAULT_ANSWER_OPTIONS,
        };
        const cacheLoadMs = timeMedian(
          repeats,
          () => void decodeSnapshot(snapshot as Uint8Array, expected),
        );
        if (values['save-snapshot']) writeFileSync(values['save-snapshot'], snapshot);
        snapshot = undefined;
        cacheFigures = { cacheBytes, cacheSerializeMs, cacheLoadMs };
      }
      emit('serialize', { bytes, serializeMs, loadMs, ...cacheFigures });
      progress(
        `engine: serialized ${(bytes / MB).toFixed(1)} MB, loadJSON ${loadMs.toFixed(0)} ms`,
      );
    }
    let current = engine;
    search = {
      ask: (q) => engine.answer(q).answered,
      suggest: (p) => engine.suggest(p).length,
      addAndAsk(article, question) {
        current = current.withArticle(article);
        return (
          current.answer(question).answers[0]?.sources.some((s) => s.title === article.title) ??
          false
        );
      },
    };
  } else {
    const start = process.hrtime.bigint();
    const ms = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: [] });
    ms.addAll(knowledge.sentences.map((s) => ({ id: s.id, text: s.text })));
    const buildMs = msSince(start);
    const after = memory();
    emit('build', { buildMs, before, after, terms: ms.termCount, miniSearchTerms: ms.termCount });
    progress(`baseline: built in ${(buildMs / 1000).toFixed(2)} s`);

    if (!onlyAnswer) {
      let json = '';
      const serializeMs = timeMedian(repeats, () => (json = JSON.stringify(ms)));
      const options = { fields: ['text'], storeFields: [] };
      const loadMs = timeMedian(repeats, () => void MiniSearch.loadJSON(json, options));
      const bytes = Buffer.byteLength(json);
      json = '';
      emit('serialize', { bytes, serializeMs, loadMs });
      progress(
        `baseline: serialized ${(bytes / MB).toFixed(1)} MB, loadJSON ${loadMs.toFixed(0)} ms`,
      );
    }
    let nextId = knowledge.sentences.length;
    search = {
      ask: (q) => ms.search(q).length > 0,
      suggest: (p) => ms.autoSuggest(p).length,
      addAndAsk(article, question) {
        const sentences = sentencesOf(article, knowledge.pipeline, nextId);
        nextId += sentences.length;
        ms.addAll(sentences.map((s) => ({ id: s.id, text: s.text })));
        const first = ms.search(question)[0];
        return first !== undefined && (first.id as number) >= sentences[0]!.id;
      },
    };
  }

  const asked = timeEach(warmup.questions, work.questions, search.ask);
  emit('answer', {
    latency: asked.latency,
    timedFromUs: asked.timedFromUs,
    timedToUs: asked.timedToUs,
    hits: asked.results.filter(Boolean).length,
    mix: work.mix,
  });
  progress(
    `${side}: answer p50 ${asked.latency.p50.toFixed(3)} ms, p99 ${asked.latency.p99.toFixed(3)} ms`,
  );
  if (onlyAnswer) return;

  const suggested = timeEach(warmup.partials, work.partials, search.suggest);
  emit('suggest', {
    latency: suggested.latency,
    meanChoices: suggested.results.reduce((a, b) => a + b, 0) / suggested.results.length,
  });
  progress(
    `${side}: suggest p50 ${suggested.latency.p50.toFixed(3)} ms, p99 ${suggested.latency.p99.toFixed(3)} ms`,
  );

  // Last, because it changes the index: one article added at a time, until it answers.
  const addMs: number[] = [];
  let answerable = 0;
  for (let i = 0; i < ADDED_ARTICLES; i++) {
    const { article, question } = addedArticle(i);
    const start = process.hrtime.bigint();
    if (search.addAndAsk(article, question)) answerable += 1;
    addMs.push(msSince(start));
  }
  const added = summarize(addMs);
  emit('add', { latency: added, answerable });
  progress(
    `${side}: add → answerable p50 ${added.p50.toFixed(1)} ms, max ${added.max.toFixed(1)} ms`,
  );
  emit('done', { final: memory() });
}

/** Articles the add phase brings, one at a time. */
const ADDED_ARTICLES = 10;

/** A new article about something no generated article mentions, and a question only it answers. */
function addedArticle(i: number): { article: Article; question: string } {
  const city = [
    'Izmir',
    'Bursa',
    'Antalya',
    'Konya',
    'Adana',
    'Trabzon',
    'Samsun',
    'Kayseri',
    'Mersin',
    'Eskisehir',
  ][i % 10]!;
  const keepers = 311 + 17 * i;
  return {
    article: {
      id: `zz-added-${i}`,
      file: `zz-added-${i}.md`,
      title: `Lighthouse keepers rally in ${city}`,
      body:
        `Observers counted ${keepers} lighthouse keepers at a rally in ${city} on Saturday. ` +
        `The lighthouse keepers in ${city} asked both delegations to keep the shipping lanes open.\n\n` +
        `Organisers in ${city} said the rally was the largest gathering of lighthouse keepers this year.`,
    },
    question: `how many lighthouse keepers rallied in ${city}`,
  };
}

/** Reads and restores a snapshot file the way start-up does, in a process that holds nothing else. */
async function restart(file: string | undefined): Promise<void> {
  if (!file) throw new Error('--side restart needs --load-snapshot FILE');
  const vocabulary = await loadVocabulary(join(KNOWLEDGE_DIR, VOCABULARY_FILE));
  const start = process.hrtime.bigint();
  const bytes = await readFile(file);
  const engine = decodeSnapshot(bytes, {
    fingerprint: 'bench',
    vocabulary,
    options: DEFAULT_ANSWER_OPTIONS,
  });
  const restartMs = msSince(start);
  if (typeof engine === 'string') throw new Error(`the snapshot is ${engine}`);
  const figures: RestartFigures = {
    restartMs,
    snapshotMB: bytes.byteLength / MB,
    heapUsedMB: memory().heapUsedMB,
    answered: engine.answer('how many prisoners were exchanged').answered,
  };
  emit('restart', figures);
  progress(`restart: snapshot restored in ${(restartMs / 1000).toFixed(2)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
