/**
 * Which round, which side, which thing: the sentence reader attaches dates,
 * numbers, ordinals and names to what they belong to, and answers compare
 * that with what the question asks (src/search/read/). The questions the
 * binding issue was filed with, the reader on sentences written for it, the
 * short answer and its highlight, photo captions as a last resort, and
 * related questions when nothing answers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { createTermPipeline } from '../../src/search/index/terms.ts';
import { loadVocabulary } from '../../src/knowledge/vocabulary.ts';
import { lexiconOf } from '../../src/search/read/lexicon.ts';
import { readSentence } from '../../src/search/read/read.ts';
import type { TermPipeline } from '../../src/search/index/terms.ts';
import { CLI_SURFACE, renderAnswerText } from '../../src/render/plain-text.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';

let engine: Engine;
let pipeline: TermPipeline;
beforeAll(async () => {
  engine = await openTestEngine(KNOWLEDGE_DIR);
  pipeline = createTermPipeline(await loadVocabulary(`${KNOWLEDGE_DIR}/vocabulary.yaml`));
});

const first = (question: string) => engine.answer(question).answers[0]?.text ?? '';
const confident = (question: string) => {
  const answer = engine.answer(question);
  return answer.answered && !answer.uncertain;
};

describe('the questions the binding issue was filed with', () => {
  it('"how long did the first meeting last" is not answered confidently with the second meeting', () => {
    const answer = engine.answer('how long did the first meeting last');
    const aboutSecond = /second meeting/.test(answer.answers[0]?.text ?? '');
    expect(answer.answered && !answer.uncertain && aboutSecond).toBe(false);
  });

  it('"when did the second round happen" gets the second round’s own date, as the short answer', () => {
    const answer = engine.answer('when did the second round happen');
    expect(answer.answers[0]?.text).toMatch(/June 2, 2025.*second round/);
    expect(answer.short).toBe('June 2, 2025');
  });

  it('a round the articles never describe is not found, or at most uncertain', () => {
    for (const question of ['when was the third round', 'is there going to be a third round?']) {
      expect(confident(question), question).toBe(false);
      expect(first(question), question).not.toMatch(/third year/);
    }
  });

  it('"who was the head of russias team" gets Russia’s head, not Ukraine’s', () => {
    const answer = engine.answer('who was the head of russias team');
    expect(answer.answers[0]?.text).toMatch(
      /^The Russian delegation was headed by Vladimir Medinsky/,
    );
    expect(answer.short).toBe('Vladimir Medinsky');
  });

  it('"what did russia offer" gets Russia’s offer, not Erdoğan’s', () => {
    expect(first('what did russia offer')).toMatch(/Russia(?:n negotiators)? .*offered/);
    expect(first('what did russia offer')).not.toMatch(/Erdo/);
  });
});

describe('the sentence reader', () => {
  const read = (text: string) => readSentence(text, pipeline);
  const term = (word: string) => pipeline.terms(word, 'document')[0];
  const side = (name: string) => 1 << lexiconOf(pipeline).sides.indexOf(name);

  it('binds an ordinal to its noun, and leaves an elliptic one bare', () => {
    const { ordinals } = read(
      'As he did for the first, Fidan chaired the second meeting, which lasted an hour.',
    );
    expect(ordinals.map(({ ordinal, head }) => [ordinal, head])).toEqual([
      [1, undefined],
      [2, term('meeting')],
    ]);
    expect(read('Round two was held in June.').ordinals).toEqual([
      expect.objectContaining({ ordinal: 2, head: term('round') }),
    ]);
    expect(read('The war has stretched into its third year.').ordinals).toEqual([
      expect.objectContaining({ ordinal: 3, head: term('year') }),
    ]);
  });

  it('gives a relative clause its antecedent, ordinal included', () => {
    const structure = read(
      'Fidan chaired the second meeting between the two delegations, which lasted just over an hour.',
    );
    const duration = structure.mentions.find((m) => m.kind === 'duration')!;
    expect(duration).toBeDefined();
    expect(structure.clauses[duration.clause]?.subject).toEqual({
      head: term('meeting'),
      ordinal: 2,
    });
  });

  it('attaches a date to the noun a preposition ties it to, not to the clause', () => {
    const text =
      'The second round was held in Istanbul this week, a fortnight after the first meeting on 16 May.';
    const structure = read(text);
    const date = structure.mentions.find((m) => text.slice(m.start, m.end) === '16 May')!;
    expect(date.host).toEqual({ head: term('meeting'), ordinal: 1 });
    const week = structure.mentions.find((m) => text.slice(m.start, m.end) === 'this week')!;
    expect(week.host).toBeUndefined();
    expect(structure.clauses[week.clause]?.subject).toEqual({ head: term('round'), ordinal: 2 });
  });

  it('reads each clause’s side: a demonym subject, a capital, a possessor', () => {
    const structure = read(
      'The Russian delegation was headed by Vladimir Medinsky, while the Ukrainian delegation was led by Rustem Umerov.',
    );
    expect(structure.clauses.map((c) => c.sides)).toEqual([side('russia'), side('ukraine')]);
    expect(read('Moscow rejected the proposal.').clauses[0]?.sides).toBe(side('russia'));
    expect(read("Kyiv's condition is a full ceasefire.").clauses[0]?.sides).toBe(side('ukraine'));
  });
});

describe('the short answer', () => {
  it('is the bolded phrase of the first sentence, and is highlighted in every sentence holding one', () => {
    const answer = engine.answer('how many drones were smuggled into russia');
    expect(answer.short).toBe('117');
    const [item] = answer.answers;
    expect(item?.highlight).toBeDefined();
    expect(item!.text.slice(...item!.highlight!)).toBe(answer.short);
  });

  it('is never given for yes/no or why questions', () => {
    for (const question of ['did the talks last an hour', 'why did the talks fail']) {
      expect(engine.answer(question).short, question).toBeUndefined();
    }
  });

  it('is printed on its own line before a confident answer’s sentences in the terminal', () => {
    const answer = engine.answer('how many drones were smuggled into russia');
    expect(answer.uncertain).toBeUndefined();
    const text = renderAnswerText(answer, CLI_SURFACE);
    expect(text.split('\n')[0]).toBe('Answer: 117');
    const bold = renderAnswerText(answer, { ...CLI_SURFACE, bold: (t) => `<${t}>` });
    expect(bold).toMatch(/^Answer: <117>$/m);
    expect(bold).toMatch(/smuggling of <117> drones/);
  });
});

describe('photo captions', () => {
  it('answer what no sentence says, cited as a caption and never confidently', () => {
    const answer = engine.answer('who is hakan fidan');
    expect(answer.answers[0]?.caption).toBe(true);
    expect(answer.answers[0]?.text).toMatch(/^Turkish Foreign Minister Hakan Fidan/);
    expect(answer.uncertain).toBe(true);
    expect(answer.short).toBe('Turkish Foreign Minister');
    expect(renderAnswerText(answer, CLI_SURFACE)).toMatch(/\(photo caption\)/);
  });

  it('stay out of the timeline', async () => {
    const events = await engine.timeline();
    expect(events.some((e) => /sits between military chief/.test(e.text))).toBe(false);
  });
});

describe('not found', () => {
  it('offers related questions whenever the question shares a word with the articles', () => {
    for (const question of [
      'was there a third round of talks in july',
      'what did the pope offer',
    ]) {
      const answer = engine.answer(question);
      if (answer.answered) continue;
      expect(answer.suggestions?.length ?? 0, question).toBeGreaterThan(0);
    }
  });
});
