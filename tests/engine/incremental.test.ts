/**
 * Engine.withArticle: one article added to a built index without rebuilding
 * it. Compared with a full build of the same articles (what the library swaps
 * in afterwards), on the real articles: each one left out, then added back.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { openEngine } from '../../src/engine/open.ts';
import { isArticleFile } from '../../src/knowledge/load.ts';
import { parseKnowledgeFile } from '../../src/knowledge/parse.ts';
import type { Article } from '../../src/knowledge/types.ts';
import { WordCounts } from '../../src/search/index/word-counts.ts';
import type { Answer } from '../../src/search/types.ts';
import { loadGoldenSet } from '../golden/evaluate.ts';
import { article as articleText, KNOWLEDGE_DIR } from '../helpers/knowledge.ts';

const FILES = readdirSync(KNOWLEDGE_DIR).filter(isArticleFile).sort();
const golden = loadGoldenSet();
const QUESTIONS = [...golden.answerable.map((q) => q.q), ...golden.offTopic.map((q) => q.q)];

function parsed(file: string, text = readFileSync(join(KNOWLEDGE_DIR, file), 'utf8')): Article {
  const result = parseKnowledgeFile(file.replace(/\.[^.]+$/, ''), file, text);
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.article;
}

/** The engine over the real articles without `files`. */
async function engineWithout(...files: string[]): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'talks-bot-incremental-'));
  try {
    cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
    for (const file of files) rmSync(join(dir, file));
    return (await openEngine(dir)).engine;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a member sees of an answer. */
const seen = (answer: Answer) =>
  JSON.stringify({
    answered: answer.answered,
    uncertain: answer.uncertain ?? false,
    confidence: answer.confidence,
    answers: answer.answers.map((a) => [a.text, a.sources.map((s) => s.title)]),
  });

let full: Engine;
beforeAll(async () => {
  full = (await openEngine(KNOWLEDGE_DIR)).engine;
});

describe('Engine.withArticle', () => {
  it('answers as a full build does, whichever article comes last', async () => {
    const differing: string[] = [];
    for (const file of FILES) {
      const base = await engineWithout(file);
      // Answered before the add, as a running bot has been: what it prepared is carried over.
      for (const question of QUESTIONS.slice(0, 25)) base.answer(question);
      const extended = base.withArticle(parsed(file));
      expect(extended.sentenceCount).toBe(full.sentenceCount);
      expect(extended.articles).toEqual(full.articles);
      // The corpus-wide tables come out as a full build counts them.
      const [grown, built] = [extended.index, full.index];
      expect(new Map(grown.documentFrequency)).toEqual(new Map(built.documentFrequency));
      expect([...grown.surfaceWords]).toEqual([...built.surfaceWords]);
      expect([...grown.casing.capitalised]).toEqual([...built.casing.capitalised]);
      expect([...grown.casing.lowercase]).toEqual([...built.casing.lowercase]);
      expect([...grown.nameWords].sort()).toEqual([...built.nameWords].sort());
      expect(grown.titleStatistics).toEqual(built.titleStatistics);
      const shownWords = ({ sentenceTerms, displayWords }: typeof grown) =>
        new Map(sentenceTerms.terms.map((term, number) => [term, displayWords[number]]));
      expect(shownWords(grown)).toEqual(shownWords(built));
      for (const question of QUESTIONS) {
        if (seen(extended.answer(question)) !== seen(full.answer(question))) {
          differing.push(`${file}: ${question}`);
        }
      }
    }
    expect(QUESTIONS.length * FILES.length).toBeGreaterThan(4_000);
    expect(differing).toEqual([]);
  }, 120_000);

  it('answers as a full build does after several adds in a row, asked in between', async () => {
    const [first, second, third] = [FILES[3]!, FILES[0]!, FILES[4]!];
    let engine = await engineWithout(first, second, third);
    for (const file of [first, second, third]) {
      for (const question of QUESTIONS.slice(0, 10)) engine.answer(question);
      engine = engine.withArticle(parsed(file));
    }
    const differing = QUESTIONS.filter((q) => seen(engine.answer(q)) !== seen(full.answer(q)));
    expect(differing).toEqual([]);
    expect(engine.sentenceCount).toBe(full.sentenceCount);
  }, 60_000);

  it('refuses an article already indexed, or one with nothing to answer from, changing nothing', async () => {
    const engine = await engineWithout(FILES[0]!);
    const before = QUESTIONS.slice(0, 40).map((q) => seen(engine.answer(q)));
    expect(() => engine.withArticle(parsed(FILES[1]!))).toThrow(/already indexed/);
    expect(() =>
      engine.withArticle(parsed('empty.md', articleText('Nothing here', 'Hi.'))),
    ).toThrow(/no complete sentences/);
    expect(QUESTIONS.slice(0, 40).map((q) => seen(engine.answer(q)))).toEqual(before);
  });

  it('leaves the engine it came from answering without the new sentences', async () => {
    const old = await engineWithout(FILES[2]!);
    const question = QUESTIONS[0]!;
    const extended = old.withArticle(parsed(FILES[2]!));
    const added = new Set(
      extended.articles.filter((a) => !old.articles.some((o) => o.id === a.id)).map((a) => a.title),
    );
    // An answer begun before the swap may finish on the old engine: it must not break.
    for (const q of [question, ...QUESTIONS.slice(1, 60)]) {
      const answer = old.answer(q);
      for (const item of answer.answers) {
        expect(item.sources.some((s) => added.has(s.title))).toBe(false);
      }
    }
  });
});

describe('WordCounts.plus', () => {
  it('is the counts of both, in order', () => {
    const base = WordCounts.from([
      ['ceasefire', 3],
      ['istanbul', 2],
      ['talks', 5],
    ]);
    const merged = base.plus(
      new Map([
        ['aardvark', 1],
        ['istanbul', 4],
        ['zebra', 2],
      ]),
    );
    expect([...merged]).toEqual([
      ['aardvark', 1],
      ['ceasefire', 3],
      ['istanbul', 6],
      ['talks', 5],
      ['zebra', 2],
    ]);
    expect([...base]).toEqual([
      ['ceasefire', 3],
      ['istanbul', 2],
      ['talks', 5],
    ]);
  });
});
