/** Confirmed answers: a taught question lends its sentence to rewordings, and to nothing else. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import type { Confirmation } from '../../src/search/answer/learned.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';

let engine: Engine;
let medinsky: string;
let swap: string;
beforeAll(async () => {
  engine = await openTestEngine(KNOWLEDGE_DIR);
  medinsky = engine.sentencesQuoting('headed by Vladimir Medinsky')[0]!.key;
  swap = engine.sentencesQuoting('largest prisoner exchange since')[0]!.key;
});

const confirmation = (
  over: Partial<Confirmation> & Pick<Confirmation, 'question' | 'sentenceKey'>,
) => ({ id: 1, verdict: 'right', how: 'pin', ...over }) as Confirmation;

describe('confirmed answers', () => {
  it('answer rewordings of the confirmed question with its sentence, confident and labelled', () => {
    const learned = engine.learn([
      confirmation({ question: 'who led the russian delegation', sentenceKey: medinsky }),
    ]);
    for (const question of [
      'Who led the Russian delegation?',
      'who headed the russian delegation',
      'who is the head of the russian delegation',
    ]) {
      const answer = engine.answer(question, { learned });
      expect(answer.answers[0]?.key, question).toBe(medinsky);
      expect(answer.uncertain, question).toBeUndefined();
      expect(answer.confirmed, question).toEqual({
        id: 1,
        question: 'who led the russian delegation',
        how: 'pin',
      });
    }
  });

  it('lend nothing to a question that shares its names but asks something else', () => {
    const learned = engine.learn([
      confirmation({ question: "who led ukraine's delegation", sentenceKey: medinsky }),
    ]);
    for (const question of ['how old is umerov', 'when did umerov become defence minister']) {
      const answer = engine.answer(question, { learned });
      expect(answer.confirmed, question).toBeUndefined();
      expect(answer.answered && !answer.uncertain, question).toBe(false);
    }
  });

  it('change nothing without confirmations, or for another community', () => {
    const plain = engine.answer('who headed the russian delegation');
    expect(plain.confirmed).toBeUndefined();
    const other = engine.learn([
      confirmation({ question: 'how big was the prisoner swap', sentenceKey: swap }),
    ]);
    expect(engine.answer('who headed the russian delegation', { learned: other })).toEqual(plain);
  });

  it('keep a confirmation whose sentence is gone, unused (stale)', () => {
    const learned = engine.learn([
      confirmation({ question: 'who led the russian delegation', sentenceKey: 'no-such-key' }),
    ]);
    expect(learned.questions[0]?.sentenceId).toBeUndefined();
    expect(engine.hasSentence('no-such-key')).toBe(false);
    expect(engine.answer('who led the russian delegation', { learned })).toEqual(
      engine.answer('who led the russian delegation'),
    );
  });

  it('never give a sentence marked wrong first, for its question or a close rewording', () => {
    const question = 'who led the russian delegation';
    const first = engine.answer(question).answers[0]!.key;
    const learned = engine.learn([
      confirmation({ question, sentenceKey: first, verdict: 'wrong', how: 'votes' }),
    ]);
    for (const asked of [question, 'Who led the Russian delegation?']) {
      const answer = engine.answer(asked, { learned });
      expect(answer.answers[0]?.key, asked).not.toBe(first);
      expect(answer.confirmed).toBeUndefined();
    }
  });
});
