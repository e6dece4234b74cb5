/**
 * What reading needs from the corpus vocabulary (knowledge/vocabulary.yaml):
 * which words name a side (Russia, Moscow, the Kremlin…), which nouns are
 * one kind of event for an ordinal ("second round" = "second meeting"), and
 * each word's index term, so structure and search speak of the same terms.
 */
import { foldText } from '../../knowledge/fold.ts';
import type { Vocabulary } from '../../knowledge/vocabulary.ts';
import { isDictionaryWord } from '../answer/dictionary.ts';
import type { TermPipeline } from '../index/terms.ts';
import type { ReadingLexicon } from './structure.ts';

export interface Lexicon extends ReadingLexicon {
  /** The sides, in bit order (bit i = sides[i]). */
  readonly sides: readonly string[];
  /** The event group of an index term ("round", "meet"…), or undefined. */
  eventGroupOf(term: string): number | undefined;
}

export function createLexicon(vocabulary: Vocabulary, pipeline: TermPipeline): Lexicon {
  const sides = vocabulary.actors.map((actor) => actor.side).slice(0, 31);
  /** First word of a name → the names starting with it, longest first. */
  const names = new Map<string, { words: readonly string[]; side: number }[]>();
  vocabulary.actors.slice(0, 31).forEach((actor, bit) => {
    for (const words of actor.names) {
      const list = names.get(words[0]!) ?? [];
      list.push({ words, side: 1 << bit });
      list.sort((a, b) => b.words.length - a.words.length);
      names.set(words[0]!, list);
    }
  });
  const termOf = (word: string) => pipeline.processTerm(word, 'document')[0];
  const eventGroups = new Map<string, number>();
  vocabulary.events.forEach((group, i) => {
    for (const noun of group) {
      for (const term of pipeline.terms(noun, 'document')) eventGroups.set(term, i);
    }
  });
  return {
    sides,
    termOf,
    eventGroupOf: (term) => eventGroups.get(term),
    isEvent: (term) => eventGroups.has(term),
    isWord: isDictionaryWord,
    sideAt(words, at) {
      let word = foldText(words[at] ?? '')
        .toLowerCase()
        .replace(/'s?$/, '');
      // A possessive typed without its apostrophe: "russias team".
      if (!names.has(word) && word.endsWith('s') && names.has(word.slice(0, -1))) {
        word = word.slice(0, -1);
      }
      for (const name of names.get(word) ?? []) {
        if (name.words.every((w, k) => k === 0 || words[at + k] === w)) {
          return { side: name.side, length: name.words.length };
        }
      }
      return undefined;
    },
  };
}

const lexicons = new WeakMap<TermPipeline, Lexicon>();

/** The lexicon of a term pipeline's vocabulary, made once per pipeline. */
export function lexiconOf(pipeline: TermPipeline): Lexicon {
  let lexicon = lexicons.get(pipeline);
  if (!lexicon) {
    lexicon = createLexicon(pipeline.vocabulary, pipeline);
    lexicons.set(pipeline, lexicon);
  }
  return lexicon;
}
