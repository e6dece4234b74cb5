import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import {
  DamagedSnapshotError,
  decodeSnapshot,
  encodeSnapshot,
  SNAPSHOT_FORMAT,
} from '../../src/engine/snapshot.ts';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load.ts';
import { miniSearchOptions } from '../../src/search/index/sentence-index.ts';
import { DEFAULT_ANSWER_OPTIONS } from '../../src/search/answer/options.ts';
import { termStream } from '../../src/search/index/sentence-terms.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';

const QUESTIONS = [
  'how many drones were smuggled',
  'who chaired the second meeting',
  'when was the 1000 for 1000 swap',
  'who is hakan fidan',
  'bitcoin price',
  'kiev ceasefire',
];

describe('engine snapshot', () => {
  let knowledge: KnowledgeBase;
  let built: Engine;
  let bytes: Uint8Array;
  const expected = () => ({
    fingerprint: 'test',
    vocabulary: knowledge.vocabulary,
    options: DEFAULT_ANSWER_OPTIONS,
  });
  const restore = (snapshot: Uint8Array) => decodeSnapshot(snapshot, expected());

  beforeAll(async () => {
    knowledge = await loadKnowledge(KNOWLEDGE_DIR);
    built = createEngine(knowledge);
    bytes = encodeSnapshot('test', knowledge, built);
  });

  it('restores an engine that answers, suggests and explains exactly as the built one', () => {
    const restored = restore(bytes);
    if (typeof restored === 'string') throw new Error(`snapshot was ${restored}`);
    for (const question of QUESTIONS) {
      expect(restored.answer(question)).toEqual(built.answer(question));
    }
    expect(restored.suggest('prisoner ex')).toEqual(built.suggest('prisoner ex'));
    expect(restored.articles).toEqual(built.articles);
    expect(restored.sentenceCount).toBe(built.sentenceCount);
    const keys = built.answer('prisoner exchange').answers.map((a) => a.key);
    expect(restored.explain(keys)).toEqual(built.explain(keys));
  });

  it('keeps no article body: answering never reads one again', () => {
    const text = Buffer.from(bytes).toString('utf8');
    const body = knowledge.articles[0]!.body;
    const unsplitParagraph = body.split('\n').find((line) => line.length > 400);
    expect(unsplitParagraph).toBeDefined();
    expect(text.includes(unsplitParagraph!)).toBe(false);
  });

  it('is stale, not misread, when written by another format or from other inputs', () => {
    const otherFormat = Buffer.from(bytes);
    otherFormat.writeUInt32LE(SNAPSHOT_FORMAT + 1, 8);
    expect(restore(otherFormat)).toBe('other-format');
    expect(decodeSnapshot(bytes, { ...expected(), fingerprint: 'other' })).toBe(
      'other-fingerprint',
    );
  });

  it.each([
    ['empty', () => new Uint8Array()],
    ['not a snapshot', () => Buffer.from('{"format": 3}')],
    ['truncated', () => bytes.subarray(0, Math.floor(bytes.length * 0.6))],
    [
      'one byte changed in the sections',
      () => {
        const copy = Buffer.from(bytes);
        const at = copy.length - 1000;
        copy[at] = (copy[at]! + 1) % 256;
        return copy;
      },
    ],
    [
      'a header that is not JSON',
      () => {
        const copy = Buffer.from(bytes);
        copy.write('}}}}', 16);
        return copy;
      },
    ],
  ])('refuses a damaged snapshot (%s) with DamagedSnapshotError', (_, damage) => {
    expect(() => restore(damage())).toThrow(DamagedSnapshotError);
  });

  it('loads the sentence index MiniSearch would build by adding each sentence', () => {
    const { index } = built;
    const added = new MiniSearch<{ id: number }>({
      ...miniSearchOptions(),
      extractField: (document, field) => (field === 'id' ? document.id : String(document.id)),
      tokenize: (id) => termStream(index.sentenceTerms, Number(id)),
    });
    added.addAll(knowledge.sentences.map(({ id }) => ({ id })));
    expect(JSON.parse(JSON.stringify(index.search))).toEqual(JSON.parse(JSON.stringify(added)));
    for (const query of ['prison exchang', 'istanbul talk', 'drone']) {
      expect(index.search.search(query)).toEqual(added.search(query));
    }
  });
});
