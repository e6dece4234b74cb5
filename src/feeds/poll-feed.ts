/**
 * One poll of one feed: ask for it conditionally, read its items, and add the
 * new ones that belong in the knowledge through the same path as
 * `/knowledge add` (readability extraction, duplicate refusal, live add; with
 * a shared database every instance follows). Each new article's news — what
 * it adds that no earlier article says — is recorded for the servers' news
 * channels. Nothing here throws for a bad feed or page: every refusal is a
 * reason, logged with the feed, and the poller keeps running.
 */
import { join } from 'node:path';
import { duplicateProblems, previewLink } from '../engine/import-link.ts';
import type { KnowledgeLibrary } from '../engine/library.ts';
import { PageFetchError } from '../knowledge/fetch-page.ts';
import { loadVocabulary, VOCABULARY_FILE } from '../knowledge/vocabulary.ts';
import type { Logger } from '../logger.ts';
import { createTermPipeline, type TermPipeline } from '../search/index/terms.ts';
import type { FeedPollUpdate, NewSentence, Store, StoredFeed } from '../store/store.ts';
import { fetchFeed, type FeedFetchOptions } from './fetch-feed.ts';
import { newSentences } from './novelty.ts';
import { FeedReadError, readFeed, type FeedItem } from './read-feed.ts';
import { isOnTopic, matchesWords } from './relevance.ts';

/** New items looked at per poll; the rest wait for the next one (the feed is then asked in full). */
export const MAX_ITEMS_PER_POLL = 20;
/** Failed polls in a row after which a feed is paused and its moderators told. */
export const PAUSE_AFTER_FAILURES = 5;
/** The longest wait between polls of a failing feed. */
const MAX_BACKOFF_MS = 24 * 3_600_000;
/** How long one instance holds a feed while polling it. */
export const POLL_LEASE_MS = 10 * 60_000;
/** Each poll's wait is the interval ± this share, so feeds followed together spread out. */
const JITTER = 0.1;

export interface FeedPollDeps {
  readonly store: Store;
  readonly library: KnowledgeLibrary;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly fetch: FeedFetchOptions;
  /** Minutes between polls (FEED_POLL_MINUTES). */
  readonly pollMinutes: number;
  /** This instance, as the holder of a feed's lease. */
  readonly holder: string;
  readonly now?: () => number;
  readonly random?: () => number;
}

export type PollOutcome = 'polled' | 'not-modified' | 'failed' | 'busy';

export interface PollReport {
  readonly feedId: number;
  readonly outcome: PollOutcome;
  /** Titles of the articles added. */
  readonly added: readonly string[];
  readonly skipped: number;
  readonly error?: string;
  /** True when this poll paused the feed. */
  readonly paused?: boolean;
}

/** What became of one new item. */
type ItemOutcome =
  | { kind: 'added'; title: string; nothingNew?: string }
  | { kind: 'skipped'; reason: string }
  /** A passing problem (time-out, a 5xx): the item is tried again at the next poll. */
  | { kind: 'retry'; reason: string };

/** When to poll again: the interval with jitter, or after failures a doubling wait. */
export function nextPollDelay(pollMinutes: number, failures: number, random: () => number): number {
  const interval = Math.max(1, pollMinutes) * 60_000;
  const base = failures === 0 ? interval : Math.min(MAX_BACKOFF_MS, interval * 2 ** failures);
  return Math.round(base * (1 + JITTER * (2 * random() - 1)));
}

/** The text a feed's words are matched against before the article is fetched. */
const itemText = (item: FeedItem) => [item.title, item.summary];

/** Fetches, judges and adds one new item. */
async function takeItem(
  feed: StoredFeed,
  item: FeedItem,
  pipeline: TermPipeline,
  deps: FeedPollDeps,
): Promise<ItemOutcome> {
  if (item.link === undefined) return { kind: 'skipped', reason: 'the item has no link' };
  const before = deps.library.current();
  const wordsInItem =
    feed.match === undefined || matchesWords(pipeline, feed.match, itemText(item));
  const previewed = await previewLink(item.link, deps.library.dir, before, {
    allowedHosts: deps.fetch.allowedHosts,
  });
  if (!previewed.ok) {
    return { kind: previewed.passing ? 'retry' : 'skipped', reason: previewed.problems.join('; ') };
  }
  const { preview } = previewed;
  if (feed.match !== undefined) {
    if (!wordsInItem && !matchesWords(pipeline, feed.match, preview.sentences)) {
      return { kind: 'skipped', reason: `does not mention "${feed.match}"` };
    }
  } else if (!isOnTopic(before, preview.sentences)) {
    return { kind: 'skipped', reason: 'off-topic: the articles answer too little of it' };
  }
  // Judged against the articles as they were: what this one says that none did.
  const adds = newSentences(before, pipeline, preview.sentences);
  const result = await deps.library.add(
    { fileName: preview.fileName, bytes: new TextEncoder().encode(preview.text) },
    { refuse: duplicateProblems },
  );
  if (!result.ok) return { kind: 'skipped', reason: result.problems.join('; ') };
  const known = new Set(before.articles.map((a) => a.id));
  const article = result.engine.articles.find((a) => !known.has(a.id));
  if (!article) return { kind: 'added', title: preview.article.title };
  const sentences: NewSentence[] = adds.flatMap((text) => {
    const found = result.engine.sentencesQuoting(text, 1)[0];
    return found ? [{ key: found.key, text: found.text }] : [];
  });
  await deps.store.news.record({
    articleId: article.id,
    title: article.title,
    ...(article.publisher !== undefined && { publisher: article.publisher }),
    ...(article.published !== undefined && { published: article.published }),
    ...(article.url !== undefined && { url: article.url }),
    feedId: feed.id,
    sentences,
  });
  if (sentences.length > 0) return { kind: 'added', title: article.title };
  return { kind: 'added', title: article.title, nothingNew: article.title };
}

