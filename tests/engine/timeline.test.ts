import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load.ts';
import type { Article, Sentence } from '../../src/knowledge/types.ts';
import { jaccard } from '../../src/search/jaccard.ts';
import {
  compareDates,
  extractTimeline,
  filterTimeline,
  groupReports,
  parseTimelineBound,
  sentenceDates,
  type TimelineEvent,
} from '../../src/search/timeline/timeline.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';

let knowledge: KnowledgeBase;
let termsOf: (text: string) => Set<string>;
beforeAll(async () => {
  knowledge = await loadKnowledge(KNOWLEDGE_DIR);
  termsOf = (text) => new Set(knowledge.pipeline.terms(text, 'document'));
});

function articleOf(id: string): Article {
  return { id, file: `${id}.md`, title: `Title of ${id}`, body: '', publisher: `Publisher ${id}` };
}

/** Sentences from [articleId, text] pairs, ids in the given order. */
function corpus(rows: readonly (readonly [string, string])[]) {
  const sentences: Sentence[] = rows.map(([articleId, text], id) => ({
    id,
    key: `key-${id}`,
    articleId,
    paragraph: 0,
    text,
  }));
  const articles = new Map(rows.map(([id]) => [id, articleOf(id)] as const));
  return { sentences, articles };
}

function timelineOf(...texts: string[]): TimelineEvent[] {
  const { sentences, articles } = corpus(texts.map((text) => ['a', text] as const));
  return extractTimeline(sentences, articles, termsOf);
}

function datesOf(text: string): string[] {
  return timelineOf(text).map((event) => `${event.date} ${event.precision}`);
}

