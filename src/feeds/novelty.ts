/**
 * What a new article adds to the knowledge: its sentences that no indexed
 * sentence already says, most informative first. Judged against the engine
 * as it was before the article was added.
 *
 * A sentence is a restatement when one of the indexed sentences closest to
 * it (BM25 over the sentence index, by its own index terms) holds most of its
 * terms — any word form: stems and the vocabulary's aliases. Not the engine's
 * answer(): that abstains on a statement it cannot read as a question, which
 * would make every such sentence look new.
 */
import type { Engine } from '../engine/engine.ts';
import type { TermPipeline } from '../search/index/terms.ts';
import { jaccard } from '../search/jaccard.ts';

/** Share of a new sentence's terms an indexed one may hold before the new one is a restatement. */
export const RESTATED_CONTAINMENT = 0.6;
/** Word-set overlap that makes two sentences the same statement. */
export const RESTATED_JACCARD = 0.45;
/** Sentences a news post shows. */
export const MAX_NEW_SENTENCES = 3;
/** Content terms a sentence needs to say something on its own (not "He agreed."). */
const MIN_TERMS = 6;
/** Longer than this reads as a paragraph in a post. */
const MAX_CHARACTERS = 400;
/** Indexed sentences compared with each new one. */
const NEAREST = 10;

/** The index terms of indexed sentence `id`, from the index's compact term streams. */
function indexedTerms(engine: Engine, id: number): Set<string> {
  const { terms, streams, starts } = engine.index.sentenceTerms;
  const found = new Set<string>();
  for (let at = starts[id]!; at < starts[id + 1]!; at++) found.add(terms[streams[at]!]!);
  return found;
}

/**
 * How much of `sentence` (0–1) the closest indexed sentence already says:
 * the share of its terms that sentence holds — or 1 when the two overlap as
 * a whole (a long new sentence wrapping a short old one).
 */
export function restatedShare(engine: Engine, pipeline: TermPipeline, sentence: string): number {
  if (engine.articleWithSentence(sentence) !== undefined) return 1;
  const terms = new Set(pipeline.terms(sentence, 'document'));
  if (terms.size === 0) return 0;
  let best = 0;
  const nearest = engine.index.search.search([...terms].join(' ')).slice(0, NEAREST);
  for (const { id } of nearest) {
    const other = indexedTerms(engine, id as number);
    const held = [...terms].filter((term) => other.has(term)).length / terms.size;
    best = Math.max(best, held, jaccard(terms, other) >= RESTATED_JACCARD ? 1 : 0);
  }
  return best;
}

/**
 * Up to MAX_NEW_SENTENCES sentences of the article that say something the
 * indexed ones do not, most informative first: the more of its content words
 * are new, the better — a word no indexed sentence holds (a new name, place
 * or thing) counts double, and a figure or date a little extra (what members
 * ask about). Empty when it adds nothing.
 */
export function newSentences(
  engine: Engine,
  pipeline: TermPipeline,
  sentences: readonly string[],
): string[] {
  const scored: { text: string; terms: Set<string>; score: number }[] = [];
  for (const text of sentences) {
    if (text.length > MAX_CHARACTERS || text.trimEnd().endsWith('?')) continue;
    const terms = new Set(pipeline.terms(text, 'document'));
    if (terms.size < MIN_TERMS) continue;
    const restated = restatedShare(engine, pipeline, text);
    if (restated >= RESTATED_CONTAINMENT) continue;
    let words = 0;
    for (const term of terms) words += engine.index.documentFrequency.has(term) ? 1 : 2;
    const fresh = words * (1 - restated);
    const figure = /\d/.test(text) ? 1 : 0;
    scored.push({ text, terms, score: fresh + figure });
  }
  scored.sort((a, b) => b.score - a.score);
  const chosen: typeof scored = [];
  for (const candidate of scored) {
    // Two sentences of the new article saying the same thing: the better one only.
    if (chosen.some((c) => jaccard(c.terms, candidate.terms) >= RESTATED_JACCARD)) continue;
    chosen.push(candidate);
    if (chosen.length === MAX_NEW_SENTENCES) break;
  }
  return chosen.map((c) => c.text);
}
