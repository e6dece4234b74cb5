/**
 * A feed document (RSS 2.0, Atom 1.0, RSS 1.0/RDF or JSON Feed 1.1) as the
 * few fields following it needs: each item's key, link, title and summary.
 * Parsing is feedsmith's (README, "Following the news": why that parser);
 * this module only picks fields and says clearly what is not a feed.
 */
import { parseFeed } from 'feedsmith';
import { parseHTML } from 'linkedom';

/** One entry of a feed. */
export interface FeedItem {
  /** What identifies it across polls: its guid/id, else its link, else its title and date. */
  readonly key: string;
  /** The article's address; absent when the item has none (it is skipped). */
  readonly link?: string;
  readonly title: string;
  /** Its summary or description, as plain text. */
  readonly summary: string;
  /** As the feed states it (any date format), if it does. */
  readonly published?: string;
}

export interface ReadFeed {
  readonly format: 'rss' | 'atom' | 'rdf' | 'json';
  readonly title?: string;
  /** In the feed's own order (newest first, in nearly every feed). */
  readonly items: readonly FeedItem[];
}

/** Why a document is not a feed the bot can follow, worded for the moderator. */
export class FeedReadError extends Error {
  override readonly name = 'FeedReadError';
}

/** Atom text constructs come as { value }, RSS as a plain string. */
type Text = string | { readonly value?: string } | undefined;

const textOf = (value: Text): string =>
  (typeof value === 'string' ? value : (value?.value ?? '')).trim();

/** Summaries are often HTML: keep the words only (entities decoded), to match words against. */
function plainText(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  for (const element of document.querySelectorAll('script, style')) element.remove();
  return (document.body.textContent ?? '').replace(/\s+/g, ' ').trim();
}

const keyOf = (id: string | undefined, link: string | undefined, title: string, date?: string) =>
  id?.trim() || link?.trim() || `${title} @ ${date ?? ''}`;

/** A web address in an item, kept only when it is an absolute http(s) URL (relative: resolved). */
function absoluteLink(link: string | undefined, base: string): string | undefined {
  if (!link?.trim()) return undefined;
  try {
    const url = new URL(link.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

interface RssLikeItem {
  title?: Text;
  link?: string;
  description?: Text;
  guid?: { value?: string } | string;
  pubDate?: string;
  dc?: { date?: string; dates?: string[] };
  content?: { encoded?: string };
}

interface AtomLikeEntry {
  id?: string;
  title?: Text;
  links?: { href?: string; rel?: string }[];
  summary?: Text;
  content?: Text;
  published?: string;
  updated?: string;
}

interface JsonFeedItem {
  id?: string | number;
  url?: string;
  external_url?: string;
  title?: string;
  summary?: string;
  content_text?: string;
  content_html?: string;
  date_published?: string;
}

function rssItems(items: readonly RssLikeItem[], base: string): FeedItem[] {
  return items.map((item) => {
    const title = plainText(textOf(item.title));
    const link = absoluteLink(item.link, base);
    const guid = typeof item.guid === 'string' ? item.guid : item.guid?.value;
    const published = item.pubDate ?? item.dc?.date ?? item.dc?.dates?.[0];
    return {
      key: keyOf(guid, link, title, published),
      ...(link !== undefined && { link }),
      title,
      summary: plainText(textOf(item.description)),
      ...(published !== undefined && { published }),
    };
  });
}

function atomItems(entries: readonly AtomLikeEntry[], base: string): FeedItem[] {
  return entries.map((entry) => {
    const title = plainText(textOf(entry.title));
    const alternate =
      entry.links?.find((l) => l.rel === undefined || l.rel === 'alternate') ?? entry.links?.[0];
    const link = absoluteLink(alternate?.href, base);
    const published = entry.published ?? entry.updated;
    return {
      key: keyOf(entry.id, link, title, published),
      ...(link !== undefined && { link }),
      title,
      summary: plainText(textOf(entry.summary) || textOf(entry.content)),
      ...(published !== undefined && { published }),
    };
  });
}

function jsonItems(items: readonly JsonFeedItem[], base: string): FeedItem[] {
  return items.map((item) => {
    const title = plainText(item.title ?? '');
    const link = absoluteLink(item.url ?? item.external_url, base);
    return {
      key: keyOf(item.id === undefined ? undefined : String(item.id), link, title),
      ...(link !== undefined && { link }),
      title,
      summary: plainText(item.summary ?? item.content_text ?? item.content_html ?? ''),
      ...(item.date_published !== undefined && { published: item.date_published }),
    };
  });
}

/**
 * Reads a feed document fetched from `url` (the base for relative links).
 * Throws FeedReadError when it is not a feed: an HTML page, malformed XML or
 * JSON, another XML document.
 */
export function readFeed(text: string, url: string): ReadFeed {
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(text);
  } catch (error) {
    const looksLikeHtml = /^\s*(<!doctype html|<html)/i.test(text);
    throw new FeedReadError(
      looksLikeHtml
        ? 'that address is a web page, not a feed (look for its RSS or Atom link)'
        : `that address is not an RSS, Atom or JSON feed (${(error as Error).message})`,
      { cause: error },
    );
  }
  switch (parsed.format) {
    case 'rss':
    case 'rdf': {
      const feed = parsed.feed as { title?: Text; items?: RssLikeItem[] };
      return {
        format: parsed.format,
        ...titled(feed.title),
        items: rssItems(feed.items ?? [], url),
      };
    }
    case 'atom': {
      const feed = parsed.feed as { title?: Text; entries?: AtomLikeEntry[] };
      return { format: 'atom', ...titled(feed.title), items: atomItems(feed.entries ?? [], url) };
    }
    case 'json': {
      const feed = parsed.feed as { title?: string; items?: JsonFeedItem[] };
      return { format: 'json', ...titled(feed.title), items: jsonItems(feed.items ?? [], url) };
    }
  }
}

function titled(title: Text): { title?: string } {
  const text = plainText(textOf(title));
  return text ? { title: text } : {};
}
