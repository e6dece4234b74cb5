/** Reading a feed document: RSS 2.0, Atom 1.0 and JSON Feed 1.1, and what is not a feed. */
import { describe, expect, it } from 'vitest';
import { FeedReadError, readFeed } from '../../src/feeds/read-feed.ts';
import { newsPage } from '../helpers/pages.ts';
import { atom, jsonFeed, rss, type Item } from './fixtures.ts';

const BASE = 'https://news.example/feeds/world.xml';

const ITEMS: Item[] = [
  {
    title: 'Second round of talks ends in Istanbul',
    link: 'https://news.example/world/second-round',
    guid: 'news-example-2001',
    summary: 'Delegations agreed a <b>prisoner exchange</b> &amp; little else.',
    published: 'Mon, 02 Jun 2025 18:00:00 GMT',
  },
  {
    title: 'Drone strikes before the talks',
    link: '/world/drones',
    summary: 'Plain text summary.',
  },
];

describe('readFeed', () => {
  it('reads RSS 2.0: title, links (relative ones resolved), plain-text summaries, keys', () => {
    const feed = readFeed(rss('World news', ITEMS), BASE);
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('World news');
    expect(feed.items).toEqual([
      {
        key: 'news-example-2001',
        link: 'https://news.example/world/second-round',
        title: 'Second round of talks ends in Istanbul',
        summary: 'Delegations agreed a prisoner exchange & little else.',
        published: 'Mon, 02 Jun 2025 18:00:00 GMT',
      },
      {
        // Without a guid the link is the key.
        key: 'https://news.example/world/drones',
        link: 'https://news.example/world/drones',
        title: 'Drone strikes before the talks',
        summary: 'Plain text summary.',
      },
    ]);
  });

  it('reads Atom 1.0', () => {
    const feed = readFeed(atom('World news (Atom)', ITEMS), BASE);
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('World news (Atom)');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      key: 'news-example-2001',
      link: 'https://news.example/world/second-round',
      title: 'Second round of talks ends in Istanbul',
      summary: 'Delegations agreed a prisoner exchange & little else.',
    });
    expect(feed.items[1]).toMatchObject({
      key: '/world/drones',
      link: 'https://news.example/world/drones',
      summary: 'Plain text summary.',
    });
  });

  it('reads JSON Feed 1.1', () => {
    const feed = readFeed(jsonFeed('World news (JSON)', ITEMS), BASE);
    expect(feed.format).toBe('json');
    expect(feed.title).toBe('World news (JSON)');
    expect(feed.items).toEqual([
      {
        key: 'news-example-2001',
        link: 'https://news.example/world/second-round',
        title: 'Second round of talks ends in Istanbul',
        summary: 'Delegations agreed a prisoner exchange & little else.',
        published: 'Mon, 02 Jun 2025 18:00:00 GMT',
      },
      {
        key: '/world/drones',
        link: 'https://news.example/world/drones',
        title: 'Drone strikes before the talks',
        summary: 'Plain text summary.',
      },
    ]);
  });

  it('keeps an item without a link (to be skipped), keyed by its guid or its title and date', () => {
    const feed = readFeed(
      rss('Live', [
        { title: 'Live updates', guid: 'live-1', summary: 'No link.' },
        { title: 'Breaking', published: 'Tue, 03 Jun 2025 08:00:00 GMT' },
        { title: 'Script link', link: 'javascript:alert(1)' },
      ]),
      BASE,
    );
    expect(feed.items.map((i) => [i.key, i.link])).toEqual([
      ['live-1', undefined],
      ['Breaking @ Tue, 03 Jun 2025 08:00:00 GMT', undefined],
      // Only http(s) links are followed (nor kept as its key).
      ['Script link @ ', undefined],
    ]);
  });

  it('refuses what is not a feed, saying what it is', () => {
    const refusal = (text: string) => {
      try {
        readFeed(text, BASE);
      } catch (error) {
        expect(error).toBeInstanceOf(FeedReadError);
        return (error as Error).message;
      }
      throw new Error('read as a feed');
    };
    expect(refusal(newsPage({ title: 'Front page', paragraphs: ['A page.'] }))).toBe(
      'that address is a web page, not a feed (look for its RSS or Atom link)',
    );
    const full = rss('Cut', ITEMS);
    expect(refusal(full.slice(0, full.indexOf('second-round')))).toMatch(
      /^that address is not an RSS, Atom or JSON feed/,
    );
    expect(refusal('<?xml version="1.0"?><rss version="2.0><channel><title>X</title>')).toMatch(
      /not an RSS, Atom or JSON feed/,
    );
    expect(refusal('{"version": "https://jsonfeed.org/version/1.1", "items": [')).toMatch(
      /not an RSS, Atom or JSON feed/,
    );
    expect(refusal('<?xml version="1.0"?><note><to>you</to></note>')).toMatch(
      /not an RSS, Atom or JSON feed/,
    );
    expect(refusal('')).toMatch(/not an RSS, Atom or JSON feed/);
  });
});
