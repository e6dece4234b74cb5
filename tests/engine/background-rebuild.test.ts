/**
 * Knowledge changes while the bot answers: an add extends the running index
 * at once and a full build follows in a worker, ending exactly as a fresh
 * build; a remove or reload builds in the worker while the old engine keeps
 * answering; a build that fails or crashes leaves the old engine and files in
 * place.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openEngineInBackground } from '../../src/engine/background-build.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { INDEX_CACHE_FILE } from '../../src/engine/index-cache.ts';
import { createLibrary, type KnowledgeLibrary } from '../../src/engine/library.ts';
import { openEngine } from '../../src/engine/open.ts';
import type { Answer } from '../../src/search/types.ts';
import { loadGoldenSet } from '../golden/evaluate.ts';
import { writeGeneratedArticles } from '../helpers/generated-knowledge.ts';
import {
  article,
  citesNewArticle,
  NEW_ARTICLE,
  NEW_QUESTION,
  tempKnowledge,
  type TempKnowledge,
} from '../helpers/knowledge.ts';

/**
 * Runs `work` while a loop on this thread asks `ask()` every millisecond, and
 * measures the longest time the loop had to wait: how long the thread was
 * unavailable for answering.
 */
async function askThroughout<T>(
  work: () => Promise<T>,
  ask: () => Answer | undefined,
): Promise<{ result: T; answers: Answer[]; longestStallMs: number }> {
  let settled = false;
  const answers: Answer[] = [];
  let last = performance.now();
  let longestStallMs = 0;
  const tick = () => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  };
  const loop = (async () => {
    while (!settled) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      tick();
      const answer = settled ? undefined : ask();
      if (answer) answers.push(answer);
    }
  })();
  let result: T;
  try {
    result = await work();
  } finally {
    tick(); // a stall that lasted until the work ended counts too
    settled = true;
    await loop;
  }
  return { result, answers, longestStallMs };
}