describe('extractTimeline: dates as written', () => {
  it.each([
    ['May 16, 2025: The first direct peace talks were held in Istanbul.', '2025-05-16 day'],
    ['On 16 May 2025, Istanbul hosted the first direct talks in three years.', '2025-05-16 day'],
    ['The delegations met again on 2 June 2025 at Çırağan Palace.', '2025-06-02 day'],
    ['On June 2, 2025, the second round concluded without a ceasefire.', '2025-06-02 day'],
    ['Russia launched a full-scale invasion in February 2022.', '2022-02 month'],
    ['February 2022: Russia launched a full-scale invasion of Ukraine.', '2022-02 month'],
    ['The memorandum was dated 2025-06-01 by the Russian side.', '2025-06-01 day'],
    ['The ministry published the list on 16.05.2025 in Moscow.', '2025-05-16 day'],
    ['A response was expected by the end of June 2025 at the latest.', '2025-06 month'],
  ])('%s', (text, expected) => {
    expect(datesOf(text)).toEqual([expected]);
  });

  it('keeps the sentence verbatim with its key and source', () => {
    const [event] = timelineOf('Talks resumed on 2 June 2025 in Istanbul.');
    expect(event).toEqual({
      date: '2025-06-02',
      precision: 'day',
      text: 'Talks resumed on 2 June 2025 in Istanbul.',
      key: 'key-0',
      sources: [{ id: 'a', title: 'Title of a', publisher: 'Publisher a' }],
    });
  });

  it('drops an opening date label that states the event date, so a line shows the date once', () => {
    const labelled = (text: string) => timelineOf(text).map((e) => e.textAfterDate);
    expect(labelled('June 2, 2025: The second round took place in Istanbul.')).toEqual([
      'The second round took place in Istanbul.',
    ]);
    expect(labelled('February 2022 – Russia launched a full-scale invasion.')).toEqual([
      'Russia launched a full-scale invasion.',
    ]);
    // A label naming another date, or none, keeps the whole sentence.
    expect(labelled('Talks resumed on 2 June 2025 in Istanbul.')).toEqual([undefined]);
    expect(labelled('Istanbul: talks resumed on 2 June 2025.')).toEqual([undefined]);
    expect(labelled('May 16, 2025: The sides agreed to meet again on 2 June 2025.').sort()).toEqual(
      ['The sides agreed to meet again on 2 June 2025.', undefined].sort(),
    );
  });

  it('leaves out a day and month whose year is not written', () => {
    expect(
      datesOf('In the first round of discussions on May 16, both sides agreed a swap.'),
    ).toEqual([]);
    expect(datesOf('The talks were held a fortnight after the first meeting on 16 May.')).toEqual(
      [],
    );
    expect(datesOf('A response was expected by the end of June.')).toEqual([]);
  });

  it('leaves out relative dates', () => {
    for (const text of [
      'Last week, Fidan embarked on a round of shuttle diplomacy.',
      'Russia will hand over the bodies of 6,000 soldiers next week.',
      'The talks were held at the Çırağan Palace this week.',
      'The request to end the conflict today comes from Washington.',
      'They suggested a meeting at the end of the month.',
      'It was the first direct meeting in three years.',
      'Two days after June 2, 2025 the exchange began.',
      'The second round came a fortnight after 16 May 2025, in Istanbul.',
      'Several days after 16 May 2025 the swap was completed.',
      'Ukraine had sent its proposals days before the talks of 2025.',
    ]) {
      expect(datesOf(text), text).toEqual([]);
    }
  });

  it('never gives "May–May 2025" a day', () => {
    for (const text of [
      'May–May 2025: Ukraine conducted deep long-range drone strikes on Russian airbases.',
      'May-May 2025: Ukraine conducted drone strikes.',
    ]) {
      const events = timelineOf(text);
      expect(events.length).toBeLessThanOrEqual(1);
      for (const event of events)
        expect([event.date, event.precision]).toEqual(['2025-05', 'month']);
    }
  });

  it('dates the start of a range with the year written at its end', () => {
    expect(datesOf('Talks ran from May 16 to June 2, 2025 in Istanbul.')).toEqual([
      '2025-05-16 day',
    ]);
    expect(datesOf('Fighting paused from December 28 to January 3, 2026 in the east.')).toEqual([
      '2025-12-28 day',
    ]);
    expect(datesOf('Direct talks were held in Istanbul in May and June 2025.')).toEqual([
      '2025-05 month',
      '2025-06 month',
    ]);
    // Which year the December belongs to is not written: leave it out.
    expect(datesOf('Exchanges took place in December and January 2026.')).toEqual([
      '2026-01 month',
    ]);
  });

  it('gives one event per date when a sentence states two', () => {
    const text =
      'Russia invaded in February 2022, and direct talks began on 16 May 2025 in Istanbul.';
    const events = timelineOf(text);
    expect(events.map((e) => e.date)).toEqual(['2022-02', '2025-05-16']);
    expect(events.every((e) => e.text === text)).toBe(true);
    expect(datesOf('The talks on 16 May 2025 and on 16 May 2025 again were short.')).toEqual([
      '2025-05-16 day',
    ]);
  });

  it('keeps a year on its own only when nothing finer in that year is written', () => {
    expect(datesOf('Russia occupies Crimea, which it annexed in 2014.')).toEqual(['2014 year']);
    expect(datesOf('Türkiye has mediated since 2022, when Russia first invaded.')).toEqual([
      '2022 year',
    ]);
    expect(datesOf('The war began in February 2022; in 2022, thousands died.')).toEqual([
      '2022-02 month',
    ]);
    expect(datesOf('Crimea was annexed in 2014 and talks began on 16 May 2025.')).toEqual([
      '2014 year',
      '2025-05-16 day',
    ]);
  });

  it('does not read counts or verbs as dates', () => {
    expect(datesOf('Aid reached people in 2000 villages along the front line.')).toEqual([]);
    expect(datesOf('Estimates rose from 2000 to 3000 troops in the sector.')).toEqual([]);
    expect(datesOf('The columns may march 2000 km before winter sets in.')).toEqual([]);
    expect(datesOf('Both sides agreed to exchange 1,000 prisoners of war.')).toEqual([]);
    expect(datesOf('The report was published on May 32, 2025 by mistake.')).toEqual([]);
  });

  it('keeps only the year of a numeric date that reads both ways', () => {
    // 06/02/2025: 6 February or 2 June?
    expect(datesOf('The decree was signed on 06/02/2025 in Kyiv.')).toEqual(['2025 year']);
  });
});

