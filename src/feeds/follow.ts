/**
 * Following a feed, shared by `/knowledge follow` and `npm run knowledge --
 * follow`: the address is fetched once and must be a feed (RSS, Atom or JSON
 * Feed) — anything else is refused with the reason and nothing is followed.
 * Its items are read at the next poll (due at once).
 */
import { PageFetchError } from '../knowledge/fetch-page.ts';
import type { FeedInput, Store, StoredFeed } from '../store/store.ts';
import { fetchFeed, type FeedFetchOptions } from './fetch-feed.ts';
import { FeedReadError, readFeed } from './read-feed.ts';

/** Longest word list a feed may be followed with. */
export const MAX_MATCH_LENGTH = 200;

export type FollowResult =
  | {
      readonly ok: true;
      readonly created: boolean;
      readonly feed: StoredFeed;
      /** Items it holds now (read at the next poll). */
      readonly items: number;
    }
  | { readonly ok: false; readonly problem: string };

export async function followFeed(
  input: FeedInput,
  store: Store,
  fetch: FeedFetchOptions,
): Promise<FollowResult> {
  const match = input.match?.replace(/\s+/g, ' ').trim();
  if (match !== undefined && match.length > MAX_MATCH_LENGTH) {
    return {
      ok: false,
      problem: `the words to match are longer than ${MAX_MATCH_LENGTH} characters`,
    };
  }
  let read;
  try {
    const fetched = await fetchFeed(input.url, fetch);
    if (!fetched.modified) return { ok: false, problem: 'the site answered 304 unasked' };
    read = readFeed(fetched.text, fetched.url);
  } catch (error) {
    if (error instanceof PageFetchError || error instanceof FeedReadError) {
      return { ok: false, problem: error.message };
    }
    throw error;
  }
  const { match: _given, ...who } = input;
  const { created, feed } = await store.feeds.follow({
    ...who,
    url: input.url.trim(),
    ...(match ? { match } : {}),
  });
  // The feed's title is stored by its first poll; the reply shows it now.
  return {
    ok: true,
    created,
    feed: { ...feed, ...(read.title !== undefined && { title: read.title }) },
    items: read.items.length,
  };
}
