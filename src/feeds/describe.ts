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

/** The lines describing one feed (plain text; the Discord command escapes them). */
export function describeFeed(feed: StoredFeed, now: number): string[] {
  const lines = [
    `#${feed.id} ${feed.title ?? feed.url}`,
    // The title is read at the first poll; until then the address is the title.
    ...(feed.title !== undefined ? [`  ${feed.url}`] : []),
    `  ${feedStatus(feed)} · words: ${feed.match ?? 'none (articles on topic)'} · last poll ${ago(feed.lastPollAt, now)} · last new article ${ago(feed.lastNewAt, now)} · ${feed.added} added, ${feed.skipped} skipped`,
  ];
  if (feed.lastError !== undefined && feed.failures > 0)
    lines.push(`  last error: ${feed.lastError}`);
  if (feed.lastNothingNew !== undefined) {
    lines.push(
      `  Nothing new beyond the earlier articles in "${feed.lastNothingNew}" (added, not announced)`,
    );
  }
  return lines;
}
