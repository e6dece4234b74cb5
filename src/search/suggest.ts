/**
 * Autocomplete for the question box, called on every keystroke: the typed
 * text first, then previews of the best sentences (a readable snippet; the
 * value is the sentence's key, so picking one asks for exactly that
 * sentence), then completions of the word being typed and matching titles.
 * Previews come from one cheap BM25 look-up over the question's rarer terms,
 * never the full ranker.
 */
import type { Sentence } from '../knowledge/types.ts';
import { foldText } from '../knowledge/fold.ts';
import { clip } from '../render/clip.ts';
import type { SentenceIndex } from './index.ts';
import { selectsSentences } from './candidates.ts';
import type { AnswerOptions } from './options.ts';
import type { TermPipeline } from './terms.ts';

/** Discord's limits on autocomplete choices (count, and characters per name/value). */
export const MAX_SUGGESTIONS = 25;
export const MAX_SUGGESTION_LENGTH = 100;
/** Word completions offered for the word being typed. */
const MAX_COMPLETIONS = 12;
/** Sentences previewed while typing, and the rarest typed terms that pick them. */
const MAX_PREVIEWS = 5;
const MAX_PREVIEW_TERMS = 3;

/** What the member sees (`name`) and what is submitted when they pick it (`value`). */
export interface Suggestion {
  readonly name: string;
  readonly value: string;
}

const text = (value: string): Suggestion => ({ name: value, value });

export function createSuggester(
  index: SentenceIndex,
  sentences: readonly Sentence[],
  titles: readonly string[],
  pipeline: TermPipeline,
  options: AnswerOptions,
) {
  const titleChoices = titles.map((title) => clip(title, MAX_SUGGESTION_LENGTH));
  /** Each title's words, folded once (titles are matched on every keystroke). */
  const titleWords = titleChoices.map(
    (title) =>
      new Set(
        foldText(title)
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u),
      ),
  );
  const selects = selectsSentences(index, options);

  /** Most frequent corpus words starting with `prefix`. */
  function completions(prefix: string): string[] {
    // One letter matches a tenth of the vocabulary and says nothing yet.
    if (prefix.length < 2) return [];
    const found: [string, number][] = [];
    for (const [word, count] of index.surfaceWords.atPrefix(prefix)) {
      if (word !== prefix) found.push([word, count]);
    }
    return found
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_COMPLETIONS)
      .map(([word]) => word);
  }

  // Keystrokes mostly change the half-typed last word, which previews ignore:
  // the same complete words come back again and again.
  const previewCache = new Map<string, Suggestion[]>();

  /** The best sentences for the words typed so far (a half-typed last word is left out). */
  function previews(typed: string): Suggestion[] {
    const complete = (/\s$/.test(typed) ? typed : typed.replace(/\S+$/, '')).trim().toLowerCase();
    const cached = previewCache.get(complete);
    if (cached) return cached;
    // The rarest few terms only: every keystroke must stay cheap at thousands of articles.
    const terms = [...new Set(pipeline.terms(complete, 'query'))]
      .map((term) => [term, index.documentFrequency.get(term) ?? 0] as const)
      .filter(([term, df]) => df > 0 && selects(term))
      .sort((a, b) => a[1] - b[1])
      .slice(0, MAX_PREVIEW_TERMS)
      .map(([term]) => term);
    const found =
      terms.length === 0
        ? []
        : index.search
            .search(terms.join(' '), {
              tokenize: (t) => t.split(' '),
              processTerm: (t) => t,
              fields: ['text'],
            })
            .slice(0, MAX_PREVIEWS)
            .flatMap((result) => {
              const sentence = sentences[result.id as number];
              return sentence
                ? [{ name: clip(sentence.text, MAX_SUGGESTION_LENGTH), value: sentence.key }]
                : [];
            });
    if (previewCache.size >= 1000) previewCache.clear();
    previewCache.set(complete, found);
    return found;
  }

  return function suggest(partial: string, limit = MAX_SUGGESTIONS): Suggestion[] {
    const typed = partial.replace(/\s+/g, ' ').trimStart().slice(0, options.maxQuestionLength);
    const max = Math.min(limit, MAX_SUGGESTIONS);
    if (typed.trim().length === 0) return titleChoices.slice(0, max).map(text);

    const choices = new Map<string, Suggestion>();
    const add = (choice: Suggestion) => {
      if (!choices.has(choice.value)) choices.set(choice.value, choice);
    };
    add(text(clip(typed.trim(), MAX_SUGGESTION_LENGTH)));
    for (const preview of previews(typed)) add(preview);

    const lastWord = /(\S+)$/.exec(typed)?.[1];
    if (lastWord) {
      const head = typed.slice(0, typed.length - lastWord.length);
      const prefix = foldText(lastWord)
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]/gu, '');
      if (prefix.length > 0 && head.length + prefix.length < MAX_SUGGESTION_LENGTH) {
        for (const word of completions(prefix))
          add(text(clip(`${head}${word}`, MAX_SUGGESTION_LENGTH)));
      }
    }
    const words = new Set(
      foldText(typed)
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length > 3),
    );
    for (const [i, title] of titleChoices.entries()) {
      if ([...words].some((w) => titleWords[i]?.has(w))) add(text(title));
    }
    return [...choices.values()].slice(0, max);
  };
}
