/**
 * Feeds for the tests of following them: RSS 2.0, Atom 1.0 and JSON Feed 1.1
 * documents built from a few items, a feed route that answers conditional
 * requests as real servers do (304 when the validators still hold), news
 * stories for the article pages, and a logger that keeps its lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Logger } from '../../src/logger.ts';
import { RIYADH_STORY, type PageMeta } from '../helpers/pages.ts';

export interface Item {
  readonly title: string;
  /** Absent: an item without a link. */
  readonly link?: string;
  readonly guid?: string;
  readonly summary?: string;
  readonly published?: string;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function rss(title: string, items: readonly Item[]): string {
  const entries = items.map(
    (item) => `    <item>
      <title>${xml(item.title)}</title>
${item.link === undefined ? '' : `      <link>${xml(item.link)}</link>\n`}${item.guid === undefined ? '' : `      <guid isPermaLink="false">${xml(item.guid)}</guid>\n`}      <description>${xml(item.summary ?? '')}</description>
${item.published === undefined ? '' : `      <pubDate>${item.published}</pubDate>\n`}    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${xml(title)}</title>
    <link>https://news.example/</link>
    <description>${xml(title)}</description>
${entries.join('\n')}
  </channel>
</rss>
`;
}

export function atom(title: string, items: readonly Item[]): string {
  const entries = items.map(
    (item, i) => `  <entry>
    <id>${xml(item.guid ?? item.link ?? `urn:entry:${i}`)}</id>
    <title type="text">${xml(item.title)}</title>
${item.link === undefined ? '' : `    <link rel="alternate" type="text/html" href="${xml(item.link)}"/>\n`}    <updated>${item.published ?? '2025-07-01T00:00:00Z'}</updated>
    <summary type="html">${xml(item.summary ?? '')}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${xml(title)}</title>
  <id>urn:feed:${xml(title)}</id>
  <updated>2025-07-01T00:00:00Z</updated>
${entries.join('\n')}
</feed>
`;
}

export function jsonFeed(title: string, items: readonly Item[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title,
    home_page_url: 'https://news.example/',
    items: items.map((item, i) => ({
      id: item.guid ?? item.link ?? String(i),
      ...(item.link !== undefined && { url: item.link }),
      title: item.title,
      ...(item.summary !== undefined && { summary: item.summary }),
      ...(item.published !== undefined && { date_published: item.published }),
    })),
  });
}

type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** What the feed route was asked: its conditional headers, and what it answered. */
export interface FeedRequest {
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  readonly status: number;
}

/**
 * A feed the test can change, served with an ETag and a Last-Modified (either
 * may be left out) and answering 304 when the request's validators match —
 * If-None-Match first, as RFC 9110 says.
 */
export class ServedFeed {
  readonly requests: FeedRequest[] = [];
  constructor(
    public body: string,
    public etag: string | undefined,
    public lastModified: string | undefined,
    public contentType = 'application/rss+xml; charset=utf-8',
  ) {}

  /** A new version of the feed, with new validators. */
  change(body: string, etag?: string, lastModified?: string): void {
    this.body = body;
    this.etag = etag;
    this.lastModified = lastModified;
  }

  readonly route: Route = (req, res) => {
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    const unchanged =
      ifNoneMatch !== undefined
        ? this.etag !== undefined && ifNoneMatch === this.etag
        : ifModifiedSince !== undefined &&
          this.lastModified !== undefined &&
          ifModifiedSince === this.lastModified;
    const validators = {
      ...(this.etag !== undefined && { etag: this.etag }),
      ...(this.lastModified !== undefined && { 'last-modified': this.lastModified }),
    };
    const status = unchanged ? 304 : 200;
    this.requests.push({
      ...(ifNoneMatch !== undefined && { ifNoneMatch }),
      ...(ifModifiedSince !== undefined && { ifModifiedSince }),
      status,
    });
    if (unchanged) res.writeHead(304, validators).end();
    else res.writeHead(200, { 'content-type': this.contentType, ...validators }).end(this.body);
  };
}

/** One log line as the poller wrote it. */
export interface LogLine {
  readonly level: 'info' | 'warn';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger keeping its lines, for checking what the poller said and why. */
export function recordingLogger(): { logger: Pick<Logger, 'info' | 'warn'>; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, fields, message });
    };
  return {
    logger: { info: at('info'), warn: at('warn') } as unknown as Pick<Logger, 'info' | 'warn'>,
    lines,
  };
}

