/**
 * Autocomplete for the question box: called on every keystroke, so it only
 * does prefix look-ups in the surface-word map, never a full search.
 */
import type { SentenceIndex } from './index.ts';
import { clip } from '../render/clip.ts';
import { foldText } from '../knowledge/fold.ts';

/** Discord's limits on autocomplete choices (count, and characters per name/value). */
export const MAX_SUGGESTIONS = 25;
export const MAX_SUGGESTION_LENGTH = 100;
/** Word completions offered for the word being typed. */
const MAX_COMPLETIONS = 12;

export function createSuggester(index: SentenceIndex, titles: readonly string[]) {
  const titleChoices = titles.map((title) => clip(title, MAX_SUGGESTION_LENGTH));

  /** Most frequent corpus words starting with `prefix`. */
  function completions(prefix: string): string[] {
    const found: [string, number][] = [];
    for (const [word, count] of index.surfaceWords.atPrefix(prefix)) {
      if (word !== prefix) found.push([word, count]);
    }
    return found
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_COMPLETIONS)
      .map(([word]) => word);
  }

  return function suggest(partial: string, limit = MAX_SUGGESTIONS): string[] {
    const text = partial.replace(/\s+/g, ' ').trimStart().slice(0, 300);
    const max = Math.min(limit, MAX_SUGGESTIONS);
    if (text.trim().length === 0) return titleChoices.slice(0, max);

    const choices = new Set<string>([clip(text.trim(), MAX_SUGGESTION_LENGTH)]);
    const lastWord = /(\S+)$/.exec(text)?.[1];
    if (lastWord) {
      const head = text.slice(0, text.length - lastWord.length);
      const prefix = foldText(lastWord)
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]/gu, '');
      if (prefix.length > 0 && head.length + prefix.length < MAX_SUGGESTION_LENGTH) {
        for (const word of completions(prefix))
          choices.add(clip(`${head}${word}`, MAX_SUGGESTION_LENGTH));
      }
    }
    const words = new Set(
      foldText(text)
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length > 3),
    );
    for (const title of titleChoices) {
      if (
        foldText(title)
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
          .some((w) => words.has(w))
      )
        choices.add(title);
    }
    return [...choices].slice(0, max);
  };
}
