/**
 * Following news feeds, end to end without Discord: a real HTTP server on
 * 127.0.0.1 serves the feeds and the article pages, the store is SQLite in a
 * throw-away folder, and the articles are a copy of the real knowledge folder
 * (README, "Following the news").
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary, type KnowledgeLibrary } from '../../src/engine/library.ts';
import { describeFeed } from '../../src/feeds/describe.ts';
import { startFeedService } from '../../src/feeds/feed-service.ts';
import { followFeed } from '../../src/feeds/follow.ts';
import {
  PAUSE_AFTER_FAILURES,
  pollDueFeeds,
  pollFeed,
  type FeedPollDeps,
} from '../../src/feeds/poll-feed.ts';
import type { Reply } from '../../src/runtime/reply.ts';
import { renderReply } from '../../src/render/discord.ts';
import type { Answer } from '../../src/search/types.ts';
import { openStore, type FeedInput, type Store, type StoredFeed } from '../../src/store/store.ts';
import { openTestEngine, tempKnowledge, type TempKnowledge } from '../helpers/knowledge.ts';
import {
  html,
  newsPage,
  redirect,
  servePages,
  type PageMeta,
  type Served,
} from '../helpers/pages.ts';
import {
  atom,
  BLACK_SEA_PORTS,
  BLACK_SEA_QUESTION,
  COOKING,
  DELEGATIONS,
  FERRY,
  FERRY_QUESTION,
  FOOTBALL,
  HARVEST,
  jaccard,
  jsonFeed,
  MIXED,
  NEW,
  NOTHING_NEW,
  PRISONERS,
  PRISONERS_QUESTION,
  recordingLogger,
  RED_CROSS_LETTERS,
  RED_CROSS_LETTERS_QUESTION,
  RED_CROSS_VISIT,
  RESTATED,
  REWORDED,
  RIYADH,
  rss,
  sentencesInFolder,
  ServedFeed,
  wordsOf,
  type Item,
} from './fixtures.ts';

type Route = Parameters<typeof servePages>[0][string];

/** Answered by the seed articles, before and after any feed is polled. */
const SEED_QUESTION = 'who led the Russian delegation';

