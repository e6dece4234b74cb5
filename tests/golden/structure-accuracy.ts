/**
 * How accurately the sentence reader (src/search/read/) finds what each
 * ordinal, value and clause of a sentence is attached to, against labels a
 * person wrote blind to the engine (tests/golden/structure.yaml):
 *
 * - ordinals: the same ordinal qualifying the same noun (or none, elliptic);
 * - values: found with the right kind (a date as a time, a count…), and of
 *   those found, attached to the labelled noun or verb with its ordinal;
 * - clauses: a clause with the labelled verb, and for a labelled side, that
 *   side among the clause's sides.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { TermPipeline } from '../../src/search/index/terms.ts';
import { lexiconOf } from '../../src/search/read/lexicon.ts';
import { readSentence } from '../../src/search/read/read.ts';
import { ordinalOf, type SentenceStructure } from '../../src/search/read/structure.ts';

const labelled = z.object({
  sentences: z.array(
    z.object({
      text: z.string(),
      ordinals: z.array(z.object({ word: z.string(), noun: z.string().nullable() })).default([]),
      values: z
        .array(
          z.object({
            text: z.string(),
            kind: z.enum(['date', 'duration', 'count', 'money', 'share']),
            of: z.string().nullable(),
            ordinal: z.string().optional(),
          }),
        )
        .default([]),
      clauses: z
        .array(
          z.object({
            verb: z.string(),
            actor: z.string().nullable().optional(),
            subject: z.string().optional(),
            side: z.enum(['russia', 'ukraine', 'turkey', 'us', 'europe']).optional(),
          }),
        )
        .default([]),
    }),
  ),
});

export const STRUCTURE_FILE = new URL('./structure.yaml', import.meta.url);

export interface StructureAccuracy {
  readonly sentences: number;
  /** Ordinals read with the labelled noun (or elliptic), of all labelled. */
  readonly ordinals: { readonly total: number; readonly right: number };
  /** Values found with a matching kind, and of those, attached as labelled. */
  readonly values: { readonly total: number; readonly found: number; readonly attached: number };
  /** Clauses found by their verb, and labelled sides read as the clause's. */
  readonly clauses: { readonly total: number; readonly found: number };
  readonly sides: { readonly total: number; readonly right: number };
  /** Mean reading cost per sentence, ms (tagging and structure). */
  readonly msPerSentence: number;
}

const KIND: Readonly<Record<string, readonly string[]>> = {
  date: ['time'],
  duration: ['duration'],
  count: ['count'],
  money: ['money'],
  share: ['share'],
};
const SIDE_NAMES: Readonly<Record<string, string>> = {
  russia: 'russia',
  ukraine: 'ukraine',
  turkey: 'turkey',
  us: 'united states',
  europe: 'europe',
};

export function measureStructure(pipeline: TermPipeline): StructureAccuracy {
  const { sentences } = labelled.parse(parseYaml(readFileSync(STRUCTURE_FILE, 'utf8')));
  const lexicon = lexiconOf(pipeline);
  const term = (word: string) => pipeline.terms(word, 'document')[0];
  const ordinals = { total: 0, right: 0 };
  const values = { total: 0, found: 0, attached: 0 };
  const clauses = { total: 0, found: 0 };
  const sides = { total: 0, right: 0 };
  let ms = 0;
  for (const sentence of sentences) {
    const started = performance.now();
    const read: SentenceStructure = readSentence(sentence.text, pipeline);
    ms += performance.now() - started;
    for (const gold of sentence.ordinals) {
      ordinals.total += 1;
      const wanted = ordinalOf(gold.word);
      const head = gold.noun === null ? undefined : term(gold.noun);
      if (read.ordinals.some((use) => use.ordinal === wanted && use.head === head)) {
        ordinals.right += 1;
      }
    }
    for (const gold of sentence.values) {
      values.total += 1;
      const at = sentence.text.indexOf(gold.text);
      const end = at + gold.text.length;
      const mention = read.mentions.find(
        (m) => KIND[gold.kind]!.includes(m.kind) && m.start < end && m.end > at,
      );
      if (!mention) continue;
      values.found += 1;
      if (gold.of === null) continue;
      const of = term(gold.of);
      const ordinal = gold.ordinal === undefined ? undefined : ordinalOf(gold.ordinal);
      // Attached to a noun phrase: that noun, with its ordinal. Attached to its clause
      // (what binding compares with a question): the labelled noun or verb in that clause,
      // and the labelled ordinal on the clause's subject or on an event in it.
      const clause = read.clauses[mention.clause];
      let attached: boolean;
      if (mention.host) {
        attached =
          mention.host.head === of && (ordinal === undefined || mention.host.ordinal === ordinal);
      } else {
        const text = clause ? sentence.text.slice(clause.start, clause.end) : '';
        const terms = new Set(pipeline.terms(text, 'document'));
        if (clause?.subject?.head) terms.add(clause.subject.head);
        if (clause?.verb) terms.add(clause.verb);
        const ordinals = [
          clause?.subject?.ordinal,
          ...read.ordinals.filter((o) => o.clause === mention.clause).map((o) => o.ordinal),
        ];
        attached =
          of !== undefined &&
          terms.has(of) &&
          (ordinal === undefined || ordinals.includes(ordinal));
      }
      if (attached) values.attached += 1;
    }
    for (const gold of sentence.clauses) {
      clauses.total += 1;
      const verb = term(gold.verb);
      const clause = read.clauses.find((c) => c.verb === verb);
      if (clause) clauses.found += 1;
      if (gold.side === undefined) continue;
      sides.total += 1;
      const bit = 1 << lexicon.sides.indexOf(SIDE_NAMES[gold.side]!);
      if (clause && (clause.sides & bit) !== 0) sides.right += 1;
    }
  }
  return {
    sentences: sentences.length,
    ordinals,
    values,
    clauses,
    sides,
    msPerSentence: ms / Math.max(sentences.length, 1),
  };
}
