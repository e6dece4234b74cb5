import { describe, expect, it } from 'vitest';
import { classifyParagraphs } from '../../src/knowledge/clean.ts';
import { createTermPipeline } from '../../src/search/index/terms.ts';
import { EMPTY_VOCABULARY } from '../../src/knowledge/vocabulary.ts';

const pipeline = createTermPipeline(EMPTY_VOCABULARY);
const classify = (body: string, title = 'Peace talks in Istanbul end without a ceasefire') =>
  classifyParagraphs(body, title, (text) => pipeline.terms(text, 'document')).map((p) => [
    p.kind,
    p.text,
  ]);

describe('classifyParagraphs', () => {
  it('marks headings, the repeated title and stray fragments', () => {
    expect(
      classify(
        'Peace talks in Istanbul end without a ceasefire\nBackground & Context\nThe talks in Istanbul ended without a ceasefire deal.\nfont change',
      ),
    ).toEqual([
      ['heading', 'Peace talks in Istanbul end without a ceasefire'],
      ['heading', 'Background & Context'],
      ['prose', 'The talks in Istanbul ended without a ceasefire deal.'],
      ['heading', 'font change'],
    ]);
  });

  it('marks photo credits and every copy of the caption that follows one', () => {
    const caption = 'The foreign minister sits between two chiefs at the talks in Istanbul.';
    const kinds = classify(
      `${caption}\nJane Doe/Reuters\n${caption}\nThe talks in Istanbul ended without a ceasefire.`,
    );
    expect(kinds.map(([kind]) => kind)).toEqual(['caption', 'credit', 'caption', 'prose']);
  });

  it('marks related links, ads and lines that share nothing with the story', () => {
    const kinds = classify(
      [
        'The talks in Istanbul ended without a ceasefire, officials in Istanbul said.',
        'Both delegations agreed to exchange prisoners after the talks.',
        'The ceasefire proposal was rejected by the other delegation.',
        'Officials said the prisoners would be exchanged within weeks.',
        'Related: Leaders meet again in Istanbul',
        'Gadgets & Gear – Be ready for anything — check out our trusted multitools.',
        'Camping Bags – Customize your carry system with compatible pouches and organizers.',
      ].join('\n'),
    );
    expect(kinds.map(([kind]) => kind)).toEqual([
      'prose',
      'prose',
      'prose',
      'prose',
      'related',
      'promo',
      'off-topic',
    ]);
  });

  it('keeps the first copy of a repeated paragraph and strips list markers', () => {
    const line = 'The ceasefire talks in Istanbul ended after an hour.';
    expect(classify(`- ${line}\n\n${line}`)).toEqual([
      ['prose', line],
      ['repeat', line],
    ]);
  });
});