describe('extractTimeline: order and merging', () => {
  it('sorts by date, a month or year after the days inside it, ties in corpus order', () => {
    const events = timelineOf(
      'The second round was held on June 2, 2025 in Istanbul.',
      'Drone strikes hit Russian airbases in May 2025.',
      'The first round took place on May 16, 2025 in Istanbul.',
      'Türkiye has mediated since 2022, when Russia first invaded.',
      'Russia launched its full-scale invasion in February 2022.',
      'Delegations arrived in Istanbul on May 16, 2025 for talks.',
    );
    expect(events.map((e) => e.date)).toEqual([
      '2022-02',
      '2022',
      '2025-05-16',
      '2025-05-16',
      '2025-05',
      '2025-06-02',
    ]);
    expect(events[2]?.key).toBe('key-2');
    expect(events[3]?.key).toBe('key-5');
    for (let i = 1; i < events.length; i += 1) {
      expect(compareDates(events[i - 1]!.date, events[i]!.date)).toBeLessThanOrEqual(0);
    }
  });

  it('merges near-identical reports across articles and cites every one', () => {
    const { sentences, articles } = corpus([
      ['other', 'Weather in Istanbul was mild.'],
      ['second', 'On 16 May 2025, the first direct peace talks were held in Istanbul.'],
      ['first', 'On 16 May 2025 the first direct peace talks were held in Istanbul.'],
      ['third', 'On 16 May 2025, ministers argued about sanctions in Brussels.'],
      ['fourth', 'On 2 June 2025, the first direct peace talks were held in Istanbul.'],
    ]);
    const events = extractTimeline(sentences, articles, termsOf);
    expect(events.map((e) => [e.date, e.key, e.sources.map((s) => s.id)])).toEqual([
      ['2025-05-16', 'key-1', ['second', 'first']],
      ['2025-05-16', 'key-3', ['third']],
      ['2025-06-02', 'key-4', ['fourth']],
    ]);
    expect(events[0]?.text).toBe(sentences[1]?.text);
  });

  it('lists an article once when several of its sentences are merged', () => {
    const { sentences, articles } = corpus([
      ['a', 'On 16 May 2025, the first direct peace talks were held in Istanbul.'],
      ['a', 'On 16 May 2025 the first direct peace talks were held in Istanbul!'],
      ['b', 'On 16 May 2025 the first direct peace talks were held in Istanbul.'],
    ]);
    const events = extractTimeline(sentences, articles, termsOf);
    expect(events.map((e) => [e.key, e.sources.map((s) => s.id)])).toEqual([['key-0', ['a', 'b']]]);
  });

  it('honours the merge threshold and accepts term lists', () => {
    const { sentences, articles } = corpus([
      ['a', 'On 16 May 2025, the first direct peace talks were held in Istanbul.'],
      ['b', 'On 16 May 2025 the first direct peace talks were held in Istanbul.'],
    ]);
    const asList = (text: string) => [...termsOf(text)];
    expect(extractTimeline(sentences, articles, asList)).toHaveLength(1);
    expect(
      extractTimeline(sentences, articles, () => [String(Math.random())], { mergeSimilarity: 0.8 }),
    ).toHaveLength(2);
  });

  it('skips sentences whose article is unknown', () => {
    const { sentences } = corpus([['gone', 'Talks were held on 16 May 2025.']]);
    expect(extractTimeline(sentences, new Map(), termsOf)).toEqual([]);
  });

  it('is fast on a large corpus', () => {
    const rows: [string, string][] = [];
    const expected = new Set<string>();
    for (let i = 0; i < 30_000; i += 1) {
      const [day, year] = [1 + (i % 28), 1990 + (i % 35)];
      if (i % 10 === 0) expected.add(`${year}-05-${String(day).padStart(2, '0')}`);
      rows.push([
        `a${i % 50}`,
        i % 10 === 0
          ? `Report ${i}: delegations met on ${day} May ${year} in Istanbul.`
          : `Report ${i}: the delegations discussed prisoner exchanges in 2000 villages.`,
      ]);
    }
    const { sentences, articles } = corpus(rows);
    const started = performance.now();
    const events = extractTimeline(sentences, articles, termsOf);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(new Set(events.map((e) => e.date))).toEqual(expected);
  });
});