/** Lowercase word sets and their overlap: an independent check of "says the same". */
export const wordsOf = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu));

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Every sentence of the article files in a folder (split at sentence ends, roughly). */
export function sentencesInFolder(dir: string): string[] {
  const sentences: string[] = [];
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const body = readFileSync(join(dir, file), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    for (const line of body.split('\n')) {
      for (const sentence of line.split(/(?<=[.!?])\s+(?=[A-Z0-9“"])/)) {
        if (sentence.trim().split(/\s+/).length >= 4) sentences.push(sentence.trim());
      }
    }
  }
  return sentences;
}

/** A story about the talks that none of the articles tells, found only by its words. */
export const PRISONERS: PageMeta = {
  title: 'Prisoner exchange brings 307 soldiers home through Chernihiv',
  paragraphs: [
    'The prisoner exchange agreed in Istanbul brought 307 Ukrainian soldiers home on Friday, the coordination headquarters said.',
    'The soldiers released in the exchange crossed the border near Chernihiv in white buses shortly before dawn.',
    'Doctors at a hospital in Chernihiv examined every soldier returning from the prisoner exchange on the same day.',
  ],
  siteName: 'Kyiv Ledger',
  published: '2025-07-04T06:00:00Z',
};
export const PRISONERS_QUESTION = 'where did the released soldiers cross the border';

/** On the talks, in other words than the articles' (no words needed to take it). */
export const DELEGATIONS: PageMeta = {
  title: 'Delegations meet again in Istanbul',
  paragraphs: [
    'Ukrainian and Russian delegations met again in Istanbul on Wednesday for another round of peace talks.',
    'The meeting at Ciragan Palace lasted a little over an hour, officials from both delegations said.',
    'Turkish Foreign Minister Hakan Fidan chaired the talks between the two delegations.',
    'Russia again turned down the Ukrainian demand for an unconditional ceasefire lasting 30 days.',
    'Vladimir Medinsky headed the Russian delegation, while Defence Minister Rustem Umerov led the Ukrainian team.',
    'The two delegations agreed on a further exchange of prisoners of war and the bodies of fallen soldiers.',
  ],
  siteName: 'Bosphorus Daily',
  published: '2025-07-09',
};

/** Off the topic of the talks. */
export const COOKING: PageMeta = {
  title: 'Harbour food festival draws record crowds',
  paragraphs: [
    'The annual harbour food festival opened on Saturday with more than forty street kitchens along the harbour.',
    'Chefs at the festival served grilled fish, stuffed peppers and fresh baklava to thousands of visitors.',
    'Organisers said the food festival would run until Sunday evening, with live music by the harbour.',
    'A family bakery from the old town won the festival prize for the best sourdough bread.',
    'The festival judges praised the crust of the winning bread and the fresh fish of the harbour kitchens.',
  ],
  siteName: 'Harbour Times',
};
export const FOOTBALL: PageMeta = {
  title: 'City striker scores twice as the club wins the derby',
  paragraphs: [
    'The club won the city derby 3-1 on Sunday in front of a sold-out stadium.',
    'The new striker of the club scored twice in the second half of the derby after coming off the bench.',
    'The visiting goalkeeper was sent off in the derby for a foul outside his area in the 70th minute.',
    'The derby win lifts the club to third place in the league with five games left.',
  ],
  siteName: 'Sports Desk',
};

/** About the talks, but not about a prisoner exchange. */
export const RIYADH: PageMeta = RIYADH_STORY;

/** Two stories for the conditional-request test, the second published later. */
export const RED_CROSS_VISIT: PageMeta = {
  title: 'Red Cross visits prisoner camps after the Istanbul talks',
  paragraphs: [
    'Red Cross inspectors visited eleven prisoner camps in the Bryansk region after the Istanbul talks, the Red Cross said.',
    'The Red Cross inspectors spoke privately with detained Ukrainian soldiers in each of the camps.',
    'A report on the camps will go to both governments, the Red Cross said on Thursday.',
  ],
  siteName: 'Geneva Notes',
  published: '2025-07-10',
};
export const RED_CROSS_LETTERS: PageMeta = {
  title: 'Red Cross delivers letters from prisoners to their families',
  paragraphs: [
    'The Red Cross delivered 2,400 letters from prisoners of war to their families in Lviv on Monday.',
    'Families queued outside the Red Cross office in Lviv for hours to collect the letters.',
    'The Red Cross plans a second delivery of letters from prisoners next month, its Lviv office said.',
  ],
  siteName: 'Geneva Notes',
  published: '2025-07-14',
};
export const RED_CROSS_LETTERS_QUESTION = 'how many letters did the Red Cross deliver to families';

/** For the tests of items seen once, and of an item among broken ones. */
export const HARVEST: PageMeta = {
  title: 'Grain harvest in Kherson delayed by mines',
  paragraphs: [
    'Farmers in the Kherson region said mines left in their fields delayed the grain harvest by three weeks.',
    'Deminers cleared 900 hectares of grain fields in Kherson in June, the regional governor said.',
    'The grain harvest in Kherson is expected to be a third smaller than before the war.',
  ],
  siteName: 'Farm Gazette',
  published: '2025-07-02',
};
export const BLACK_SEA_PORTS: PageMeta = {
  title: 'Insurers raise premiums for ships calling at Black Sea ports',
  paragraphs: [
    'Insurers raised war-risk premiums for ships calling at Black Sea ports by a quarter this week.',
    'Ship owners said the higher premiums for the Black Sea would add about 40,000 dollars to each voyage.',
    'The Black Sea premiums rose after drones struck a port near Odesa on Monday.',
  ],
  siteName: 'Shipping Wire',
  published: '2025-07-03',
};
export const FERRY: PageMeta = {
  title: 'Ferry service between Odesa and Istanbul resumes',
  paragraphs: [
    'A ferry service between Odesa and Istanbul resumed on Tuesday for the first time since 2022, the ferry operator said.',
    'The first ferry carried 180 passengers and 40 lorries across the Black Sea to Istanbul.',
    'The ferry operator plans two crossings a week between Odesa and Istanbul until October.',
  ],
  siteName: 'Port Log',
  published: '2025-07-08',
};
export const FERRY_QUESTION = 'how many passengers did the first ferry carry';
export const BLACK_SEA_QUESTION = 'by how much did insurers raise war-risk premiums for ships';

/**
 * What a new article adds: a mix of the articles' own sentences, reworded
 * (kept), and sentences no article says (NEW).
 */
export const REWORDED = [
  'Russia now holds about a fifth of Ukrainian territory, Crimea included, which it annexed more than a decade ago.',
  'Russia and Ukraine agreed to exchange all sick or seriously wounded prisoners of war, and any soldiers under the age of 25.',
  'The peace talks in Istanbul lasted just over an hour and produced no breakthrough on ending the war, now in its third year.',
];
export const NEW = [
  'Swiss mediators offered to host a fourth round of the Russia-Ukraine peace talks in Geneva before the end of August.',
  'Under the Swiss proposal, a joint commission of twelve engineers would inspect damaged dams along the Dnipro river in Ukraine.',
];
export const MIXED: PageMeta = {
  title: 'Swiss mediators offer Geneva for the next round of Russia-Ukraine peace talks',
  paragraphs: [REWORDED[0]!, NEW[0]!, REWORDED[1]!, NEW[1]!, REWORDED[2]!],
  siteName: 'Alpine Post',
  published: '2025-07-12',
};
/** Only what the articles already say, reworded (not copied: a copy would be refused). */
export const RESTATED = [
  'US President Donald Trump has been criticised for not placing harsher sanctions on Russia over the war in Ukraine.',
  'Russia also promised to return the bodies of 6,000 Ukrainian soldiers, but no exact timeline was given for these exchanges.',
  'The Ukrainian team in Istanbul was led by Defence Minister Rustem Umerov, and Ukraine demanded a 30-day unconditional ceasefire.',
];
export const NOTHING_NEW: PageMeta = {
  title: 'Russia and Ukraine end Istanbul talks with a limited swap',
  paragraphs: RESTATED,
  siteName: 'Recap Weekly',
  published: '2025-07-13',
};
