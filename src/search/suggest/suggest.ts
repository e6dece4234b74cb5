/**
 * Autocomplete for the question box, called on every keystroke: the typed
 * text first, then previews of the best sentences (a readable snippet; the
 * value is the sentence's key, so picking one asks for exactly that
 * sentence), then completions of the word being typed and matching titles.
 * Previews come from one cheap BM25 look-up over the question's rarer terms,
 * never the full ranker.
 */
import type { Sentence } from '../../knowledge/types.ts';
import { foldText } from '../../knowledge/fold.ts';
import { clip, clipAround } from '../../render/clip.ts';
import { kindStrength, questionType } from '../answer/answer-type.ts';
import type { SentenceIndex } from '../index/sentence-index.ts';
import { withinBudget } from '../answer/candidates.ts';
import type { AnswerOptions } from '../answer/options.ts';
import type { TermPipeline } from '../index/terms.ts';

/** Discord's limits on autocomplete choices (count, and characters per name/value). */
export const MAX_SUGGESTIONS = 25;
export const MAX_SUGGESTION_LENGTH = 100;
/** Word completions offered for the word being typed. */
const MAX_COMPLETIONS = 12;
/** Sentences previewed while typing, and the rarest typed terms that pick them. */
const MAX_PREVIEWS = 5;
const MAX_PREVIEW_TERMS = 3;
/** Sentences those terms may hold between them: a keystroke walks at most this much of the index. */
const MAX_PREVIEW_POSTINGS = 1_000;

/** What the member sees (`name`) and what is submitted when they pick it (`value`). */
export interface Suggestion {
  readonly name: string;
  readonly value: string;
}

const text = (value: string): Suggestion => ({ name: value, value });

/** Prefixes up to this long get precomputed completions (see completionsOfShortPrefixes). */
const SHORT_PREFIX = 3;

/** Most frequent first; ties alphabetically. */
const byFrequency = (a: readonly [string, number], b: readonly [string, number]) =>
  b[1] - a[1] || a[0].localeCompare(b[0]);

/** Lowercase, accent-free words, as titles and typed text are compared. */
function wordsOf(text: string): string[] {
  return foldText(text)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

export function createSuggester(
  index: SentenceIndex,
  sentences: readonly Sentence[],
  titles: readonly string[],
  pipeline: TermPipeline,
  options: AnswerOptions,
) {
  const titleChoices = titles.map((title) => clip(title, MAX_SUGGESTION_LENGTH));
  /**
   * Folded title word → the titles holding it, in title order: keystrokes look
   * words up, never scan titles. Made on first use, like the completions.
   */
  let titlesWith: Map<string, number[]> | undefined;
  function titlesByWord(): Map<string, number[]> {
    const byWord = new Map<string, number[]>();
    titleChoices.forEach((title, i) => {
      for (const word of new Set(wordsOf(title))) {
        const holding = byWord.get(word);
        if (holding) holding.push(i);
        else byWord.set(word, [i]);
      }
    });
    return byWord;
  }

  /**
   * The most frequent completions of every short prefix, worked out in one
   * pass over the vocabulary on first use: at thousands of articles a
   * two-letter prefix has thousands of words, too many to sort per keystroke.
   */
  let shortPrefixes: Map<string, [string, number][]> | undefined;
  function completionsOfShortPrefixes(): Map<string, [string, number][]> {
    const best = new Map<string, [string, number][]>();
    for (const [word, count] of index.surfaceWords) {
      for (let length = 2; length <= Math.min(SHORT_PREFIX, word.length - 1); length++) {
        const prefix = word.slice(0, length);
        const top = best.get(prefix) ?? [];
        if (top.length < MAX_COMPLETIONS || byFrequency([word, count], top.at(-1)!) < 0) {
          top.push([word, count]);
          top.sort(byFrequency);
          if (top.length > MAX_COMPLETIONS) top.pop();
          best.set(prefix, top);
        }
      }
    }
    return best;
  }

  /** Most frequent corpus words starting with `prefix`. */
  function completions(prefix: string): string[] {
    // One letter matches a tenth of the vocabulary and says nothing yet.
    if (prefix.length < 2) return [];
    if (prefix.length <= SHORT_PREFIX) {
      shortPrefixes ??= completionsOfShortPrefixes();
      return (shortPrefixes.get(prefix) ?? []).map(([word]) => word);
    }
    const found: [string, number][] = [];
    for (const [word, count] of index.surfaceWords.withPrefix(prefix)) {
      if (word !== prefix) found.push([word, count]);
    }
    return found
      .sort(byFrequency)
      .slice(0, MAX_COMPLETIONS)
      .map(([word]) => word);
  }

  /**
   * A sentence as a choice name: the window that holds most of the typed
   * words, and the kind of answer the question asks for (the number for "how
   * many…"), rather than its first hundred characters.
   */
  function previewOf(text: string, question: string, terms: readonly string[]): string {
    const wanted = new Set(terms);
    const { kinds } = questionType(question);
    return clipAround(text, MAX_SUGGESTION_LENGTH, (window) => {
      const found = new Set(pipeline.terms(window, 'document').filter((t) => wanted.has(t)));
      const answers = kinds.some((kind) => kindStrength(kind, window) > 0) ? 1 : 0;
      return found.size + answers;
    });
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
    const frequency = (term: string) => index.documentFrequency.get(term) ?? 0;
    // Unlike an answer, a preview may come back empty: a term alone over the budget never selects.
    const known = [...new Set(pipeline.terms(complete, 'query'))]
      .filter((term) => frequency(term) > 0 && frequency(term) <= MAX_PREVIEW_POSTINGS)
      .sort((a, b) => frequency(a) - frequency(b));
    const terms = withinBudget(known, index, {
      ...options,
      maxPostings: MAX_PREVIEW_POSTINGS,
    }).slice(0, MAX_PREVIEW_TERMS);
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
              // Previews show the articles' own sentences; captions answer only as a last resort.
              return sentence && !sentence.caption
                ? [{ name: previewOf(sentence.text, complete, terms), value: sentence.key }]
                : [];
            });
    if (previewCache.size >= 1000) previewCache.clear();
    previewCache.set(complete, found);
    return found;
  }

  return function suggest(
    partial: string,
    limit = MAX_SUGGESTIONS,
    /** `previews: false`: the typed text and word completions only (the cheap part, when busy). */
    { previews: withPreviews = true }: { previews?: boolean } = {},
  ): Suggestion[] {
    const typed = partial.replace(/\s+/g, ' ').trimStart().slice(0, options.maxQuestionLength);
    const max = Math.min(limit, MAX_SUGGESTIONS);
    if (typed.trim().length === 0) return titleChoices.slice(0, max).map(text);

    const choices = new Map<string, Suggestion>();
    const add = (choice: Suggestion) => {
      if (!choices.has(choice.value)) choices.set(choice.value, choice);
    };
    add(text(clip(typed.trim(), MAX_SUGGESTION_LENGTH)));
    if (withPreviews) for (const preview of previews(typed)) add(preview);

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
    const matching = new Set<number>();
    for (const word of wordsOf(typed)) {
      if (word.length > 3)
        for (const i of (titlesWith ??= titlesByWord()).get(word) ?? []) matching.add(i);
    }
    for (const i of [...matching].sort((a, b) => a - b)) add(text(titleChoices[i] as string));
    return [...choices.values()].slice(0, max);
  };
}
