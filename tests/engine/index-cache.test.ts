import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_CACHE_FILE, loadEngineCached } from '../../src/index-cache.ts';
import { article, tempKnowledge, type TempKnowledge } from '../helpers/knowledge.ts';

const QUESTIONS = [
  'how many drones were smuggled',
  'who chaired the second meeting',
  'bitcoin price',
  'kiev ceasefire',
];

describe('index cache', () => {
  let knowledge: TempKnowledge;
  let cacheDir: string;
  let warnings: string[];
  const logger = () =>
    pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });

  beforeEach(() => {
    knowledge = tempKnowledge({ withRealArticles: true });
    cacheDir = mkdtempSync(join(tmpdir(), 'talks-bot-cache-'));
    warnings = [];
  });
  afterEach(() => {
    knowledge.remove();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('builds and writes the cache once, then loads it and answers identically', async () => {
    const built = await loadEngineCached(knowledge.dir, cacheDir, logger());
    expect(built.cache).toBe('miss');
    expect(existsSync(join(cacheDir, INDEX_CACHE_FILE))).toBe(true);
    const loaded = await loadEngineCached(knowledge.dir, cacheDir, logger());
    expect(loaded.cache).toBe('hit');
    for (const q of QUESTIONS) expect(loaded.engine.answer(q)).toEqual(built.engine.answer(q));
    expect(loaded.engine.suggest('prisoner ex')).toEqual(built.engine.suggest('prisoner ex'));
    expect(loaded.engine.articles).toEqual(built.engine.articles);
    expect(warnings).toEqual([]);
  });

  it('rebuilds when a knowledge file changes, is added or removed', async () => {
    await loadEngineCached(knowledge.dir, cacheDir, logger());
    knowledge.write(
      'new.md',
      article('Grain talks', 'Negotiators discussed 42 cargo ships in Ankara on Tuesday.'),
    );
    const changed = await loadEngineCached(knowledge.dir, cacheDir, logger());
    expect(changed.cache).toBe('miss');
    expect(changed.engine.answer('how many cargo ships').answers[0]?.text).toMatch(
      /42 cargo ships/,
    );
    expect((await loadEngineCached(knowledge.dir, cacheDir, logger())).cache).toBe('hit');
  });

  it.each([
    ['garbage', 'not json at all {'],
    ['the wrong shape', JSON.stringify({ format: 1, fingerprint: 'x' })],
  ])('ignores a damaged cache (%s) with a warning and rebuilds it', async (_, content) => {
    await loadEngineCached(knowledge.dir, cacheDir, logger());
    const path = join(cacheDir, INDEX_CACHE_FILE);
    const fingerprint = JSON.parse(readFileSync(path, 'utf8')).fingerprint;
    writeFileSync(path, content.replace('"x"', JSON.stringify(fingerprint)));
    const result = await loadEngineCached(knowledge.dir, cacheDir, logger());
    expect(result.engine.answer('how many drones were smuggled').answered).toBe(true);
    if (content.startsWith('not json')) expect(result.cache).toBe('ignored-corrupt');
    expect(warnings.join(' ')).toMatch(/cache/i);
    expect((await loadEngineCached(knowledge.dir, cacheDir, logger())).cache).toBe('hit');
  });
});
