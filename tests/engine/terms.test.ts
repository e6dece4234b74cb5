import { describe, expect, it } from 'vitest';
import { foldText } from '../../src/knowledge/fold.ts';
import { createTermPipeline, tokenize } from '../../src/search/index/terms.ts';
import { parseVocabulary } from '../../src/knowledge/vocabulary.ts';

const pipeline = createTermPipeline(
  parseVocabulary(
    'aliases:\n  kyiv: [kiev]\n  prisoner of war: [pow]\n  united states: [us]\n  exchange: [swap]\n',
  ),
);
const doc = (text: string) => pipeline.terms(text, 'document');
const query = (text: string) => pipeline.terms(text, 'query');

describe('term pipeline', () => {
  it('folds diacritics, including letters NFKD cannot split', () => {
    expect(foldText('Çırağan Erdoğan Łódź')).toBe('Ciragan Erdogan Lodz');
    expect(doc('Çırağan Palace')).toEqual(doc('Ciragan palace'));
    expect(doc('Erdoğan')).toEqual(doc('erdogan'));
  });

  it('keeps dotted acronyms whole and tells US the country from us the pronoun', () => {
    expect(tokenize('The U.S. and the E.U.')).toEqual(['The', 'US', 'and', 'the', 'EU']);
    expect(doc('U.S. sanctions')).toEqual([...doc('United States'), ...doc('sanctions')]);
    expect(query('tell us about sanctions')).toEqual(doc('sanctions'));
  });

  it('removes thousands separators so 1,000 and 1000 match', () => {
    expect(doc('1,000 prisoners')).toEqual(doc('1000 prisoners'));
  });

  it('maps vocabulary variants, including inflected forms and multi-word canonicals', () => {
    expect(doc('Kiev')).toEqual(doc('Kyiv'));
    expect(doc('POWs')).toEqual(doc('prisoners of war'));
    expect(doc('swapped')).toEqual(doc('exchange'));
  });

  it('stems with Porter2 and keeps negations', () => {
    expect(doc('negotiations negotiating')).toEqual(['negoti', 'negoti']);
    expect(doc('news')).not.toEqual(doc('new'));
    expect(doc('did not agree')).toContain('not');
  });

  it('drops question framing only from questions', () => {
    expect(query('what happened with the ceasefire')).toEqual(doc('ceasefire'));
    expect(doc('it happened')).toContain('happen');
  });
});
