/**
 * Telling the servers what is new: each article a feed added is posted once
 * per server in its news channel — across instances sharing one PostgreSQL —
 * and one instance polls a feed at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary, type KnowledgeLibrary } from '../../src/engine/library.ts';
import { announceNews, NEWS_WINDOW_MS } from '../../src/feeds/feed-service.ts';
import { pollFeed, type FeedPollDeps } from '../../src/feeds/poll-feed.ts';
import { DiscordActionError } from '../../src/runtime/module.ts';
import type { Reply } from '../../src/runtime/reply.ts';
import { openStore, type NewsInput, type Store, type StoreOptions } from '../../src/store/store.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';
import { servePages, type Served } from '../helpers/pages.ts';
import { postgresForThisFile } from '../helpers/postgres.ts';
import { recordingLogger, rss } from './fixtures.ts';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const CHANNEL = '200000000000000001';
const OTHER_CHANNEL = '200000000000000002';

const news = (n: number, sentences = 2): NewsInput => ({
  articleId: `new-article-${n}`,
  title: `New article ${n}`,
  publisher: 'Kyiv Ledger',
  published: '2025-07-04',
  url: `https://news.example/articles/${n}`,
  sentences: Array.from({ length: sentences }, (_, i) => ({
    key: `key${n}-${i}`,
    text: `Sentence ${i} of article ${n} says something new.`,
  })),
});

/** A `post` that keeps what it was given, as the Discord edge would send it. */
function recordingPost() {
  const posts: { channelId: string; reply: Reply }[] = [];
  const post = async (channelId: string, reply: Reply) => {
    // As a real post does, it takes a moment: both instances are at it together.
    await new Promise((resolve) => setTimeout(resolve, 5));
    posts.push({ channelId, reply });
  };
  return { posts, post };
}
const articleOf = (reply: Reply) => (reply.kind === 'news' ? reply.news.articleId : undefined);

const dirs: string[] = [];
const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
async function open(where: { databaseUrl?: string; dataDir?: string }, options?: StoreOptions) {
  const dataDir = where.dataDir ?? mkdtempSync(join(tmpdir(), 'talks-bot-news-'));
  if (where.dataDir === undefined) dirs.push(dataDir);
  const store = await openStore({ ...where, dataDir }, options);
  opened.push(store);
  return store;
}

describe('two instances on one PostgreSQL', () => {
  const postgres = postgresForThisFile();
  const { logger } = recordingLogger();

  it('posts each new article once in a server’s news channel, whichever instance gets there', async () => {
    const databaseUrl = await postgres.createDatabase();
    const one = await open({ databaseUrl });
    const two = await open({ databaseUrl });
    await one.settings.setNewsChannel(GUILD, CHANNEL);
    const recorded = [];
    for (let n = 1; n <= 4; n++) recorded.push(await two.news.record(news(n)));

    const { posts, post } = recordingPost();
    const counts = await Promise.all([
      announceNews(one, post, logger),
      announceNews(two, post, logger),
    ]);
    expect(counts[0] + counts[1]).toBe(4);
    expect(posts.map((p) => p.channelId)).toEqual([CHANNEL, CHANNEL, CHANNEL, CHANNEL]);
    expect(posts.map((p) => articleOf(p.reply)).sort()).toEqual(
      recorded.map((r) => r.articleId).sort(),
    );
    expect(posts[0]!.reply).toMatchObject({ kind: 'news', news: { title: expect.any(String) } });

    // Later rounds post nothing again.
    await Promise.all([announceNews(one, post, logger), announceNews(two, post, logger)]);
    expect(posts).toHaveLength(4);
  });

  it('posts once per server when two servers have news channels', async () => {
    const databaseUrl = await postgres.createDatabase();
    const one = await open({ databaseUrl });
    const two = await open({ databaseUrl });
    await one.settings.setNewsChannel(GUILD, CHANNEL);
    await two.settings.setNewsChannel(OTHER_GUILD, OTHER_CHANNEL);
    for (let n = 1; n <= 3; n++) await one.news.record(news(n));

    const { posts, post } = recordingPost();
    await Promise.all([
      announceNews(one, post, logger),
      announceNews(two, post, logger),
      announceNews(one, post, logger),
    ]);
    const byChannel = (channelId: string) =>
      posts
        .filter((p) => p.channelId === channelId)
        .map((p) => articleOf(p.reply))
        .sort();
    const all = ['new-article-1', 'new-article-2', 'new-article-3'];
    expect(byChannel(CHANNEL)).toEqual(all);
    expect(byChannel(OTHER_CHANNEL)).toEqual(all);
    expect(posts).toHaveLength(6);
  });

  describe('polling', () => {
    let library: KnowledgeLibrary;
    let site: Served;
    /** Requests to /slow.xml waiting for the test to let them through. */
    const waiting: (() => void)[] = [];
    const release = () => waiting.splice(0).forEach((answer) => answer());
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    beforeAll(async () => {
      library = createLibrary(KNOWLEDGE_DIR, await openTestEngine());
      site = await servePages({
        // Answers only when the test lets it: both instances are polling meanwhile.
        '/slow.xml': (_req, res) => {
          waiting.push(() =>
            res
              .writeHead(200, { 'content-type': 'application/rss+xml', etag: '"slow-1"' })
              .end(rss('Slow Wire', [])),
          );
        },
        '/quick.xml': (_req, res) =>
          res
            .writeHead(200, { 'content-type': 'application/rss+xml', etag: '"quick-1"' })
            .end(rss('Quick Wire', [])),
      });
    });
    afterAll(async () => {
      release();
      await site.close();
    });
    const deps = (store: Store, holder: string): FeedPollDeps => ({
      store,
      library,
      logger,
      fetch: { allowedHosts: [site.host] },
      pollMinutes: 30,
      holder,
    });
    const asked = (path: string) => site.requests.filter((p) => p === path).length;

    it('lets one instance poll a feed at a time', async () => {
      const databaseUrl = await postgres.createDatabase();
      const one = await open({ databaseUrl });
      const two = await open({ databaseUrl });
      const { feed } = await one.feeds.follow({ url: `${site.origin}/slow.xml` });
      const first = pollFeed(feed, deps(one, 'instance-one'));
      // Wait until the first instance is asking the site, holding the feed.
      while (waiting.length === 0) await sleep(5);
      const second = await Promise.race([
        pollFeed(feed, deps(two, 'instance-two')),
        sleep(2_000).then(() => 'still polling'),
      ]);
      release();
      expect(second).toEqual({ feedId: feed.id, outcome: 'busy', added: [], skipped: 0 });
      expect(await first).toMatchObject({ outcome: 'polled' });
      expect(asked('/slow.xml')).toBe(1);
      // Once the first is done, the feed is free again.
      expect(await two.feeds.lease(feed.id, 'instance-two', 60_000)).toBe(true);
      expect((await two.feeds.get(feed.id))?.title).toBe('Slow Wire');
    });

    it('does not poll a feed again that another instance polled since it listed the feeds', async () => {
      const databaseUrl = await postgres.createDatabase();
      const one = await open({ databaseUrl });
      const two = await open({ databaseUrl });
      await one.feeds.follow({ url: `${site.origin}/quick.xml` });
      // Both instances list the due feeds at the same moment…
      const [listedByOne, listedByTwo] = await Promise.all([one.feeds.list(), two.feeds.list()]);
      // …the first polls it, and has given it back when the second comes to it.
      expect(await pollFeed(listedByOne[0]!, deps(one, 'instance-one'))).toMatchObject({
        outcome: 'polled',
      });
      const late = await pollFeed(listedByTwo[0]!, deps(two, 'instance-two'));
      expect(late.outcome).not.toBe('polled');
      expect(late.outcome).not.toBe('failed');
      expect(asked('/quick.xml')).toBe(1);
      const stored = (await two.feeds.get(listedByTwo[0]!.id))!;
      expect(stored).toMatchObject({ etag: '"quick-1"', failures: 0, title: 'Quick Wire' });
    });
  });
});

