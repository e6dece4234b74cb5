/**
 * Feeds, news and news channels as both databases return their rows, and
 * what they store. PostgreSQL returns its bigint columns as strings and its
 * jsonb already parsed; SQLite returns 0/1 for booleans and JSON as text.
 * Optional fields left empty come back absent, not null.
 */
import type { FeedPollUpdate, NewsChannel, NewSentence, StoredFeed, StoredNews } from './types.ts';

type Bigint = number | string;

export interface FeedRow {
  id: Bigint;
  url: string;
  match: string | null;
  guild_id: string | null;
  channel_id: string | null;
  user_id: string | null;
  created_at: Bigint;
  title: string | null;
  etag: string | null;
  last_modified: string | null;
  last_poll_at: Bigint | null;
  last_new_at: Bigint | null;
  next_poll_at: Bigint;
  failures: Bigint;
  last_error: string | null;
  paused_at: Bigint | null;
  added: Bigint;
  skipped: Bigint;
  last_nothing_new: string | null;
}

export function feedFromRow(row: FeedRow): StoredFeed {
  return {
    id: Number(row.id),
    url: row.url,
    ...(row.match !== null && { match: row.match }),
    ...(row.guild_id !== null && { guildId: row.guild_id }),
    ...(row.channel_id !== null && { channelId: row.channel_id }),
    ...(row.user_id !== null && { userId: row.user_id }),
    createdAt: Number(row.created_at),
    ...(row.title !== null && { title: row.title }),
    ...(row.etag !== null && { etag: row.etag }),
    ...(row.last_modified !== null && { lastModified: row.last_modified }),
    ...(row.last_poll_at !== null && { lastPollAt: Number(row.last_poll_at) }),
    ...(row.last_new_at !== null && { lastNewAt: Number(row.last_new_at) }),
    nextPollAt: Number(row.next_poll_at),
    failures: Number(row.failures),
    ...(row.last_error !== null && { lastError: row.last_error }),
    ...(row.paused_at !== null && { pausedAt: Number(row.paused_at) }),
    added: Number(row.added),
    skipped: Number(row.skipped),
    ...(row.last_nothing_new !== null && { lastNothingNew: row.last_nothing_new }),
  };
}

/**
 * What `update` writes, column by column: `set` columns take the value,
 * `add` columns grow by it. Only the fields given appear, so a poll that
 * learned nothing new about, say, the title leaves it alone. Column names
 * come from this fixed list, never from the caller, so both stores may put
 * them into SQL text.
 */
export interface FeedChanges {
  readonly set: readonly (readonly [column: string, value: string | number | null])[];
  readonly add: readonly (readonly [column: 'added' | 'skipped', value: number])[];
  /** true: paused from now unless already; false: resumed (and its notice re-armed). */
  readonly paused?: boolean;
}

export function feedChanges(update: FeedPollUpdate): FeedChanges {
  const set: [string, string | number | null][] = [
    ['last_poll_at', update.polledAt],
    ['next_poll_at', update.nextPollAt],
    ['failures', update.failures],
  ];
  const optional: [string, string | number | null | undefined][] = [
    ['last_error', update.lastError],
    ['title', update.title],
    ['etag', update.etag],
    ['last_modified', update.lastModified],
    ['last_new_at', update.lastNewAt],
    ['last_nothing_new', update.lastNothingNew],
  ];
  // undefined: left as it is; null: cleared.
  for (const [column, value] of optional) if (value !== undefined) set.push([column, value]);
  const add: ['added' | 'skipped', number][] = [];
  if (update.addedCount) add.push(['added', update.addedCount]);
  if (update.skippedCount) add.push(['skipped', update.skippedCount]);
  return { set, add, ...(update.paused !== undefined && { paused: update.paused }) };
}

export interface NewsRow {
  id: Bigint;
  article_id: string;
  title: string;
  publisher: string | null;
  published: string | null;
  url: string | null;
  feed_id: Bigint | null;
  /** JSON text (SQLite) or already parsed (PostgreSQL jsonb). */
  sentences: string | NewSentence[];
  created_at: Bigint;
}

export function newsFromRow(row: NewsRow): StoredNews {
  return {
    id: Number(row.id),
    articleId: row.article_id,
    title: row.title,
    ...(row.publisher !== null && { publisher: row.publisher }),
    ...(row.published !== null && { published: row.published }),
    ...(row.url !== null && { url: row.url }),
    ...(row.feed_id !== null && { feedId: Number(row.feed_id) }),
    sentences:
      typeof row.sentences === 'string'
        ? (JSON.parse(row.sentences) as NewSentence[])
        : row.sentences,
    createdAt: Number(row.created_at),
  };
}

export interface NewsChannelRow {
  guild_id: string;
  channel_id: string;
  since: Bigint;
}

export function newsChannelFromRow(row: NewsChannelRow): NewsChannel {
  return { guildId: row.guild_id, channelId: row.channel_id, since: Number(row.since) };
}

/** Snowflakes grow over time; comparing length first sorts them as numbers. */
export const BY_GUILD = 'ORDER BY length(guild_id), guild_id';
