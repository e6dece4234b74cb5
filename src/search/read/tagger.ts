/**
 * Part-of-speech tags and entities from a real English NLP library:
 * wink-nlp with its lite English web model (both from npm, the model inside
 * the package; nothing is downloaded at run time). For each token: its text,
 * UTF-16 offsets into the original sentence, universal POS tag, lemma, and
 * the entity it belongs to (DATE, DURATION, CARDINAL, ORDINAL, MONEY,
 * PERCENT, TIME). The sentence reader (structure.ts) builds phrases and
 * clauses on these tags.
 *
 * The model splits words with letters outside Latin-1 ("Çırağan" into five
 * pieces), so the text is folded to plain letters first (foldText) and the
 * offsets mapped back to the original.
 */
import { createRequire } from 'node:module';
import type { PartOfSpeech } from 'wink-nlp';
import { foldText } from '../../knowledge/fold.ts';

export type EntityType =
  'DATE' | 'TIME' | 'DURATION' | 'CARDINAL' | 'ORDINAL' | 'MONEY' | 'PERCENT' | 'OTHER';

export interface TaggedToken {
  /** As written in the folded text ("Ciragan" for "Çırağan"). */
  readonly text: string;
  /** Lower case, for comparisons. */
  readonly lower: string;
  readonly lemma: string;
  readonly pos: PartOfSpeech;
  /** UTF-16 offsets into the original sentence. */
  readonly start: number;
  readonly end: number;
  /** The entity the token is part of, with that entity's first and last token. */
  readonly entity?: { readonly type: EntityType; readonly first: number; readonly last: number };
}

type Wink = {
  readDoc(text: string): WinkDocument;
  its: Record<string, unknown>;
};
interface WinkDocument {
  tokens(): { out(how?: unknown): string[] };
  entities(): { each(fn: (entity: { out(how?: unknown): unknown }) => void): void };
}

let wink: Wink | undefined;
/** The model, loaded on first use (≈100 ms, ≈10 MB). */
function model(): Wink {
  if (!wink) {
    const require = createRequire(import.meta.url);
    const winkNLP = require('wink-nlp') as (model: unknown, pipe?: string[]) => Wink;
    wink = winkNLP(require('wink-eng-lite-web-model'), ['pos', 'ner']);
  }
  return wink;
}

const ENTITY_TYPES = new Set<EntityType>([
  'DATE',
  'TIME',
  'DURATION',
  'CARDINAL',
  'ORDINAL',
  'MONEY',
  'PERCENT',
]);

/**
 * The folded text and, for each of its UTF-16 positions, the position in the
 * original it came from (one more entry for the end).
 */
function foldWithOffsets(text: string): { folded: string; origin: Int32Array } {
  if (foldText(text).length === text.length) {
    const folded = foldText(text);
    return { folded, origin: Int32Array.from({ length: text.length + 1 }, (_, i) => i) };
  }
  let folded = '';
  const origin: number[] = [];
  let at = 0;
  for (const char of text) {
    const piece = foldText(char);
    for (let i = 0; i < piece.length; i++) origin.push(at);
    folded += piece;
    at += char.length;
  }
  origin.push(at);
  return { folded, origin: Int32Array.from(origin) };
}

/** The sentence's tokens, tagged. */
export function tagSentence(text: string): TaggedToken[] {
  const nlp = model();
  const { its } = nlp;
  const { folded, origin } = foldWithOffsets(text);
  const doc = nlp.readDoc(folded);
  const words = doc.tokens().out();
  const pos = doc.tokens().out(its.pos) as PartOfSpeech[];
  const lemmas = doc.tokens().out(its.lemma);
  const entities: { type: EntityType; first: number; last: number }[] = [];
  doc.entities().each((entity) => {
    const type = entity.out(its.type) as EntityType;
    const [first, last] = entity.out(its.span) as [number, number];
    entities.push({ type: ENTITY_TYPES.has(type) ? type : 'OTHER', first, last });
  });
  const entityOf = new Array<(typeof entities)[number] | undefined>(words.length);
  for (const entity of entities) {
    for (let i = entity.first; i <= entity.last; i++) entityOf[i] = entity;
  }
  const tokens: TaggedToken[] = [];
  let cursor = 0;
  words.forEach((word, i) => {
    // Tokens come in order; the model may normalise a token, so fall back to where we are.
    const found = folded.indexOf(word, cursor);
    const start = found === -1 ? cursor : found;
    const end = found === -1 ? cursor : found + word.length;
    cursor = end;
    const entity = entityOf[i];
    tokens.push({
      text: word,
      lower: word.toLowerCase(),
      lemma: (lemmas[i] ?? word).toLowerCase(),
      pos: pos[i] ?? 'X',
      start: origin[start] ?? text.length,
      end: origin[end] ?? text.length,
      ...(entity && { entity }),
    });
  });
  return tokens;
}