describe('announcing on one instance (SQLite)', () => {
  it('skips news recorded before the channel was named, and news that adds nothing', async () => {
    let clock = 1_000_000;
    const store = await open({}, { now: () => clock });
    const { logger, lines } = recordingLogger();
    const before = await store.news.record(news(1));
    clock += 1_000;
    await store.settings.setNewsChannel(GUILD, CHANNEL);
    clock += 1_000;
    const nothingNew = await store.news.record(news(2, 0));
    const fresh = await store.news.record(news(3));

    const { posts, post } = recordingPost();
    expect(await announceNews(store, post, logger, () => clock)).toBe(1);
    expect(posts).toEqual([{ channelId: CHANNEL, reply: { kind: 'news', news: fresh } }]);
    expect(lines).toContainEqual({
      level: 'info',
      fields: { guildId: GUILD, channelId: CHANNEL, article: fresh.articleId },
      message: 'New article announced',
    });
    // Neither of the others was claimed: nothing is owed to that server.
    expect(await store.news.claim(before.id, GUILD)).toBe(true);
    expect(await store.news.claim(nothingNew.id, GUILD)).toBe(true);
    expect(await announceNews(store, post, logger, () => clock)).toBe(0);
    expect(posts).toHaveLength(1);
  });

  it('does not post a backlog: news older than a day is left out', async () => {
    let clock = 5_000_000;
    const store = await open({}, { now: () => clock });
    await store.settings.setNewsChannel(GUILD, CHANNEL);
    clock += 1_000;
    await store.news.record(news(1));
    const { posts, post } = recordingPost();
    const { logger } = recordingLogger();
    expect(await announceNews(store, post, logger, () => clock + NEWS_WINDOW_MS + 1)).toBe(0);
    expect(posts).toEqual([]);
    expect(await announceNews(store, post, logger, () => clock + NEWS_WINDOW_MS - 1)).toBe(1);
  });

  it('tries a post that failed for a passing reason again next round, but not one the bot may not make', async () => {
    const store = await open({});
    await store.settings.setNewsChannel(GUILD, CHANNEL);
    await store.settings.setNewsChannel(OTHER_GUILD, OTHER_CHANNEL);
    await store.news.record(news(1));
    const { logger, lines } = recordingLogger();
    const attempts: string[] = [];
    const failing = async (channelId: string) => {
      attempts.push(channelId);
      throw channelId === CHANNEL
        ? new DiscordActionError('failed', 'post: Service Unavailable')
        : new DiscordActionError('missing-permission', 'post: missing permission');
    };
    expect(await announceNews(store, failing, logger)).toBe(0);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(2);
    const { posts, post } = recordingPost();
    expect(await announceNews(store, post, logger)).toBe(1);
    expect(posts.map((p) => p.channelId)).toEqual([CHANNEL]);
    expect(attempts.sort()).toEqual([CHANNEL, OTHER_CHANNEL].sort());
  });

  it('without a news channel posts nothing', async () => {
    const store = await open({});
    await store.news.record(news(1));
    const { posts, post } = recordingPost();
    expect(await announceNews(store, post, recordingLogger().logger)).toBe(0);
    expect(posts).toEqual([]);
  });
});
