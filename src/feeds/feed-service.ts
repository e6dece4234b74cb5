/**
 * The feeds' side of a running bot, once a minute: poll the feeds that are
 * due (FEED_POLL_MINUTES, with jitter; one instance per feed at a time),
 * announce new articles in each server's news channel — claimed per server
 * and article, so every instance sharing the store together posts it once —
 * and tell the moderators who followed a feed, once, that it was paused.
 * It posts through `post`, which the Discord edge provides; without it (no
 * token) it only polls.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DiscordActionError } from '../runtime/module.ts';
import type { Reply } from '../runtime/reply.ts';
import { clip } from '../render/clip.ts';
import { safeText } from '../render/discord-markdown.ts';
import type { Store, StoredFeed } from '../store/store.ts';
import { pollDueFeeds, type FeedPollDeps } from './poll-feed.ts';

/** How often the service wakes up. */
export const FEED_TICK_MS = 60_000;
/** The first round comes soon after start: feeds that fell due and news not yet posted while the bot was down. */
const FIRST_ROUND_MS = 2_000;
/** News older than this is not posted (a bot down for days does not post a backlog). */
export const NEWS_WINDOW_MS = 24 * 3_600_000;

/** What the service counts (ops/metrics.ts), when metrics are served. */
export interface FeedCounters {
  feedPoll(outcome: string): void;
  feedItems(outcome: 'added' | 'skipped', count: number): void;
  newsPosted(): void;
}

export interface FeedServiceDeps extends Omit<FeedPollDeps, 'holder'> {
  readonly metrics?: FeedCounters;
  /** Posts a public reply in a channel (the Discord edge); absent: nothing is announced. */
  readonly post?: (channelId: string, reply: Reply) => Promise<void>;
  /** Between rounds (default a minute), and before the first (default 2 s). */
  readonly tickMs?: number;
  readonly firstRoundMs?: number;
}

export interface FeedService {
  /** One round now: poll what is due, announce, tell about paused feeds. */
  tick(): Promise<void>;
  /** Stops waking up; resolves when a round under way has finished. */
  stop(): Promise<void>;
}

/** This process, as the holder of feed leases: readable in the database. */
export function instanceName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Posts every recent news item in every news channel that has not had it yet. */
export async function announceNews(
  store: Store,
  post: NonNullable<FeedServiceDeps['post']>,
  logger: FeedServiceDeps['logger'],
  now: () => number = Date.now,
): Promise<number> {
  const channels = await store.settings.newsChannels();
  if (channels.length === 0) return 0;
  const recent = (await store.news.since(now() - NEWS_WINDOW_MS)).filter(
    (news) => news.sentences.length > 0,
  );
  let posted = 0;
  for (const news of recent) {
    for (const channel of channels) {
      if (news.createdAt < channel.since) continue; // recorded before the channel was named
      if (!(await store.news.claim(news.id, channel.guildId))) continue;
      const context = {
        guildId: channel.guildId,
        channelId: channel.channelId,
        article: news.articleId,
      };
      try {
        await post(channel.channelId, { kind: 'news', news });
        posted++;
        logger.info(context, 'New article announced');
      } catch (error) {
        // Missing access or a deleted channel stays so until a moderator acts: not retried.
        // Anything else (Discord unavailable, a time-out) is tried again next round.
        const lasting = error instanceof DiscordActionError && error.failure !== 'failed';
        if (!lasting) await store.news.release(news.id, channel.guildId);
        logger.warn(
          { ...context, err: error, retry: !lasting },
          lasting
            ? 'Could not announce a new article in the news channel: the bot needs View Channel, Send Messages and Embed Links there'
            : 'Could not announce a new article in the news channel; trying again next round',
        );
      }
    }
  }
  return posted;
}

function pausedNotice(feed: StoredFeed): Reply {
  const who = feed.userId !== undefined ? `<@${feed.userId}> ` : '';
  return {
    kind: 'notice',
    hidden: false,
    // The moderator who followed it is pinged: they are the one to act.
    ...(feed.userId !== undefined && { mentionUserId: feed.userId }),
    text:
      `⚠️ ${who}I stopped polling the feed ${safeText(clip(feed.title ?? feed.url, 200))} (<${feed.url}>) after ${feed.failures} failed polls in a row: ${safeText(clip(feed.lastError ?? 'no reason given', 500))}.\n` +
      'Nothing was lost. When the feed works again, follow it again with `/knowledge follow` to resume, or remove it from `/knowledge feeds`.',
  };
}

/** Tells where each newly paused feed was followed, once per pause. */
async function tellPaused(
  store: Store,
  post: NonNullable<FeedServiceDeps['post']>,
  logger: FeedServiceDeps['logger'],
): Promise<void> {
  for (const feed of await store.feeds.list()) {
    if (feed.pausedAt === undefined || feed.channelId === undefined) continue;
    if (!(await store.feeds.claimPauseNotice(feed.id))) continue;
    await post(feed.channelId, pausedNotice(feed)).catch((error: unknown) =>
      logger.warn(
        { err: error, feedId: feed.id, channelId: feed.channelId },
        'Could not tell that a feed was paused',
      ),
    );
  }
}

export function startFeedService(deps: FeedServiceDeps): FeedService {
  const holder = instanceName();
  const { logger, store, post } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function round(): Promise<void> {
    if (deps.pollMinutes > 0) {
      for (const report of await pollDueFeeds({ ...deps, holder })) {
        deps.metrics?.feedPoll(report.outcome);
        deps.metrics?.feedItems('added', report.added.length);
        deps.metrics?.feedItems('skipped', report.skipped);
      }
    }
    if (post) {
      const posted = await announceNews(store, post, logger, deps.now);
      for (let i = 0; i < posted; i++) deps.metrics?.newsPosted();
      await tellPaused(store, post, logger);
    }
  }

  function tick(): Promise<void> {
    running ??= round()
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'Feed round failed; trying again later'),
      )
      .finally(() => (running = undefined));
    return running;
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => void tick().then(() => schedule(deps.tickMs ?? FEED_TICK_MS)), delay);
    timer.unref();
  }
  schedule(deps.firstRoundMs ?? FIRST_ROUND_MS);

  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
