/**
 * A followed feed in words, for `/knowledge feeds` and `npm run knowledge --
 * feeds`: its status, last poll, last new article, errors, and — when asked
 * for — that its last article added nothing new.
 */
import type { StoredFeed } from '../store/store.ts';
import { PAUSE_AFTER_FAILURES } from './poll-feed.ts';

/** "3 min ago", "2 h ago", "5 days ago"; "never" for no time. */
export function ago(at: number | undefined, now: number): string {
  if (at === undefined || at <= 0) return 'never';
  const minutes = Math.max(0, Math.round((now - at) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function feedStatus(feed: StoredFeed): string {
  if (feed.pausedAt !== undefined) return `paused after ${feed.failures} failed polls`;
  if (feed.failures > 0) {
    return `failing (${feed.failures} of ${PAUSE_AFTER_FAILURES} before it is paused)`;
  }
  return feed.lastPollAt === undefined ? 'waiting for its first poll' : 'ok';
}

/** What `/knowledge feeds` and `npm run knowledge -- feeds` say about one feed. */
export interface FeedFacts {
  /** "#3 Reuters: World" — the address until the first poll reads the title. */
  readonly name: string;
  readonly url: string;
  /** Status, words, last poll, last new article, counts — one line. */
  readonly summary: string;
  readonly lastError?: string;
  /** The last article that added nothing new ("Nothing new beyond …"). */
  readonly nothingNew?: string;
}

export function feedFacts(feed: StoredFeed, now: number): FeedFacts {
  return {
    name: `#${feed.id} ${feed.title ?? feed.url}`,
    url: feed.url,
    summary: `${feedStatus(feed)} · words: ${feed.match ?? 'none (articles on topic)'} · last poll ${ago(feed.lastPollAt, now)} · last new article ${ago(feed.lastNewAt, now)} · ${feed.added} added, ${feed.skipped} skipped`,
    ...(feed.lastError !== undefined && feed.failures > 0 && { lastError: feed.lastError }),
    ...(feed.lastNothingNew !== undefined && { nothingNew: feed.lastNothingNew }),
  };
}

export const nothingNewLine = (title: string) =>
  `Nothing new beyond the earlier articles in "${title}" (added, not announced)`;

/** The lines describing one feed, as plain text (the terminal). */
export function describeFeed(feed: StoredFeed, now: number): string[] {
  const facts = feedFacts(feed, now);
  return [
    facts.name,
    // The title is read at the first poll; until then the address is the name.
    ...(feed.title !== undefined ? [`  ${facts.url}`] : []),
    `  ${facts.summary}`,
    ...(facts.lastError !== undefined ? [`  last error: ${facts.lastError}`] : []),
    ...(facts.nothingNew !== undefined ? [`  ${nothingNewLine(facts.nothingNew)}`] : []),
  ];
}
