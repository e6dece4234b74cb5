import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_CACHE_FILE } from '../../src/engine/index-cache.ts';
import { SNAPSHOT_FORMAT } from '../../src/engine/snapshot.ts';
import { openEngine } from '../../src/engine/open.ts';
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
    const built = await openEngine(knowledge.dir, { cacheDir, logger: logger() });
    expect(built.index).toBe('built');
    expect(existsSync(join(cacheDir, INDEX_CACHE_FILE))).toBe(true);
    const loaded = await openEngine(knowledge.dir, { cacheDir, logger: logger() });
    expect(loaded.index).toBe('cache');
    for (const q of QUESTIONS) expect(loaded.engine.answer(q)).toEqual(built.engine.answer(q));
    expect(loaded.engine.suggest('prisoner ex')).toEqual(built.engine.suggest('prisoner ex'));
    expect(loaded.engine.articles).toEqual(built.engine.articles);
    expect(warnings).toEqual([]);
  });

  it('rebuilds when a knowledge file changes, is added or removed', async () => {
    await openEngine(knowledge.dir, { cacheDir, logger: logger() });
    knowledge.write(
      'new.md',
      article('Grain talks', 'Negotiators discussed 42 cargo ships in Ankara on Tuesday.'),
    );
    const changed = await openEngine(knowledge.dir, { cacheDir, logger: logger() });
    expect(changed.index).toBe('built');
    expect(changed.engine.answer('how many cargo ships').answers[0]?.text).toMatch(
      /42 cargo ships/,
    );
    expect((await openEngine(knowledge.dir, { cacheDir, logger: logger() })).index).toBe('cache');
  });

  it.each([
    ['garbage', (_: Buffer) => Buffer.from('not a snapshot at all {')],
    ['truncated', (cache: Buffer) => cache.subarray(0, cache.length >> 1)],
    [
      'one byte changed',
      (cache: Buffer) => {
        const copy = Buffer.from(cache);
        const at = copy.length - 100;
        copy[at] = (copy[at] ?? 0) ^ 0xff;
        return copy;
      },
    ],
  ])('ignores a damaged cache (%s) with a warning and rebuilds it', async (_, damage) => {
    await openEngine(knowledge.dir, { cacheDir, logger: logger() });
    const path = join(cacheDir, INDEX_CACHE_FILE);
    writeFileSync(path, damage(readFileSync(path)));
    const result = await openEngine(knowledge.dir, { cacheDir, logger: logger() });
    expect(result.index).toBe('built-past-damaged-cache');
    expect(result.engine.answer('how many drones were smuggled').answered).toBe(true);
    expect(warnings.join(' ')).toMatch(/cache is damaged/i);
    expect((await openEngine(knowledge.dir, { cacheDir, logger: logger() })).index).toBe('cache');
  });

  it('rebuilds with a warning when the cache was written by another snapshot format', async () => {
    await openEngine(knowledge.dir, { cacheDir, logger: logger() });
    const path = join(cacheDir, INDEX_CACHE_FILE);
    const cache = readFileSync(path);
    cache.writeUInt32LE(SNAPSHOT_FORMAT - 1, 8);
    writeFileSync(path, cache);
    const result = await openEngine(knowledge.dir, { cacheDir, logger: logger() });
    expect(result.index).toBe('built');
    expect(warnings.join(' ')).toMatch(/another version/i);
    expect((await openEngine(knowledge.dir, { cacheDir, logger: logger() })).index).toBe('cache');
  });
});
