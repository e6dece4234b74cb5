/**
 * An English word list (the `word-list` package), used to tell a name from a
 * word: a question naming a place or thing the articles never mention
 * ("Mariupol", "Eurovision") is about something else, while an unfamiliar
 * ordinary word ("sneak") may just be a paraphrase.
 */
import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';

let words: ReadonlySet<string> | undefined;

/** True for a lowercase English dictionary word. Loads the list on first use. */
export function isDictionaryWord(word: string): boolean {
  words ??= new Set(readFileSync(wordListPath, 'utf8').split('\n'));
  return words.has(word);
}