describe('a knowledge change while the bot is answering', () => {
  let folder: TempKnowledge;
  let cacheDir: string;
  let library: KnowledgeLibrary;
  let inProcessStallMs: number;
  const logs: { msg: string; ms?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });

  beforeAll(async () => {
    folder = tempKnowledge({ withRealArticles: true });
    cacheDir = mkdtempSync(join(tmpdir(), 'talks-bot-cache-'));
    await writeGeneratedArticles(folder, 600);
    // The control: the same folder built on this thread, measured the same way.
    // (Nothing to answer with yet: the loop only measures.)
    const opened = await askThroughout(
      () => openEngine(folder.dir),
      () => undefined,
    );
    inProcessStallMs = opened.longestStallMs;
    library = createLibrary(folder.dir, opened.result.engine, { cacheDir, logger });
  }, 120_000);
  afterAll(() => {
    folder.remove();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('an added article answers at once, without stalling; the full build then replaces the extended index', async () => {
    const old = library.current();
    expect(citesNewArticle(old.answer(NEW_QUESTION))).toBe(false);

    const { result, longestStallMs } = await askThroughout(
      () =>
        library.add({
          fileName: 'lighthouse.md',
          bytes: new TextEncoder().encode(NEW_ARTICLE),
        }),
      () => library.current().answer(NEW_QUESTION),
    );
    expect(result).toMatchObject({ ok: true });
    // Extending the index is no build: it holds the thread a fraction of what building does.
    expect(inProcessStallMs).toBeGreaterThan(500);
    expect(longestStallMs).toBeLessThan(inProcessStallMs / 2);
    const extended = library.current();
    expect(extended).not.toBe(old);
    expect(citesNewArticle(extended.answer(NEW_QUESTION))).toBe(true);

    // Meanwhile the full build runs in a worker and takes over once done.
    await library.settled();
    expect(library.current()).not.toBe(extended);
    expect(citesNewArticle(library.current().answer(NEW_QUESTION))).toBe(true);
    expect(logs.find((l) => l.msg === 'Knowledge loaded')?.ms).toBeGreaterThan(0);
  }, 120_000);

  it('ends exactly as a fresh build of the folder answers, and left an index cache that restores as is', async () => {
    const fresh = (await openEngine(folder.dir)).engine;
    const questions = [
      NEW_QUESTION,
      ...loadGoldenSet()
        .answerable.slice(0, 150)
        .map((q) => q.q),
    ];
    for (const question of questions) {
      expect(library.current().answer(question), question).toEqual(fresh.answer(question));
    }
    expect(existsSync(join(cacheDir, INDEX_CACHE_FILE))).toBe(true);
    const reopened = await openEngine(folder.dir, { cacheDir });
    expect(reopened.index).toBe('cache');
    expect(reopened.engine.answer(NEW_QUESTION)).toEqual(library.current().answer(NEW_QUESTION));
  }, 60_000);
});

describe('a rebuild that fails', () => {
  let folder: TempKnowledge;
  let library: KnowledgeLibrary;
  let initial: Engine;
  const ONLY = article(
    'Prisoner exchange agreed',
    'Both delegations agreed to exchange 1,000 prisoners each in Istanbul on Friday.',
  );
  const QUESTION = 'how many prisoners were exchanged';

  beforeEach(async () => {
    folder = tempKnowledge();
    folder.write('only.md', ONLY);
    initial = (await openEngine(folder.dir)).engine;
    library = createLibrary(folder.dir, initial);
  });
  afterEach(() => folder.remove());

  const expectOldEngineServing = () => {
    expect(library.current()).toBe(initial);
    expect(library.current().answer(QUESTION).answers[0]?.text).toMatch(/1,000 prisoners/);
  };

  it('keeps the old index when nothing would be left (no article loads)', async () => {
    const result = await library.remove('only');
    expect(result).toEqual({
      ok: false,
      problems: expect.arrayContaining(['no article could be loaded']),
    });
    expect(readdirSync(folder.dir)).toEqual(['only.md']); // the file is back
    expectOldEngineServing();
  });

  it('keeps the old index and says why when the worker throws', async () => {
    folder.write('vocabulary.yaml', 'aliases: [not, a, mapping]\n');
    const result = await library.reload();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(/vocabulary\.yaml is not valid/);
    expectOldEngineServing();

    // Control: the same path succeeds once the file is good again.
    folder.write('vocabulary.yaml', 'aliases: {}\n');
    expect(await library.reload()).toMatchObject({ ok: true });
    expect(library.current()).not.toBe(initial);
  });

  it('reports a worker that crashes, instead of waiting for it', async () => {
    const crashing = createLibrary(folder.dir, initial, {}, (dir, options) =>
      openEngineInBackground(dir, {
        ...options,
        workerEntry: new URL('../fixtures/crashing-build-worker.mjs', import.meta.url),
      }),
    );
    const result = await crashing.reload();
    expect(result).toEqual({
      ok: false,
      problems: [expect.stringMatching(/index build stopped unexpectedly .*exit code 70/)],
    });
    expect(crashing.current()).toBe(initial);
  });

  it('keeps the extended index answering when the full build after an add fails', async () => {
    const warnings: { msg: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => warnings.push(JSON.parse(l)) });
    const crashing = createLibrary(folder.dir, initial, { logger }, (dir, options) =>
      openEngineInBackground(dir, {
        ...options,
        workerEntry: new URL('../fixtures/crashing-build-worker.mjs', import.meta.url),
      }),
    );
    const result = await crashing.add({
      fileName: 'more.md',
      bytes: new TextEncoder().encode(NEW_ARTICLE),
    });
    expect(result).toMatchObject({ ok: true });
    await crashing.settled();
    expect(warnings).toContainEqual(
      expect.objectContaining({ msg: expect.stringMatching(/could not be built/) }),
    );
    expect(citesNewArticle(crashing.current().answer(NEW_QUESTION))).toBe(true);
    expect(crashing.current().answer(QUESTION).answers[0]?.text).toMatch(/1,000 prisoners/);
  });

  it('relays the worker’s warnings to the library’s logger', async () => {
    const warnings: { msg: string; thread?: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => warnings.push(JSON.parse(l)) });
    const notAFolder = join(folder.dir, 'not-a-folder');
    writeFileSync(notAFolder, ''); // the cache cannot be written below a file
    const opened = await openEngineInBackground(folder.dir, { cacheDir: notAFolder, logger });
    expect(opened.engine.answer(QUESTION).answered).toBe(true);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        msg: expect.stringMatching(/Could not write the index cache/),
        thread: 'index build',
      }),
    );
  });
});
