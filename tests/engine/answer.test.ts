import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clip } from '../../src/render/clip.ts';
import type { Engine } from '../../src/engine/engine.ts';
import {
  KNOWLEDGE_DIR,
  article,
  tempKnowledge,
  type TempKnowledge,
  openTestEngine,
} from '../helpers/knowledge.ts';
import { MAX_SUGGESTION_LENGTH, MAX_SUGGESTIONS } from '../../src/search/suggest/suggest.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await openTestEngine(KNOWLEDGE_DIR);
});

describe('answer', () => {
  it('returns up to three cited sentences, best first', () => {
    const answer = engine.answer('How many drones were smuggled into Russia?');
    expect(answer.answered).toBe(true);
    expect(answer.answers.length).toBeGreaterThan(0);
    expect(answer.answers.length).toBeLessThanOrEqual(3);
    expect(answer.answers[0]?.text).toContain('117');
    const scores = answer.answers.map((a) => a.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const item of answer.answers) {
      expect(item.sources.length).toBeGreaterThan(0);
      for (const source of item.sources) {
        expect(engine.articles.map((a) => a.id)).toContain(source.id);
        expect(source.title.length).toBeGreaterThan(0);
      }
    }
  });

  it('honours the limit', () => {
    expect(engine.answer('prisoner exchange', { limit: 1 }).answers).toHaveLength(1);
  });

  it('finds names through folding and vocabulary variants', () => {
    const plain = engine.answer('ciragan palace').answers[0]?.key;
    expect(plain).toBeDefined();
    expect(engine.answer('Çırağan Palace').answers[0]?.key).toBe(plain);
    expect(
      engine.answer('what did zelenskyy say about territorial integrity').answers[0]?.text,
    ).toMatch(/territorial integrity/);
  });

  it('tolerates a misspelled word', () => {
    expect(engine.answer('how many drons were smugled').answers[0]?.text).toContain('117');
  });

  it('never answers confidently what the articles do not cover; suggestions at most 3', () => {
    for (const question of [
      'what is the weather in paris',
      'best pizza recipe',
      'who won the world cup',
    ]) {
      const answer = engine.answer(question);
      expect(answer.answered && !answer.uncertain, question).toBe(false);
      expect(answer.confidence).toBeLessThan(0.5);
      if (!answer.answered) expect(answer.answers).toEqual([]);
      expect((answer.suggestions ?? []).length).toBeLessThanOrEqual(3);
    }
  });

  it('says "not found" to questions sharing no meaningful word with the articles', () => {
    for (const question of ['what is the weather in paris', 'bitcoin price today']) {
      expect(engine.answer(question)).toMatchObject({ answered: false, answers: [] });
    }
  });

  it('answers confidently, publicly, what the articles say plainly', () => {
    const answer = engine.answer('how many drones were smuggled into russia');
    expect(answer).toMatchObject({ answered: true, confidence: expect.any(Number) });
    expect(answer.uncertain).toBeUndefined();
    expect(answer.answers[0]?.text).toContain('117');
  });

  it('abstains on empty, punctuation-only and stop-word-only input', () => {
    for (const question of ['', '   ', '???', 'what is it', '@everyone']) {
      expect(engine.answer(question).answered, question).toBe(false);
    }
  });

  it('never suggests the member’s own text "corrected" word by word', () => {
    for (const question of ['zzzz qqqq spiderwbe', 'what is the weather in paris']) {
      const answer = engine.answer(question);
      for (const suggestion of answer.suggestions ?? []) {
        expect(suggestion).not.toMatch(/zzzz|qqqq|weather|paris|parties/i);
      }
    }
  });

  it('offers related questions the articles answer, and they do answer', () => {
    // Facts the articles lack, about things they cover: the first not found with suggestions.
    const answer = [
      'what happened at the fourth round',
      'did they agree anything at the third round',
      'how old is umerov',
    ]
      .map((q) => engine.answer(q))
      .find((a) => !a.answered && (a.suggestions?.length ?? 0) > 0);
    expect(answer, 'none is "not found" with related questions').toBeDefined();
    for (const { question, key } of answer!.suggestions ?? []) {
      expect(question.length).toBeLessThanOrEqual(80); // fits a button label
      expect(question).toMatch(/^What do the articles say about (?:the |[A-Z0-9]).+\?$/);
      // The key is the sentence it was made from, and that sentence shares the topic.
      const [sentence] = engine.explain([key]);
      expect(sentence, question).toBeDefined();
    }
  });

  it('explains answer keys again, e.g. for a button pressed later', () => {
    const item = engine.answer('who chaired the second meeting').answers[0];
    expect(item).toBeDefined();
    expect(engine.explain([item!.key, 'no-such-key'])).toEqual([
      expect.objectContaining({ key: item!.key, text: item!.text }),
    ]);
  });
});

