import { describe, expect, it } from 'vitest';
import { highestScores, withinBudget } from '../../src/search/answer/candidates.ts';
import { DEFAULT_ANSWER_OPTIONS } from '../../src/search/answer/options.ts';

/** A large corpus's statistics: 100,000 sentences, terms from rare to everywhere. */
const large = {
  sentenceCount: 100_000,
  documentFrequency: new Map([
    ['medinsky', 40],
    ['istanbul', 1_500],
    ['prison', 1_800],
    ['exchang', 1_900],
    ['talk', 30_000],
    ['russia', 45_000],
  ]),
};
const options = { ...DEFAULT_ANSWER_OPTIONS, maxPostings: 5_000, commonTermShare: 0.02 };
const postings = (terms: readonly string[]) =>
  terms.reduce((sum, term) => sum + (large.documentFrequency.get(term) ?? 0), 0);

describe('candidates bounded per question', () => {
  it('takes the rarest terms while the sentences they hold fit the budget, in the given order', () => {
    const chosen = withinBudget(
      ['talk', 'exchang', 'istanbul', 'prison', 'medinsky'],
      large,
      options,
    );
    // 40 + 1,500 + 1,800 fit in 5,000; adding exchang (1,900) would not.
    expect(chosen).toEqual(['istanbul', 'prison', 'medinsky']);
    expect(postings(chosen)).toBeLessThanOrEqual(options.maxPostings);
  });

  it('walks no more than the budget, or than the rarest term alone, whatever the words', () => {
    for (const question of [
      ['russia', 'talk', 'istanbul', 'prison', 'exchang'],
      ['istanbul', 'prison', 'exchang'],
      ['medinsky', 'talk', 'russia'],
    ]) {
      expect(postings(withinBudget(question, large, options))).toBeLessThanOrEqual(
        options.maxPostings,
      );
    }
    // Only common words: the rarest alone selects, so the question is still answered.
    expect(withinBudget(['russia', 'istanbul'], large, options)).toEqual(['istanbul']);
    expect(withinBudget(['russia', 'talk'], large, options)).toEqual(['talk']);
  });

  it('searches a corpus no larger than the budget exactly: every rare term, or all', () => {
    const small = {
      sentenceCount: 900,
      documentFrequency: new Map([
        ['a', 800],
        ['b', 2],
      ]),
    };
    // 'a' is in 800 of 900 sentences: too common to select while 'b' does.
    expect(withinBudget(['a', 'b'], small, options)).toEqual(['b']);
    expect(withinBudget(['a'], small, options)).toEqual(['a']);
  });

  it('keeps the k best scores, best first, ties by sentence id', () => {
    const scores = new Map<number, number>();
    for (let id = 0; id < 1_000; id++) scores.set(id, (id * 7919) % 101);
    const best = highestScores(scores, 40);
    const sorted = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 40);
    expect(best).toEqual(sorted);
    expect(highestScores(new Map([[3, 1]]), 40)).toEqual([[3, 1]]);
  });
});
