/**
 * Every sentence's structure (structure.ts), read once at index time and
 * kept compactly: one stream of integers for all sentences, each sentence's
 * part starting at `starts[id]`, and one table of the index terms the
 * structures name (heads, verbs). The snapshot saves these three arrays, so
 * a restart reads no sentence again; answering decodes a sentence's
 * structure when it becomes a candidate.
 *
 * A sentence's part: [clauses, mentions, ordinals], then per clause
 * [start, end, verb, subject head, subject ordinal, sides], per mention
 * [kind, start, end, clause, has host, host head, host ordinal, strength × 4],
 * per ordinal [ordinal, head, clause]. A term is its number in `words` + 1
 * (0: none).
 */
import type {
  Clause,
  Host,
  Mention,
  OrdinalUse,
  SentenceStructure,
  ValueKind,
} from './structure.ts';

export interface StructureStore {
  readonly words: readonly string[];
  readonly records: Uint32Array;
  readonly starts: Uint32Array;
}

const KINDS: readonly ValueKind[] = [
  'time',
  'duration',
  'count',
  'money',
  'share',
  'person',
  'place',
  'role',
];
const CLAUSE_SIZE = 6;
const MENTION_SIZE = 8;
const ORDINAL_SIZE = 3;

export class StructureStoreBuilder {
  private readonly words: string[];
  private readonly numbers = new Map<string, number>();
  private records: number[] = [];
  private readonly starts: number[];
  private readonly earlier: StructureStore | undefined;

  /** Continues `earlier` (an index extended by an article): its sentences keep their parts. */
  constructor(earlier?: StructureStore) {
    this.earlier = earlier;
    this.words = [...(earlier?.words ?? [])];
    this.words.forEach((word, i) => this.numbers.set(word, i));
    this.starts = earlier ? [] : [0];
  }

  private term(word: string | undefined): number {
    if (word === undefined) return 0;
    let number = this.numbers.get(word);
    if (number === undefined) {
      number = this.words.length;
      this.words.push(word);
      this.numbers.set(word, number);
    }
    return number + 1;
  }

  add({ clauses, mentions, ordinals }: SentenceStructure): void {
    const r = this.records;
    r.push(clauses.length, mentions.length, ordinals.length);
    for (const c of clauses) {
      r.push(c.start, c.end, this.term(c.verb), this.term(c.subject?.head));
      r.push(c.subject?.ordinal ?? 0, c.sides);
    }
    for (const m of mentions) {
      r.push(KINDS.indexOf(m.kind), m.start, m.end, m.clause, m.host ? 1 : 0);
      r.push(this.term(m.host?.head), m.host?.ordinal ?? 0, Math.round(m.strength * 4));
    }
    for (const o of ordinals) r.push(o.ordinal, this.term(o.head), o.clause);
    const offset = (this.earlier?.records.length ?? 0) + r.length;
    this.starts.push(offset);
  }

  build(): StructureStore {
    const earlier = this.earlier;
    const records = new Uint32Array((earlier?.records.length ?? 0) + this.records.length);
    if (earlier) records.set(earlier.records);
    records.set(this.records, earlier?.records.length ?? 0);
    const starts = earlier
      ? Uint32Array.from([...earlier.starts, ...this.starts])
      : Uint32Array.from(this.starts);
    return { words: this.words, records, starts };
  }
}

/** One sentence's structure, decoded. */
export function structureOf(store: StructureStore, id: number): SentenceStructure {
  const { records, words } = store;
  let at = store.starts[id];
  if (at === undefined || store.starts[id + 1] === undefined || at === store.starts[id + 1]) {
    return { clauses: [], mentions: [], ordinals: [] };
  }
  const word = (n: number) => (n === 0 ? undefined : words[n - 1]);
  const host = (head: number, ordinal: number): Host | undefined =>
    head === 0 && ordinal === 0
      ? undefined
      : {
          ...(head !== 0 && { head: word(head)! }),
          ...(ordinal !== 0 && { ordinal }),
        };
  const clauseCount = records[at++]!;
  const mentionCount = records[at++]!;
  const ordinalCount = records[at++]!;
  const clauses: Clause[] = [];
  for (let i = 0; i < clauseCount; i++, at += CLAUSE_SIZE) {
    const subject = host(records[at + 3]!, records[at + 4]!);
    const verb = word(records[at + 2]!);
    clauses.push({
      start: records[at]!,
      end: records[at + 1]!,
      ...(verb !== undefined && { verb }),
      ...(subject && { subject }),
      sides: records[at + 5]!,
    });
  }
  const mentions: Mention[] = [];
  for (let i = 0; i < mentionCount; i++, at += MENTION_SIZE) {
    const attached = records[at + 4] === 1 ? host(records[at + 5]!, records[at + 6]!) : undefined;
    mentions.push({
      kind: KINDS[records[at]!] ?? 'count',
      start: records[at + 1]!,
      end: records[at + 2]!,
      clause: records[at + 3]!,
      ...(attached && { host: attached }),
      strength: records[at + 7]! / 4,
    });
  }
  const ordinals: OrdinalUse[] = [];
  for (let i = 0; i < ordinalCount; i++, at += ORDINAL_SIZE) {
    const head = word(records[at + 1]!);
    ordinals.push({
      ordinal: records[at]!,
      ...(head !== undefined && { head }),
      clause: records[at + 2]!,
    });
  }
  return { clauses, mentions, ordinals };
}
