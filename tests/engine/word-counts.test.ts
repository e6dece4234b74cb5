import SearchableMap from 'minisearch/SearchableMap';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import { WordCounts } from '../../src/search/index/word-counts.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';

describe('WordCounts', () => {
  const entries: [string, number][] = [
    ['talks', 9],
    ['talk', 4],
    ['taliban', 1],
    ['istanbul', 7],
    ['ta', 2],
    ['zelensky', 3],
    ['çırağan', 1],
  ];
  const counts = WordCounts.from(entries);

  it('finds every word with a prefix, and only those', () => {
    const prefixed = (prefix: string) => [...counts.withPrefix(prefix)].map(([w]) => w).sort();
    for (const prefix of ['ta', 'tal', 'talk', 'i', 'z', 'ç', 'x', '']) {
      const expected = entries
        .map(([w]) => w)
        .filter((w) => w.startsWith(prefix))
        .sort();
      expect(prefixed(prefix), prefix).toEqual(expected);
    }
  });

  it('keeps each count and iterates every word once', () => {
    for (const [word, count] of entries) expect(counts.get(word)).toBe(count);
    expect(counts.get('tal')).toBeUndefined();
    expect(new Map(counts)).toEqual(new Map(entries));
    expect(counts.size).toBe(entries.length);
  });
});

describe("spelling look-ups in MiniSearch's term tree", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = createEngine(await loadKnowledge(KNOWLEDGE_DIR));
  });

  it('find what a separate tree of the same terms finds', () => {
    const { index } = engine;
    const tree = SearchableMap.from(index.documentFrequency);
    let found = 0;
    for (const [typo, distance] of [
      ['negoti', 2],
      ['istambul', 1],
      ['prisner', 2],
      ['zelenski', 1],
      ['drone', 1],
    ] as const) {
      const own = [...index.similarTerms(typo, distance)];
      const separate = [...tree.fuzzyGet(typo, distance)].map(([t, [df, d]]) => [t, df, d]);
      expect(own, typo).toEqual(separate);
      found += own.length;
    }
    expect(found).toBeGreaterThan(2);
  });
});