describe('merging copies across articles', () => {
  let folder: TempKnowledge;
  let merged: Engine;
  beforeAll(async () => {
    folder = tempKnowledge();
    const shared =
      'Russia agreed to hand over the bodies of 6,000 soldiers after the Istanbul talks.';
    folder.write('a.md', article('Wire copy A', `${shared}\nThe talks lasted an hour.`));
    folder.write(
      'b.md',
      article(
        'Wire copy B',
        `Russia agreed to hand over the bodies of 6,000 soldiers after the Istanbul talks on Monday.\nDrones hit airfields.`,
      ),
    );
    folder.write('c.md', article('Wire copy C', `${shared}\nSanctions were discussed.`));
    merged = await openTestEngine(folder.dir);
  });
  afterAll(() => folder.remove());

  it('merges near-identical sentences into one answer citing every source', () => {
    const answer = merged.answer('how many bodies will russia hand over');
    expect(answer.answers[0]?.sources.map((s) => s.id).sort()).toEqual(['a', 'b', 'c']);
    expect(answer.answers.filter((a) => a.text.includes('6,000'))).toHaveLength(1);
  });
});

describe('suggest', () => {
  it('offers the typed text first, then completions of the last word', () => {
    const choices = engine.suggest('prisoner exch');
    expect(choices[0]).toEqual({ name: 'prisoner exch', value: 'prisoner exch' });
    expect(choices).toContainEqual({ name: 'prisoner exchange', value: 'prisoner exchange' });
  });

  it('previews up to five best sentences, valued by their key, after the typed text', () => {
    const choices = engine.suggest('how many drones were smuggled ');
    const keys = new Set(engine.explain(choices.map((c) => c.value)).map((item) => item.key));
    const previews = choices.filter((c) => keys.has(c.value));
    expect(previews.length).toBeGreaterThan(0);
    expect(previews.length).toBeLessThanOrEqual(5);
    expect(choices.indexOf(previews[0]!)).toBe(1);
    const best = engine.answer('how many drones were smuggled').answers[0];
    expect(previews.map((p) => p.value)).toContain(best?.key);
    for (const preview of previews) {
      expect(preview.name.length).toBeLessThanOrEqual(MAX_SUGGESTION_LENGTH);
      // Clipped at a word boundary: no word is cut in half before the ellipsis.
      if (preview.name.endsWith('…')) expect(preview.name).toMatch(/(?:\s|\p{P})?\S*…$/u);
      // A shown part is the sentence's own text, word for word.
      const [item] = engine.explain([preview.value]);
      expect(item!.text).toContain(preview.name.replace(/^…|…$/g, '').trim());
    }
    // The part that answers is shown, not the first hundred characters of a long sentence.
    const answering = previews.find((p) => p.value === best?.key)!;
    expect(clip(best!.text, MAX_SUGGESTION_LENGTH)).not.toContain('117');
    expect(answering.name).toMatch(/^….*117 drones/);
  });

  it('answers a picked preview with that sentence first, and a stale key as text', () => {
    const [, preview] = engine.suggest('how many drones were smuggled ');
    const answer = engine.answerSentence(preview!.value);
    expect(answer?.answers[0]?.key).toBe(preview!.value);
    expect(answer?.answered).toBe(true);
    expect(new Set(answer?.answers.map((a) => a.text)).size).toBe(answer?.answers.length);
    expect(engine.answerSentence('no-such-key')).toBeUndefined();
  });

  it('keeps Discord limits for any input', () => {
    for (const input of [
      '',
      'a',
      'the ',
      'x'.repeat(500),
      `${'word '.repeat(40)}pri`,
      '🙂🙂',
      '\u0000',
    ]) {
      const choices = engine.suggest(input);
      expect(choices.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
      for (const { name, value } of choices) {
        for (const part of [name, value]) {
          expect(part.length).toBeGreaterThanOrEqual(1);
          expect(part.length).toBeLessThanOrEqual(MAX_SUGGESTION_LENGTH);
        }
      }
      expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length);
    }
  });

  it('offers article titles for an empty box', () => {
    expect(engine.suggest('').map((c) => c.name)).toEqual(
      engine.articles.map((a) => a.title).slice(0, 25),
    );
  });
});
