import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/knowledge/segment.ts';

describe('splitSentences', () => {
  it('does not split after dotted acronyms such as U.S. and U.N.', () => {
    expect(
      splitSentences(
        'Talks ended on Monday. U.S. President Donald Trump wants a deal. The U.N. General Assembly met.',
      ),
    ).toEqual([
      'Talks ended on Monday.',
      'U.S. President Donald Trump wants a deal.',
      'The U.N. General Assembly met.',
    ]);
  });

  it('keeps titles like Dr. and Gen. and initials inside the sentence', () => {
    expect(
      splitSentences('He met Dr. Smith and Gen. Gurak in Ankara. J. R. Tolkien was not there.'),
    ).toEqual(['He met Dr. Smith and Gen. Gurak in Ankara.', 'J. R. Tolkien was not there.']);
  });

  it('joins a quote with the lowercase attribution that follows it', () => {
    expect(
      splitSentences(
        '“Is it over?” asked the official. "It was a very good meeting," said Erdoğan. Talks go on.',
      ),
    ).toEqual([
      '“Is it over?” asked the official.',
      '"It was a very good meeting," said Erdoğan.',
      'Talks go on.',
    ]);
  });

  it('keeps numbers such as 1,000, 3.5 and $7bn whole', () => {
    expect(
      splitSentences(
        'They swapped 1,000 prisoners. Damage reached $7bn, or 3.5 times more. No. 1 priority is peace.',
      ),
    ).toEqual([
      'They swapped 1,000 prisoners.',
      'Damage reached $7bn, or 3.5 times more.',
      'No. 1 priority is peace.',
    ]);
  });
});
