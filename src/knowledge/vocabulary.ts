/**
 * The corpus vocabulary file (knowledge/vocabulary.yaml): spelling variants and
 * synonyms as data, so a moderator can teach the bot "Kiev means Kyiv" without
 * touching code.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { foldText } from './fold.ts';

export const VOCABULARY_FILE = 'vocabulary.yaml';

export interface Vocabulary {
  /** Folded variant word → the words of its canonical form. */
  readonly aliases: ReadonlyMap<string, readonly string[]>;
  /** Groups of words or short phrases that may stand in for each other in a question. */
  readonly synonyms: readonly (readonly string[])[];
  /**
   * Sides ("russia") and the words that name them (folded, lower case; a
   * phrase as its words): a country, its capital, people and institutions.
   */
  readonly actors: readonly {
    readonly side: string;
    readonly names: readonly (readonly string[])[];
  }[];
  /** Groups of nouns for one kind of event an ordinal counts ("round", "meeting"…). */
  readonly events: readonly (readonly string[])[];
}

export const EMPTY_VOCABULARY: Vocabulary = {
  aliases: new Map(),
  synonyms: [],
  actors: [],
  events: [],
};

const vocabularySchema = z.object({
  aliases: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
  synonyms: z.array(z.array(z.string().min(1)).min(2)).default([]),
  actors: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
  events: z.array(z.array(z.string().min(1)).min(1)).default([]),
});

function words(phrase: string): string[] {
  return foldText(phrase)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Builds the lookup table from the file's parsed content; throws on a bad shape. */
export function parseVocabulary(source: string): Vocabulary {
  const parsed = vocabularySchema.parse(parseYaml(source) ?? {});
  const aliases = new Map<string, string[]>();
  for (const [canonical, variants] of Object.entries(parsed.aliases)) {
    const canonicalWords = words(canonical);
    for (const variant of variants) {
      // A hyphenated or spaced variant ("cease-fire") is matched by its joined form.
      aliases.set(words(variant).join(''), canonicalWords);
    }
  }
  const synonyms = parsed.synonyms.map((group) => group.map((phrase) => words(phrase).join(' ')));
  const actors = Object.entries(parsed.actors).map(([side, names]) => ({
    side: words(side).join(' '),
    names: [side, ...names].map(words).filter((name) => name.length > 0),
  }));
  const events = parsed.events.map((group) => group.map((noun) => words(noun).join(' ')));
  return { aliases, synonyms, actors, events };
}

/** Reads the vocabulary file; a folder without one simply has no aliases. */
export async function loadVocabulary(path: string): Promise<Vocabulary> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_VOCABULARY;
    throw error;
  }
  return parseVocabulary(source);
}