describe('polling a followed feed', () => {
  let folder: TempKnowledge;
  let dataDir: string;
  let store: Store;
  let library: KnowledgeLibrary;
  let site: Served;
  const routes: Record<string, Route> = {};
  const { logger, lines } = recordingLogger();

  beforeAll(async () => {
    folder = tempKnowledge({ withRealArticles: true });
    dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-feeds-'));
    store = await openStore({ dataDir });
    library = createLibrary(folder.dir, await openTestEngine(folder.dir));
    // The routes object is read at each request: tests add their pages and feeds to it.
    site = await servePages(routes);
  });
  afterAll(async () => {
    await library.settled();
    await store.close();
    await site.close();
    folder.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const fetchOptions = () => ({ allowedHosts: [site.host] });
  const deps = (extra: Partial<FeedPollDeps> = {}): FeedPollDeps => ({
    store,
    library,
    logger,
    fetch: fetchOptions(),
    pollMinutes: 30,
    holder: 'test-instance',
    ...extra,
  });
  /** Serves an article page at `path`; its address. */
  const page = (path: string, meta: PageMeta) => {
    routes[path] = html(newsPage(meta));
    return `${site.origin}${path}`;
  };
  const serve = (path: string, route: Route) => {
    routes[path] = route;
    return `${site.origin}${path}`;
  };
  /** How often the server was asked for `url`. */
  const hits = (url: string) => site.requests.filter((p) => p === new URL(url).pathname).length;
  const item = (meta: PageMeta, link: string | undefined, summary = ''): Item => ({
    title: meta.title,
    ...(link !== undefined && { link }),
    summary,
  });
  const follow = async (input: FeedInput): Promise<StoredFeed> => {
    const followed = await followFeed(input, store, fetchOptions());
    if (!followed.ok) throw new Error(`not followed: ${followed.problem}`);
    return followed.feed;
  };
  const row = async (id: number) => (await store.feeds.get(id))!;
  const titles = () => library.current().articles.map((a) => a.title);
  const cites = (answer: Answer, url: string) =>
    answer.answered && answer.answers.some((a) => a.sources.some((s) => s.url === url));
  const logged = (message: string, fields: Record<string, unknown>) =>
    lines.some(
      (line) =>
        line.message === message &&
        Object.entries(fields).every(([key, value]) =>
          value instanceof RegExp
            ? value.test(String(line.fields[key]))
            : line.fields[key] === value,
        ),
    );

  it('adds a new item with the words, answering after one poll; an item without them is skipped', async () => {
    const prisoners = page('/articles/prisoner-exchange-chernihiv', PRISONERS);
    const riyadh = page('/articles/riyadh-energy', RIYADH);
    const served = new ServedFeed(
      rss('Kyiv Ledger: the war', [
        item(RIYADH, riyadh, 'Talks on power plants open in Riyadh.'),
        item(PRISONERS, prisoners, 'Soldiers come home.'),
      ]),
      '"ledger-1"',
      undefined,
    );
    const url = serve('/ledger.xml', served.route);
    const before = library.current().answer(PRISONERS_QUESTION);
    expect(cites(before, prisoners)).toBe(false);

    const followed = await followFeed({ url, match: 'prisoner exchange' }, store, fetchOptions());
    expect(followed).toMatchObject({ ok: true, created: true, items: 2 });
    const feed = await row(followed.ok ? followed.feed.id : -1);
    expect(feed).toMatchObject({ url, match: 'prisoner exchange', failures: 0 });

    const report = await pollFeed(feed, deps());
    expect(report).toEqual({
      feedId: feed.id,
      outcome: 'polled',
      added: [PRISONERS.title],
      skipped: 1,
    });
    const answer = library.current().answer(PRISONERS_QUESTION);
    expect(answer.answered).toBe(true);
    expect(answer.answers[0]?.text).toMatch(/Chernihiv/);
    expect(cites(answer, prisoners)).toBe(true);
    expect(titles()).toContain(PRISONERS.title);
    expect(titles()).not.toContain(RIYADH.title);
    expect(
      logged('Feed item skipped', {
        feedId: feed.id,
        item: riyadh,
        reason: 'does not mention "prisoner exchange"',
      }),
    ).toBe(true);
    expect(logged('Feed item added', { feedId: feed.id, item: prisoners })).toBe(true);
    const after = await row(feed.id);
    expect(after).toMatchObject({ title: 'Kyiv Ledger: the war', added: 1, skipped: 1 });
    expect(after.lastPollAt).toBeGreaterThan(0);
    expect(after.lastNewAt).toBeGreaterThan(0);
    expect(after.nextPollAt).toBeGreaterThan(Date.now() + 20 * 60_000);
    // Its news is recorded for the servers' news channels.
    const article = library.current().articles.find((a) => a.title === PRISONERS.title)!;
    const news = (await store.news.since(0)).find((n) => n.articleId === article.id);
    expect(news).toMatchObject({ title: PRISONERS.title, url: prisoners, feedId: feed.id });
    expect(news!.sentences.length).toBeGreaterThan(0);
  });

  it('without words, takes an item about the talks and skips off-topic ones (Atom)', async () => {
    const links = {
      cooking: page('/food/harbour-festival', COOKING),
      football: page('/sport/derby', FOOTBALL),
      talks: page('/world/delegations-meet-again', DELEGATIONS),
    };
    const served = new ServedFeed(
      atom('Bosphorus Daily', [
        item(COOKING, links.cooking, 'Street kitchens and sourdough.'),
        item(FOOTBALL, links.football, 'A derby win.'),
        item(DELEGATIONS, links.talks, 'Another round.'),
      ]),
      '"bosphorus-1"',
      undefined,
      'application/atom+xml',
    );
    const feed = await follow({ url: serve('/bosphorus.atom', served.route) });
    expect(feed.match).toBeUndefined();

    const report = await pollFeed(await row(feed.id), deps());
    expect(report).toMatchObject({ outcome: 'polled', added: [DELEGATIONS.title], skipped: 2 });
    expect(titles()).toContain(DELEGATIONS.title);
    expect(titles()).not.toContain(COOKING.title);
    expect(titles()).not.toContain(FOOTBALL.title);
    for (const link of [links.cooking, links.football]) {
      expect(
        logged('Feed item skipped', { feedId: feed.id, item: link, reason: /off-topic/ }),
      ).toBe(true);
    }
    expect(await row(feed.id)).toMatchObject({ title: 'Bosphorus Daily', added: 1, skipped: 2 });
    expect(describeFeed(await row(feed.id), Date.now()).join('\n')).toMatch(
      /ok · words: none \(articles on topic\) · .* · 1 added, 2 skipped/,
    );
  });

  it('asks an unchanged feed conditionally (304, nothing added); a later item appears at the next poll', async () => {
    const visit = page('/articles/red-cross-camps', RED_CROSS_VISIT);
    const letters = page('/articles/red-cross-letters', RED_CROSS_LETTERS);
    const firstModified = 'Mon, 14 Jul 2025 08:00:00 GMT';
    const served = new ServedFeed(
      rss('Geneva Notes', [item(RED_CROSS_VISIT, visit)]),
      '"geneva-1"',
      firstModified,
    );
    const feed = await follow({ url: serve('/geneva.xml', served.route), match: 'Red Cross' });
    // Following reads it once, unconditionally; so does the first poll (no validators yet).
    expect(await pollFeed(await row(feed.id), deps())).toMatchObject({
      outcome: 'polled',
      added: [RED_CROSS_VISIT.title],
    });
    expect(served.requests).toEqual([{ status: 200 }, { status: 200 }]);
    expect(await row(feed.id)).toMatchObject({ etag: '"geneva-1"', lastModified: firstModified });
    const articles = library.current().articles.length;

    const unchanged = await pollFeed(await row(feed.id), deps());
    expect(unchanged).toEqual({ feedId: feed.id, outcome: 'not-modified', added: [], skipped: 0 });
    expect(served.requests[2]).toEqual({
      ifNoneMatch: '"geneva-1"',
      ifModifiedSince: firstModified,
      status: 304,
    });
    expect(library.current().articles).toHaveLength(articles);
    expect(hits(visit)).toBe(1);
    expect(await row(feed.id)).toMatchObject({ added: 1, failures: 0 });

    // The site publishes a new article: a new version of the feed, with new validators.
    served.change(
      rss('Geneva Notes', [item(RED_CROSS_LETTERS, letters), item(RED_CROSS_VISIT, visit)]),
      '"geneva-2"',
      'Tue, 15 Jul 2025 09:30:00 GMT',
    );
    expect(cites(library.current().answer(RED_CROSS_LETTERS_QUESTION), letters)).toBe(false);
    const changed = await pollFeed(await row(feed.id), deps());
    expect(changed).toMatchObject({ outcome: 'polled', added: [RED_CROSS_LETTERS.title] });
    expect(served.requests[3]).toMatchObject({ ifNoneMatch: '"geneva-1"', status: 200 });
    const answer = library.current().answer(RED_CROSS_LETTERS_QUESTION);
    expect(answer.answered).toBe(true);
    expect(answer.answers[0]?.text).toMatch(/2,400 letters/);
    expect(cites(answer, letters)).toBe(true);
    expect(hits(visit)).toBe(1);

    expect(await pollFeed(await row(feed.id), deps())).toMatchObject({ outcome: 'not-modified' });
    expect(served.requests[4]).toMatchObject({ ifNoneMatch: '"geneva-2"', status: 304 });
  });

  it('asks with If-Modified-Since alone when the feed has no ETag (JSON Feed)', async () => {
    const modified = 'Wed, 16 Jul 2025 10:00:00 GMT';
    const served = new ServedFeed(
      jsonFeed('Quiet Wire', []),
      undefined,
      modified,
      'application/feed+json',
    );
    const feed = await follow({ url: serve('/quiet.json', served.route), match: 'grain' });
    expect(await pollFeed(await row(feed.id), deps())).toMatchObject({
      outcome: 'polled',
      added: [],
    });
    expect(await pollFeed(await row(feed.id), deps())).toMatchObject({
      outcome: 'not-modified',
    });
    expect(served.requests.at(-1)).toEqual({ ifModifiedSince: modified, status: 304 });
    expect(await row(feed.id)).toMatchObject({ title: 'Quiet Wire', failures: 0 });
  });

  it('never fetches an item seen once again, even when the feed is read in full each time', async () => {
    const ports = page('/shipping/black-sea-premiums', BLACK_SEA_PORTS);
    const energy = page('/shipping/riyadh-energy', RIYADH);
    // No validators: every poll gets the whole feed.
    const served = new ServedFeed(
      jsonFeed('Shipping Wire', [item(RIYADH, energy), item(BLACK_SEA_PORTS, ports)]),
      undefined,
      undefined,
      'application/feed+json',
    );
    const feed = await follow({ url: serve('/shipping.json', served.route), match: 'Black Sea' });
    expect(await pollFeed(await row(feed.id), deps())).toMatchObject({
      outcome: 'polled',
      added: [BLACK_SEA_PORTS.title],
      skipped: 1,
    });
    expect([hits(ports), hits(energy)]).toEqual([1, 1]);
    expect(cites(library.current().answer(BLACK_SEA_QUESTION), ports)).toBe(true);

    for (let poll = 0; poll < 2; poll++) {
      expect(await pollFeed(await row(feed.id), deps())).toEqual({
        feedId: feed.id,
        outcome: 'polled',
        added: [],
        skipped: 0,
      });
    }
    expect(served.requests.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect([hits(ports), hits(energy)]).toEqual([1, 1]);
    expect(await row(feed.id)).toMatchObject({ added: 1, skipped: 1 });
  });

  it('tries an item whose page failed for a moment again at the next poll, reading the feed in full', async () => {
    let failing = true;
    const ferry = serve('/articles/ferry', (req, res) => {
      if (failing) res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      else html(newsPage(FERRY))(req, res);
    });
    const served = new ServedFeed(rss('Port Log', [item(FERRY, ferry)]), '"port-1"', undefined);
    const feed = await follow({ url: serve('/port-log.xml', served.route), match: 'ferry' });

    expect(await pollFeed(await row(feed.id), deps())).toEqual({
      feedId: feed.id,
      outcome: 'polled',
      added: [],
      skipped: 0,
    });
    expect(
      logged('Feed item not read; tried again next poll', { item: ferry, reason: /503/ }),
    ).toBe(true);
    // An item is waiting: the next poll must not be answered 304.
    expect(await row(feed.id)).not.toHaveProperty('etag');

    failing = false;
    expect(await pollFeed(await row(feed.id), deps())).toMatchObject({ added: [FERRY.title] });
    expect(served.requests.at(-1)).toEqual({ status: 200 });
    expect(cites(library.current().answer(FERRY_QUESTION), ferry)).toBe(true);
    expect(await pollFeed(await row(feed.id), deps())).toMatchObject({ outcome: 'not-modified' });
    expect(hits(ferry)).toBe(2);
  });

  it('refuses a broken feed with its reason, loses nothing, and goes on to the next feed', async () => {
    // Each was a good feed when followed; now it is broken.
    const harvest = page('/farm/kherson-harvest', HARVEST);
    // A feed cut off inside an element, as a generator that died half-way leaves it.
    const full = rss('Broken Wire', [
      { title: 'One', link: `${site.origin}/one` },
      { title: 'Two', link: `${site.origin}/two` },
    ]);
    const truncated = full.slice(0, full.indexOf('/two') - 3);
    const huge = rss(
      'Everything Wire',
      Array.from({ length: 4_000 }, (_, i) => ({
        title: `Item ${i} ${'of a very long feed '.repeat(4)}`,
        link: `${site.origin}/everything/${i}`,
        summary: 'x'.repeat(200),
      })),
    );
    expect(huge.length).toBeGreaterThan(1024 * 1024);
    const broken = {
      malformed: serve('/broken.xml', (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(truncated),
      ),
      // Sent in pieces without a length, so the cap must stop the reading itself.
      huge: serve('/everything.xml', (_req, res) => {
        res.on('error', () => undefined);
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        for (let at = 0; at < huge.length; at += 64 * 1024) res.write(huge.slice(at, at + 65_536));
        res.end();
      }),
      html: serve('/front-page', html(newsPage(HARVEST))),
      private: serve('/moved.xml', redirect('http://10.0.0.1/feed.xml')),
      metadata: serve('/metadata.xml', redirect('http://169.254.169.254/latest/meta-data/')),
    };
    const reasons: Record<keyof typeof broken, RegExp> = {
      malformed: /not an RSS, Atom or JSON feed/,
      huge: /larger than 1 MiB/,
      html: /a web page, not a feed/,
      private: /private-network address — 10\.0\.0\.1 — .*LINK_ALLOWED_HOSTS/,
      metadata: /link-local address — 169\.254\.169\.254/,
    };
    const ids: Partial<Record<keyof typeof broken, number>> = {};
    for (const [name, url] of Object.entries(broken) as [keyof typeof broken, string][]) {
      ids[name] = (await store.feeds.follow({ url, match: 'grain harvest' })).feed.id;
    }
    const good = new ServedFeed(
      rss('Farm Gazette', [
        { title: 'Grain harvest: live updates', summary: 'An item without a link.' },
        {
          title: 'Grain harvest figures',
          link: serve('/go/figures', redirect('http://10.0.0.2/figures')),
        },
        item(HARVEST, harvest, 'Mines delay the grain harvest.'),
      ]),
      '"farm-1"',
      undefined,
    );
    const goodId = (
      await store.feeds.follow({ url: serve('/farm.xml', good.route), match: 'grain harvest' })
    ).feed.id;
    const articlesBefore = library.current().articles.map((a) => a.id);
    const answerBefore = library.current().answer(SEED_QUESTION);
    const filesBefore = readdirSync(folder.dir);

    // Every feed followed here is due now; those of earlier tests are not.
    const reports = await pollDueFeeds(deps());
    expect(reports.map((r) => r.feedId)).toEqual([...Object.values(ids), goodId]);
    for (const [name, reason] of Object.entries(reasons) as [keyof typeof broken, RegExp][]) {
      const id = ids[name]!;
      const report = reports.find((r) => r.feedId === id)!;
      expect(report, name).toMatchObject({ outcome: 'failed', added: [], skipped: 0 });
      expect(report.error, name).toMatch(reason);
      expect(report.paused, name).toBeUndefined();
      expect(await row(id), name).toMatchObject({ failures: 1, lastError: report.error });
      expect(logged('Feed poll failed', { feedId: id, reason }), name).toBe(true);
      expect(describeFeed(await row(id), Date.now()).join('\n'), name).toMatch(
        /failing \(1 of 5 before it is paused\)[\s\S]*last error: /,
      );
    }
    // The poller went on: the good feed after them was read, its linkless item skipped.
    expect(reports.at(-1)).toEqual({
      feedId: goodId,
      outcome: 'polled',
      added: [HARVEST.title],
      skipped: 2,
    });
    expect(logged('Feed item skipped', { feedId: goodId, reason: 'the item has no link' })).toBe(
      true,
    );
    expect(
      logged('Feed item skipped', {
        feedId: goodId,
        item: `${site.origin}/go/figures`,
        reason: /private-network address — 10\.0\.0\.2/,
      }),
    ).toBe(true);
    // Nothing lost: every article is still there, on disk too.
    const articlesAfter = library.current().articles.map((a) => a.id);
    expect(articlesAfter).toEqual(expect.arrayContaining(articlesBefore));
    expect(articlesAfter).toHaveLength(articlesBefore.length + 1);
    expect(readdirSync(folder.dir)).toEqual(expect.arrayContaining(filesBefore));
    const answerAfter = library.current().answer(SEED_QUESTION);
    expect(answerAfter.answered).toBe(true);
    expect(answerAfter.answers[0]?.key).toBe(answerBefore.answers[0]?.key);
  });

  it('backs off a failing feed, pauses it after repeated failures, and tells once', async () => {
    let now = Date.parse('2025-08-01T00:00:00Z');
    const clock = () => now;
    const url = serve('/flaky.xml', (_req, res) =>
      res.writeHead(500, { 'content-type': 'text/plain' }).end('oops'),
    );
    const { feed } = await store.feeds.follow({
      url,
      match: 'talks',
      guildId: '300000000000000001',
      channelId: '300000000000000002',
      userId: '300000000000000003',
    });
    const waits: number[] = [];
    for (let poll = 1; poll <= PAUSE_AFTER_FAILURES; poll++) {
      // No jitter: random() = 0.5 is the interval itself.
      const report = await pollFeed(await row(feed.id), deps({ now: clock, random: () => 0.5 }));
      expect(report).toMatchObject({
        outcome: 'failed',
        error: 'the site answered 500 Internal Server Error',
      });
      const stored = await row(feed.id);
      expect(stored.failures).toBe(poll);
      waits.push(stored.nextPollAt - now);
      if (poll < PAUSE_AFTER_FAILURES) {
        expect(report.paused).toBeUndefined();
        expect(stored.pausedAt).toBeUndefined();
        expect(await store.feeds.claimPauseNotice(feed.id)).toBe(false);
        // Not due again before its backoff is over.
        expect(await pollDueFeeds(deps({ now: () => stored.nextPollAt - 1 }))).toEqual([]);
      } else {
        expect(report.paused).toBe(true);
        expect(stored.pausedAt).toBeDefined();
      }
      now = stored.nextPollAt;
    }
    const minute = 60_000;
    expect(waits).toEqual([60, 120, 240, 480, 960].map((m) => m * minute));
    expect(
      logged('Feed paused after failing repeatedly', {
        feedId: feed.id,
        paused: true,
        failures: 5,
      }),
    ).toBe(true);
    expect(describeFeed(await row(feed.id), now).join('\n')).toMatch(
      /^ {2}paused after 5 failed polls/m,
    );
    // A paused feed is not polled, not even by a poll of every feed.
    expect((await pollDueFeeds(deps(), true)).map((r) => r.feedId)).not.toContain(feed.id);
    expect(site.requests.filter((p) => p === '/flaky.xml')).toHaveLength(PAUSE_AFTER_FAILURES);

    // The running bot tells where it was followed, once, with the reason.
    const posts: { channelId: string; reply: Reply }[] = [];
    const service = startFeedService({
      ...deps(),
      pollMinutes: 0,
      tickMs: 3_600_000,
      post: async (channelId, reply) => void posts.push({ channelId, reply }),
    });
    await service.tick();
    await service.tick();
    await service.stop();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channelId).toBe('300000000000000002');
    const text = posts[0]!.reply.kind === 'notice' ? posts[0]!.reply.text : '';
    expect(text).toContain('<@300000000000000003>');
    // …and pinged: the only member the message may mention.
    expect(renderReply(posts[0]!.reply).allowed_mentions).toEqual({
      parse: [],
      users: ['300000000000000003'],
    });
    expect(text).toContain(url);
    expect(text).toContain('after 5 failed polls');
    expect(text).toContain('the site answered 500 Internal Server Error');
    expect(await store.feeds.claimPauseNotice(feed.id)).toBe(false);

    // Following it again resumes it, and a later pause is told again.
    const again = await store.feeds.follow({ url, match: 'talks' });
    expect(again.feed).toMatchObject({ failures: 0 });
    expect(again.feed.pausedAt).toBeUndefined();
    await store.feeds.update(feed.id, {
      polledAt: now,
      nextPollAt: now,
      failures: PAUSE_AFTER_FAILURES,
      paused: true,
    });
    expect(await store.feeds.claimPauseNotice(feed.id)).toBe(true);
    expect(await store.feeds.claimPauseNotice(feed.id)).toBe(false);
    await store.feeds.unfollow(feed.id);
  });

  it('records what a new article adds: only sentences no article says, at most three', async () => {
    const known = sentencesInFolder(folder.dir);
    const saysAgain = (sentence: string) =>
      known.some((other) => jaccard(wordsOf(sentence), wordsOf(other)) >= 0.5);
    // The fixture is what it claims: reworded sentences say again what an article says, the new ones do not.
    for (const sentence of [...REWORDED, ...RESTATED]) {
      expect(saysAgain(sentence), sentence).toBe(true);
      expect(known, sentence).not.toContain(sentence);
    }
    for (const sentence of NEW) expect(saysAgain(sentence), sentence).toBe(false);

    const mixed = page('/analysis/geneva-offer', MIXED);
    const recap = page('/analysis/recap', NOTHING_NEW);
    const served = new ServedFeed(
      rss('Analysis', [item(NOTHING_NEW, recap), item(MIXED, mixed)]),
      '"analysis-1"',
      undefined,
    );
    const feed = await follow({ url: serve('/analysis.xml', served.route), match: 'Ukraine' });
    const report = await pollFeed(await row(feed.id), deps());
    expect(report).toMatchObject({ outcome: 'polled', skipped: 0 });
    expect([...report.added].sort()).toEqual([MIXED.title, NOTHING_NEW.title].sort());

    const engine = library.current();
    const idOf = (title: string) => engine.articles.find((a) => a.title === title)!.id;
    const news = await store.news.since(0);
    const adds = news.find((n) => n.articleId === idOf(MIXED.title))!;
    expect(adds).toMatchObject({ title: MIXED.title, publisher: 'Alpine Post', url: mixed });
    expect(adds.sentences.length).toBeGreaterThanOrEqual(1);
    expect(adds.sentences.length).toBeLessThanOrEqual(3);
    for (const { key, text } of adds.sentences) {
      expect(saysAgain(text), text).toBe(false);
      expect(MIXED.paragraphs, text).toContain(text);
      // Cited: its key is the new article's sentence.
      const [explained] = engine.explain([key]);
      expect(explained?.text).toBe(text);
      expect(explained?.sources[0]?.id).toBe(idOf(MIXED.title));
    }
    expect(adds.sentences.map((s) => s.text)).toEqual(
      expect.arrayContaining([expect.stringMatching(/Geneva|engineers/)]),
    );

    // An article that only says again what the others say adds nothing: nothing to announce.
    const nothing = news.find((n) => n.articleId === idOf(NOTHING_NEW.title))!;
    expect(nothing.sentences).toEqual([]);
    expect((await row(feed.id)).lastNothingNew).toBe(NOTHING_NEW.title);
    expect(describeFeed(await row(feed.id), Date.now()).at(-1)).toBe(
      `  Nothing new beyond the earlier articles in "${NOTHING_NEW.title}" (added, not announced)`,
    );
  });
});
