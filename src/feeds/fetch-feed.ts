/**
 * Fetching a feed: the same address rules as adding an article by link
 * (public addresses only unless LINK_ALLOWED_HOSTS, every redirect re-checked,
 * a size cap, a time-out), asked conditionally so an unchanged feed costs a
 * 304 and nothing more.
 */
import {
  fetchDocument,
  type DocumentKind,
  type FetchedDocument,
  type Validators,
} from '../knowledge/fetch-page.ts';

/** Largest feed document read; a feed of a few hundred items fits many times over. */
export const FEED_MAX_BYTES = 1024 * 1024;
export const FEED_TIMEOUT_MS = 15_000;

const FEED: DocumentKind = {
  accept:
    'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1',
  // HTML is read too, so that a web page given as a feed is refused by name
  // ("a web page, not a feed") rather than by its media type.
  mediaTypes: new Set([
    'application/rss+xml',
    'application/atom+xml',
    'application/rdf+xml',
    'application/feed+json',
    'application/json',
    'application/xml',
    'text/xml',
    'text/plain',
    'text/html',
    'application/xhtml+xml',
  ]),
  name: 'a feed',
  noun: 'feed',
  purpose: 'following a news feed a moderator chose',
};

export interface FeedFetchOptions {
  readonly allowedHosts: readonly string[];
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

export function fetchFeed(
  url: string,
  options: FeedFetchOptions,
  validators?: Validators,
): Promise<FetchedDocument> {
  return fetchDocument(url, FEED, {
    allowedHosts: options.allowedHosts,
    timeoutMs: options.timeoutMs ?? FEED_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? FEED_MAX_BYTES,
    ...(validators && { validators }),
  });
}