/**
 * Polls one feed now, if no other instance is polling it (or has polled it
 * since `listed` was read: 'busy' too). Returns what it did; the feed's row
 * says the same for `/knowledge feeds`.
 */
export async function pollFeed(listed: StoredFeed, deps: FeedPollDeps): Promise<PollReport> {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const { store, logger } = deps;
  const busy: PollReport = { feedId: listed.id, outcome: 'busy', added: [], skipped: 0 };
  if (!(await store.feeds.lease(listed.id, deps.holder, POLL_LEASE_MS))) return busy;
  // The feed as it is now: another instance may have polled it (or unfollowed it)
  // since this one listed the feeds, and a feed is not asked twice in a row.
  const feed = await store.feeds.get(listed.id);
  if (feed === undefined || feed.lastPollAt !== listed.lastPollAt) {
    await store.feeds.release(listed.id, deps.holder).catch(() => undefined);
    return busy;
  }
  const context = { feedId: feed.id, feed: feed.url };
  try {
    let fetched;
    let read;
    try {
      fetched = await fetchFeed(feed.url, deps.fetch, {
        ...(feed.etag !== undefined && { etag: feed.etag }),
        ...(feed.lastModified !== undefined && { lastModified: feed.lastModified }),
      });
      if (fetched.modified) read = readFeed(fetched.text, fetched.url);
    } catch (error) {
      if (!(error instanceof PageFetchError) && !(error instanceof FeedReadError)) throw error;
      const failures = feed.failures + 1;
      const paused = failures >= PAUSE_AFTER_FAILURES;
      await store.feeds.update(feed.id, {
        polledAt: now(),
        nextPollAt: now() + nextPollDelay(deps.pollMinutes, failures, random),
        failures,
        lastError: error.message,
        ...(paused && { paused: true }),
      });
      logger.warn(
        { ...context, failures, paused, reason: error.message },
        paused ? 'Feed paused after failing repeatedly' : 'Feed poll failed',
      );
      return {
        feedId: feed.id,
        outcome: 'failed',
        added: [],
        skipped: 0,
        error: error.message,
        ...(paused && { paused: true }),
      };
    }
    const polled: Omit<FeedPollUpdate, 'nextPollAt'> = {
      polledAt: now(),
      failures: 0,
      lastError: null,
    };
    if (!fetched.modified || read === undefined) {
      await store.feeds.update(feed.id, {
        ...polled,
        nextPollAt: now() + nextPollDelay(deps.pollMinutes, 0, random),
      });
      return { feedId: feed.id, outcome: 'not-modified', added: [], skipped: 0 };
    }

    const keys = read.items.map((item) => item.key);
    const seen = await store.feeds.seen(feed.id, keys);
    const fresh = read.items.filter((item) => !seen.has(item.key));
    const batch = fresh.slice(0, MAX_ITEMS_PER_POLL);
    const pipeline = createTermPipeline(
      await loadVocabulary(join(deps.library.dir, VOCABULARY_FILE)),
    );
    const added: string[] = [];
    const done: string[] = [];
    let skipped = 0;
    let nothingNew: string | undefined;
    let waiting = fresh.length - batch.length;
    for (const item of batch) {
      const outcome = await takeItem(feed, item, pipeline, deps).catch(
        (error: unknown): ItemOutcome => ({
          kind: 'retry',
          reason: error instanceof Error ? error.message : String(error),
        }),
      );
      const itemContext = { ...context, item: item.link ?? item.key, title: item.title };
      if (outcome.kind === 'retry') {
        waiting++;
        logger.warn(
          { ...itemContext, reason: outcome.reason },
          'Feed item not read; tried again next poll',
        );
        continue;
      }
      done.push(item.key);
      if (outcome.kind === 'skipped') {
        skipped++;
        logger.info({ ...itemContext, reason: outcome.reason }, 'Feed item skipped');
      } else {
        added.push(outcome.title);
        if (outcome.nothingNew !== undefined) nothingNew = outcome.nothingNew;
        logger.info(
          { ...itemContext, nothingNew: outcome.nothingNew !== undefined },
          'Feed item added',
        );
      }
    }
    // Items still in the feed are marked again, so they stay the newest kept.
    await store.feeds.markSeen(feed.id, [...keys.filter((key) => seen.has(key)), ...done]);
    await store.feeds.update(feed.id, {
      ...polled,
      nextPollAt: now() + nextPollDelay(deps.pollMinutes, 0, random),
      ...(read.title !== undefined && { title: read.title }),
      // With items left for later, the next poll must read the feed in full, not get a 304.
      etag: waiting === 0 ? (fetched.validators.etag ?? null) : null,
      lastModified: waiting === 0 ? (fetched.validators.lastModified ?? null) : null,
      ...(added.length > 0 && { lastNewAt: now() }),
      ...(nothingNew !== undefined && { lastNothingNew: nothingNew }),
      addedCount: added.length,
      skippedCount: skipped,
    });
    return { feedId: feed.id, outcome: 'polled', added, skipped };
  } finally {
    await store.feeds.release(feed.id, deps.holder).catch(() => undefined);
  }
}

/** Polls every feed that is due (not paused), one after another. */
export async function pollDueFeeds(deps: FeedPollDeps, all = false): Promise<PollReport[]> {
  const now = deps.now ?? Date.now;
  const reports: PollReport[] = [];
  for (const feed of await deps.store.feeds.list()) {
    if (feed.pausedAt !== undefined || (!all && feed.nextPollAt > now())) continue;
    reports.push(await pollFeed(feed, deps));
  }
  return reports;
}
