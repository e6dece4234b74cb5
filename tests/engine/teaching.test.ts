/**
 * Teaching always takes. A confirmed answer is looked up before any ranking:
 * its own question — and every close rewording of it — gets the confirmed
 * sentence first, confident and labelled, whatever the ranker would say.
 * Checked for every golden question, through SQLite and PostgreSQL as the
 * bot stores confirmations, and on generated rewordings of each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import type { Sentence } from '../../src/knowledge/types.ts';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import type { Confirmation } from '../../src/search/answer/learned.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { containsFacts, loadGoldenSet } from '../golden/evaluate.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';
import { postgresForThisFile } from '../helpers/postgres.ts';
import { REWORDINGS } from '../helpers/rewordings.ts';

let engine: Engine;
let sentences: readonly Sentence[];
const golden = loadGoldenSet();
beforeAll(async () => {
  engine = await openTestEngine(KNOWLEDGE_DIR);
  sentences = (await loadKnowledge(KNOWLEDGE_DIR)).sentences;
});

/** Each golden question with the first sentence that answers it. */
const taughtPairs = () =>
  golden.answerable.flatMap(({ q, accept }) => {
    const sentence = sentences.find((s) => containsFacts(s.text, accept));
    return sentence ? [{ question: q, sentence }] : [];
  });

const taught = (question: string, sentenceKey: string, id = 1, over: Partial<Confirmation> = {}) =>
  ({ id, question, sentenceKey, verdict: 'right', how: 'teach', ...over }) as Confirmation;

/** "The Russian delegation was headed by Vladimir Medinsky…": the sentence the issue taught. */
const medinsky = () =>
  engine.sentencesQuoting('delegation was headed by Vladimir Medinsky')[0]!.key;

/** First, confident and labelled confirmed with that sentence. */
const takes = (question: string, key: string, confirmations: readonly Confirmation[]) => {
  const answer = engine.answer(question, { learned: engine.learn(confirmations) });
  return answer.answers[0]?.key === key && answer.uncertain === undefined && !!answer.confirmed;
};

describe('a confirmed answer answers its own question', () => {
  it('for every golden question taught its own answer: first, confident and labelled', () => {
    const failing = taughtPairs()
      .filter(
        ({ question, sentence }) =>
          !takes(question, sentence.key, [taught(question, sentence.key)]),
      )
      .map(({ question }) => question);
    expect(failing).toEqual([]);
  });

  it('typed differently in case, punctuation, spacing and apostrophes', () => {
    const key = medinsky();
    const confirmations = [taught('who was the head of russias team', key)];
    for (const asked of [
      'who was the head of russias team',
      'Who was the head of Russia’s team?',
      "  WHO was the head of russia's   team!!",
    ]) {
      expect(takes(asked, key, confirmations), asked).toBe(true);
    }
  });

  it('the latest of several confirmations of one question wins; forgetting it restores the one before', () => {
    const question = 'who chaired the second meeting';
    const [first, second] = engine.answer('what did russia offer').answers;
    const older = taught(question, first!.key, 1, { createdAt: 1_000 });
    const newer = taught(question, second!.key, 2, { createdAt: 2_000 });
    expect(takes(question, second!.key, [older, newer])).toBe(true);
    expect(takes(question, first!.key, [older])).toBe(true);
  });

  it('a sentence marked wrong for a question is never first for that question', () => {
    const question = 'who chaired the second meeting';
    const before = engine.answer(question).answers[0]!.key;
    const wrong = taught(question, before, 1, { verdict: 'wrong' });
    const answer = engine.answer(question, { learned: engine.learn([wrong]) });
    expect(answer.answers[0]?.key).not.toBe(before);
  });
});

describe('close rewordings take it too', () => {
  it('typos, word order, filler, plural/singular, 2nd/second, contractions: ≥ 95% first and confident', () => {
    let asked = 0;
    let took = 0;
    const missed: string[] = [];
    taughtPairs().forEach(({ question, sentence }, n) => {
      const confirmations = [taught(question, sentence.key)];
      for (const [name, reword] of Object.entries(REWORDINGS)) {
        const rewording = reword(n)(question);
        if (rewording === undefined || rewording === question) continue;
        asked += 1;
        if (takes(rewording, sentence.key, confirmations)) took += 1;
        else missed.push(`${name}: ${rewording}`);
      }
    });
    expect(asked).toBeGreaterThan(1500);
    expect(took / asked, missed.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('a name written in full or in part', () => {
    const key = medinsky();
    const confirmations = [taught('what did vladimir medinsky say about the exchange', key)];
    expect(takes('what did medinsky say about the exchange', key, confirmations)).toBe(true);
    const reverse = [taught('what did medinsky say about the exchange', key)];
    expect(takes('what did vladimir medinsky say about the exchange', key, reverse)).toBe(true);
  });
});

const postgres = postgresForThisFile();

describe.each([
  ['SQLite', async (dataDir: string) => openStore({ dataDir })],
  [
    'PostgreSQL',
    async (dataDir: string) => openStore({ dataDir, databaseUrl: await postgres.createDatabase() }),
  ],
])('through the %s store, one question at a time', (_, open) => {
  let store: Store;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-teaching-'));
    store = await open(dataDir);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every golden question taught, read back, re-asked: first, confident and labelled', async () => {
    const scope = 'guild-teaching';
    const failing: string[] = [];
    for (const { question, sentence } of taughtPairs()) {
      const outcome = await store.confirmations.confirm({
        scope,
        question,
        sentenceKey: sentence.key,
        sentence: sentence.text,
        verdict: 'right',
        how: 'teach',
      });
      if (!outcome.ok) throw new Error('the store refused a confirmation');
      const confirmations = await store.confirmations.list(scope);
      if (!takes(question, sentence.key, confirmations)) failing.push(question);
      await store.confirmations.forget(scope, outcome.id);
    }
    expect(failing).toEqual([]);
  }, 120_000);
});