describe('groupReports', () => {
  /** The definition: each item joins the first group whose lead is similar enough. */
  function bruteForce(sets: readonly Set<string>[], threshold: number): number[][] {
    const groups: number[][] = [];
    sets.forEach((set, i) => {
      const group = groups.find((g) => jaccard(sets[g[0]!]!, set) >= threshold);
      if (group) group.push(i);
      else groups.push([i]);
    });
    return groups;
  }

  it('finds exactly the groups a full comparison finds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.constantFrom(...'abcdefghij'), { maxLength: 8 }), {
          maxLength: 40,
        }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (lists, threshold) => {
          const sets = lists.map((list) => new Set(list));
          const indexes = sets.map((_, i) => i);
          const grouped = groupReports(indexes, String, (i) => sets[Number(i)]!, threshold);
          expect(grouped).toEqual(bruteForce(sets, threshold));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays fast when one date has thousands of different sentences', () => {
    const word = (n: number) =>
      `z${n.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]!)}`;
    const rows: [string, string][] = [];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) % 3000;
    for (let i = 0; i < 20_000; i += 1) {
      const words = Array.from({ length: 8 }, () => word(random())).join(' ');
      rows.push([`a${i % 40}`, `On 16 May 2025 ${words}.`]);
    }
    const { sentences, articles } = corpus(rows);
    const started = performance.now();
    const events = extractTimeline(sentences, articles, termsOf);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(events.length).toBeGreaterThan(19_000);
    expect(events.every((e) => e.date === '2025-05-16')).toBe(true);
  });
});

describe('filterTimeline', () => {
  const event = (date: string): TimelineEvent => ({
    date,
    precision: date.length === 10 ? 'day' : date.length === 7 ? 'month' : 'year',
    text: date,
    key: date,
    sources: [],
  });
  const events = ['2022', '2022-02', '2025-05', '2025-05-15', '2025-05-16', '2025-06-02'].map(
    event,
  );
  const dates = (range: { from?: string; to?: string }) =>
    filterTimeline(events, range).map((e) => e.date);

  it('is inclusive at both ends', () => {
    expect(dates({ from: '2025-05-16', to: '2025-06-02' })).toEqual([
      '2025-05',
      '2025-05-16',
      '2025-06-02',
    ]);
    expect(dates({ from: '2025-05-15', to: '2025-05-15' })).toEqual(['2025-05', '2025-05-15']);
  });

  it('compares at the coarser precision, keeping events that may overlap', () => {
    expect(dates({ to: '2025-05' })).toEqual([
      '2022',
      '2022-02',
      '2025-05',
      '2025-05-15',
      '2025-05-16',
    ]);
    expect(dates({ from: '2022-03' })).toEqual([
      '2022',
      '2025-05',
      '2025-05-15',
      '2025-05-16',
      '2025-06-02',
    ]);
    expect(dates({ from: '2023', to: '2024' })).toEqual([]);
    expect(dates({})).toEqual(events.map((e) => e.date));
  });

  it('rejects bounds that are not ISO dates', () => {
    expect(() => filterTimeline(events, { from: 'June 2025' })).toThrow(RangeError);
    expect(() => filterTimeline(events, { to: '2025-13' })).toThrow(RangeError);
  });
});

