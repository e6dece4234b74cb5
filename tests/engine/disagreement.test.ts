/** "Sources differ": flagged for one fact reported with different figures or dates, never for unrelated numbers. */
import { afterEach, describe, expect, it } from 'vitest';
import { disagree, valuesIn } from '../../src/search/answer/disagreement.ts';
import {
  article,
  openTestEngine,
  tempKnowledge,
  type TempKnowledge,
} from '../helpers/knowledge.ts';

const OPTIONS = { sameFact: 0.5, sharedTopic: 3 };
const report = (articleId: string, text: string) => ({
  articleId,
  text,
  terms: new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []),
});

describe('values in a sentence', () => {
  it('reads dates whole and numbers without thousands separators', () => {
    expect([
      ...valuesIn('On May 16, 2025 they swapped 1,000 prisoners; on 2 June, 390 more.'),
    ]).toEqual(['may 16, 2025', '1000', '2 june', '390']);
  });
});

describe('disagree', () => {
  it('flags the same report with a different date or figure', () => {
    const a = report('a', 'The delegations agreed to exchange 1,000 prisoners of war on May 16.');
    expect(
      disagree(
        a,
        report('b', 'The delegations agreed to exchange 1,000 prisoners of war on June 2.'),
        OPTIONS,
      ),
    ).toBe(true);
    expect(
      disagree(
        a,
        report('b', 'The delegations agreed to exchange 900 prisoners of war on May 16.'),
        OPTIONS,
      ),
    ).toBe(true);
  });

  it('flags one figure dated differently in differently worded reports of the same event', () => {
    expect(
      disagree(
        report(
          'a',
          'In the second round on May 16, both sides agreed to a swap of 1,000 prisoners.',
        ),
        report('b', 'June 2: the second round ended with a further prisoner swap of 1,000 each.'),
        OPTIONS,
      ),
    ).toBe(true);
  });

  it('stays silent for reports of different events: another round, meeting or day', () => {
    const first = report(
      'a',
      'In the first round on May 16, both sides agreed to a swap of 1,000 prisoners.',
    );
    const second = report(
      'b',
      'June 2: the second round ended with a further prisoner swap of 1,000 each.',
    );
    expect(disagree(first, second, OPTIONS)).toBe(false);
    expect(
      disagree(
        report(
          'a',
          'The delegations agreed at the first meeting to exchange 1,000 prisoners of war on May 16.',
        ),
        report(
          'b',
          'The delegations agreed at the second meeting to exchange 1,000 prisoners of war on June 2.',
        ),
        OPTIONS,
      ),
    ).toBe(false);
  });

  it('stays silent for unrelated numbers, equal values and one article', () => {
    const talks = report('a', 'Negotiators met for 90 minutes in Istanbul on May 16.');
    expect(
      disagree(
        talks,
        report('b', 'Ukraine said 117 drones hit four airfields on June 1.'),
        OPTIONS,
      ),
    ).toBe(false);
    expect(
      disagree(
        talks,
        report('b', 'Negotiators met for 90 minutes in Istanbul on May 16.'),
        OPTIONS,
      ),
    ).toBe(false);
    expect(
      disagree(
        talks,
        report('a', 'Negotiators met for 60 minutes in Istanbul on May 16.'),
        OPTIONS,
      ),
    ).toBe(false);
    expect(disagree(talks, report('b', 'Negotiators met in Istanbul.'), OPTIONS)).toBe(false);
  });
});

describe('answers with sources that disagree', () => {
  let folder: TempKnowledge;
  afterEach(() => folder.remove());

  it('says so, each version with its source, and not when the articles agree', async () => {
    folder = tempKnowledge();
    const body = (date: string) =>
      `The two delegations agreed to exchange 1,000 prisoners of war on ${date}, officials in Istanbul said.\n\nThe talks lasted about two hours.`;
    folder.write('early.md', article('Early report on the Istanbul swap', body('May 16')));
    folder.write('late.md', article('Late report on the Istanbul swap', body('June 2')));
    folder.write(
      'other.md',
      article('Drone raid', 'Ukraine said 117 drones hit four Russian airfields on June 1.'),
    );
    const engine = await openTestEngine(folder.dir);

    const answer = engine.answer('when did the delegations agree to exchange prisoners of war', {
      limit: 1,
    });
    expect(answer.disagreements).toHaveLength(1);
    const versions = answer.disagreements![0]!.versions;
    expect(versions.map((v) => v.sources.map((s) => s.id))).toEqual(
      expect.arrayContaining([['early'], ['late']]),
    );
    expect(versions.flatMap((v) => v.values)).toEqual(
      expect.arrayContaining(['May 16', 'June 2', '1,000']),
    );

    expect(engine.answer('how many drones hit russian airfields').disagreements).toBeUndefined();
  });
});