describe('parseTimelineBound', () => {
  it.each([
    ['2025-06-01', '2025-06-01', 'day'],
    ['2025-06', '2025-06', 'month'],
    ['2025', '2025', 'year'],
    ['in 2025', '2025', 'year'],
    ['June 2025', '2025-06', 'month'],
    ['june 2025', '2025-06', 'month'],
    ['May 2025', '2025-05', 'month'],
    ['2 June 2025', '2025-06-02', 'day'],
    ['June 2, 2025', '2025-06-02', 'day'],
    [' on 16 May 2025 ', '2025-05-16', 'day'],
    ['16.05.2025', '2025-05-16', 'day'],
  ])('accepts %j', (text, date, precision) => {
    expect(parseTimelineBound(text)).toEqual({ date, precision });
  });

  it.each([
    'yesterday',
    'next week',
    'June 2',
    '16 May',
    '',
    '   ',
    'asdf',
    'the talks',
    '2025-13-01',
    '2025-02-30',
    'May 32, 2025',
    'June 2025 and more words',
    'May 2025 to June 2025',
    '06/02/2025',
    'x'.repeat(500),
  ])('rejects %j', (text) => {
    expect(parseTimelineBound(text)).toBeUndefined();
  });
});

describe('the real corpus', () => {
  let events: TimelineEvent[];
  beforeAll(() => {
    const articles = new Map(knowledge.articles.map((a) => [a.id, a] as const));
    events = extractTimeline(knowledge.sentences, articles, termsOf);
  });

  // prettier-ignore
  const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

  it('dates every event with a date written in its sentence', () => {
    expect(events.length).toBeGreaterThan(0);
    for (const { date, precision, text } of events) {
      const [year, month, day] = date.split('-');
      expect(date).toMatch(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/);
      expect(precision).toBe(['year', 'month', 'day'][date.split('-').length - 1]);
      expect(text, date).toMatch(new RegExp(`(?<!\\d)${year}(?!\\d)`));
      if (month !== undefined) {
        const name = MONTHS[Number(month) - 1]!;
        const named = new RegExp(`\\b${name}`, 'i').test(text);
        expect(named || new RegExp(`(?<!\\d)0?${Number(month)}(?!\\d)`).test(text), date).toBe(
          true,
        );
      }
      if (day !== undefined) {
        expect(text, date).toMatch(new RegExp(`(?<!\\d)0?${Number(day)}(?!\\d)`));
      }
    }
  });

  it('never dates an event in a year its sentence does not write', () => {
    for (const { date, text } of events) {
      const written = [...text.matchAll(/(?<!\d)\d{4}(?!\d)/g)].map(([y]) => y);
      expect(written, text).toContain(date.slice(0, 4));
    }
  });

  it('has the first round on 2025-05-16 and the second on 2025-06-02', () => {
    const on = (date: string) => events.filter((e) => e.date === date);
    expect(on('2025-05-16').length).toBeGreaterThanOrEqual(2);
    expect(on('2025-05-16').some((e) => /first/i.test(e.text))).toBe(true);
    expect(on('2025-06-02').length).toBeGreaterThanOrEqual(1);
    expect(on('2025-06-02').every((e) => /second/i.test(e.text))).toBe(true);
    expect(on('2022-02').some((e) => /invasion/i.test(e.text))).toBe(true);
  });

  it('leaves out dates the corpus writes without a year', () => {
    // "on 16 May." and "on May 16," appear without a year; they must not be dated.
    const yearless = knowledge.sentences.filter(
      (s) => /\b16 May\b|\bMay 16\b/.test(s.text) && !/\b\d{4}\b/.test(s.text),
    );
    expect(yearless.length).toBeGreaterThan(0);
    const texts = new Set(events.map((e) => e.text));
    for (const sentence of yearless) expect(texts.has(sentence.text), sentence.text).toBe(false);
  });

  it('is sorted, cites real articles and points at real sentences', () => {
    const sentenceByKey = new Map(knowledge.sentences.map((s) => [s.key, s] as const));
    for (let i = 1; i < events.length; i += 1) {
      expect(compareDates(events[i - 1]!.date, events[i]!.date)).toBeLessThanOrEqual(0);
    }
    for (const event of events) {
      const sentence = sentenceByKey.get(event.key);
      expect(sentence?.text).toBe(event.text);
      expect(event.sources[0]?.id).toBe(sentence?.articleId);
      expect(sentenceDates(event.text).map((d) => d.date)).toContain(event.date);
    }
  });
});
