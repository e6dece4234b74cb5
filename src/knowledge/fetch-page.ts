/**
 * Fetches one web page for "add an article by link", refusing anything a
 * moderator's link must never make the bot do: reach loopback, private,
 * link-local, multicast, reserved or unspecified addresses (IPv4, IPv6 and
 * IPv4-mapped), follow endless redirects, download huge or non-HTML files, or
 * wait forever.
 *
 * Server-side request forgery: the address check sits in the socket's own
 * DNS `lookup`, so the address that was checked is the address connected to
 * (a host name that resolves to a public address when checked and to
 * 127.0.0.1 a moment later — DNS rebinding — cannot slip through), and it
 * runs again on every redirect hop. A literal IP in the URL is checked before
 * any connection, and the connected socket's remote address is checked once
 * more. Hosts the operator lists in LINK_ALLOWED_HOSTS skip the address check
 * (tests use it to reach their local server).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import ipaddr from 'ipaddr.js';

export const DEFAULT_PAGE_LIMITS = {
  timeoutMs: 10_000,
  maxBytes: 2 * 1024 * 1024,
  maxRedirects: 5,
} as const;

export type PageFetchFailure =
  'scheme' | 'address' | 'redirects' | 'size' | 'type' | 'status' | 'timeout' | 'network';

/** Why a page could not be fetched, worded for the moderator who gave the link. */
export class PageFetchError extends Error {
  override readonly name = 'PageFetchError';
  constructor(
    readonly failure: PageFetchFailure,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.status = options?.status;
  }

  /** The HTTP status the site answered, for a 'status' failure. */
  readonly status: number | undefined;

  /**
   * Whether the same fetch may work a little later: a time-out, a network
   * error, a 5xx or 429 answer. The rest stays so until the link changes.
   */
  get passing(): boolean {
    const status = this.status ?? 0;
    return (
      this.failure === 'timeout' || this.failure === 'network' || status >= 500 || status === 429
    );
  }
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

export interface FetchPageOptions {
  /** Host names (or host:port) that skip the private-address check (LINK_ALLOWED_HOSTS). */
  readonly allowedHosts?: readonly string[];
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  /** Name resolution (default: the system resolver); tests stand in a rebinding DNS. */
  readonly resolve?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

export interface FetchedPage {
  /** The address the page was finally served from (after redirects). */
  readonly url: string;
  readonly html: string;
  readonly contentType: string;
}

/** What kind of document a fetch wants: what it asks for and which media types it takes. */
export interface DocumentKind {
  /** The Accept header. */
  readonly accept: string;
  readonly mediaTypes: ReadonlySet<string>;
  /** In the refusal of another type: "not an HTML page (image/png)". */
  readonly name: string;
  /** In the refusal of a large one: "the page is larger than 2 MiB". */
  readonly noun: string;
  /** Why the bot is fetching, in its User-Agent. */
  readonly purpose: string;
}

/** Validators from an earlier fetch: the server may answer 304 Not Modified. */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

/** A fetched document, or "not modified" when the validators still hold. */
export type FetchedDocument =
  | {
      readonly modified: true;
      readonly url: string;
      readonly text: string;
      readonly contentType: string;
      /** The validators to send next time (absent when the server gave none). */
      readonly validators: Validators;
    }
  | { readonly modified: false };

const HTML_PAGE: DocumentKind = {
  accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
  mediaTypes: new Set(['text/html', 'application/xhtml+xml']),
  name: 'an HTML page',
  noun: 'page',
  purpose: 'article import by a moderator',
};
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Why an address must not be reached, or undefined when it is a public unicast address. */
export function forbiddenAddressRange(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return 'not an IP address';
  // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it carries.
  const range = ipaddr.process(bare).range();
  return range === 'unicast' ? undefined : range;
}

function describeRange(range: string): string {
  const words: Record<string, string> = {
    loopback: 'a loopback (this machine)',
    private: 'a private-network',
    uniqueLocal: 'a private-network',
    linkLocal: 'a link-local',
    multicast: 'a multicast',
    unspecified: 'an unspecified (0.0.0.0 / ::)',
    broadcast: 'a broadcast',
    carrierGradeNat: 'a carrier-grade NAT',
  };
  return words[range] ?? `a reserved (${range})`;
}

function addressRefusal(host: string, address: string, range: string): PageFetchError {
  const shown = host === address ? host : `${host} (${address})`;
  return new PageFetchError(
    'address',
    `that address is ${describeRange(range)} address — ${shown} — and links may only point to public web servers (the bot's operator can allow this host by adding it to LINK_ALLOWED_HOSTS)`,
  );
}

function isAllowedHost(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.some((entry) => {
    const wanted = entry.trim().toLowerCase();
    return wanted === host || wanted === `${host}:${port}` || wanted === url.host.toLowerCase();
  });
}

/** The URL, or a refusal for what it is not (a malformed link, another scheme). */
export function checkLink(link: string): URL {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    throw new PageFetchError('scheme', 'that is not a web address (it should start with https://)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PageFetchError(
      'scheme',
      `only http and https links can be added (this one is ${url.protocol.replace(/:$/, '')}:)`,
    );
  }
  if (url.username || url.password) {
    throw new PageFetchError('scheme', 'links with a user name or password cannot be added');
  }
  return url;
}

const systemResolve = async (hostname: string): Promise<readonly ResolvedAddress[]> =>
  dnsLookup(hostname, { all: true, verbatim: true });

/** A socket lookup that only ever hands out addresses it has checked. */
function checkedLookup(
  host: string,
  allowed: boolean,
  resolve: (hostname: string) => Promise<readonly ResolvedAddress[]>,
  onRefused: (error: PageFetchError) => void,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) {
          return callback(
            Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }),
            '',
            4,
          );
        }
        if (!allowed) {
          for (const { address } of addresses) {
            const range = forbiddenAddressRange(address);
            if (range !== undefined) {
              const refusal = addressRefusal(host, address, range);
              onRefused(refusal);
              return callback(refusal, '', 4);
            }
          }
        }
        if (options.all)
          return callback(
            null,
            addresses.map((a) => ({ ...a })),
          );
        const first =
          addresses.find((a) => !options.family || a.family === options.family) ?? addresses[0]!;
        return callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };
}

interface Hop {
  readonly response: IncomingMessage;
}

function request(
  url: URL,
  options: Required<Omit<FetchPageOptions, 'allowedHosts'>> & {
    allowed: boolean;
    headers: Record<string, string>;
  },
  signal: AbortSignal,
): Promise<Hop> {
  return new Promise((resolvePromise, reject) => {
    let refusal: PageFetchError | undefined;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowed && ipaddr.isValid(host)) {
      const range = forbiddenAddressRange(host);
      if (range !== undefined) return reject(addressRefusal(host, host, range));
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'GET',
      agent: false,
      signal,
      lookup: checkedLookup(host, options.allowed, options.resolve, (error) => (refusal = error)),
      headers: options.headers,
    });
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        // Belt and braces: the address actually connected to.
        const remote = socket.remoteAddress;
        const range = remote === undefined ? undefined : forbiddenAddressRange(remote);
        if (!options.allowed && remote !== undefined && range !== undefined) {
          refusal = addressRefusal(host, remote, range);
          req.destroy(refusal);
        }
      });
    });
    req.on('response', (response) => resolvePromise({ response }));
    req.on('error', (error) => reject(refusal ?? error));
    req.end();
  });
}

function readBody(response: IncomingMessage, maxBytes: number, noun: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    response.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        fail(tooLarge(noun, maxBytes));
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => {
      if (settled) return;
      settled = true;
      resolvePromise(Buffer.concat(chunks));
    });
    response.on('error', fail);
    response.on('aborted', () => fail(new Error('the connection closed early')));
  });
}

const tooLarge = (noun: string, maxBytes: number) =>
  new PageFetchError('size', `the ${noun} is larger than ${formatBytes(maxBytes)}`);

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / 1024 / 1024} MiB`
    : `${Math.round(bytes / 1024)} KiB`;
}

function decode(body: Buffer, contentType: string): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/** Fetches an HTML page by link, following at most `maxRedirects` redirects, each re-checked. */
export async function fetchPage(
  link: string,
  options: FetchPageOptions = {},
): Promise<FetchedPage> {
  const fetched = await fetchDocument(link, HTML_PAGE, options);
  if (!fetched.modified) throw new PageFetchError('status', 'the site answered 304 unasked');
  return { url: fetched.url, html: fetched.text, contentType: fetched.contentType };
}

/**
 * Fetches a document of the given kind with every check above. With
 * validators the request is conditional, and a 304 answer costs nothing.
 */
export async function fetchDocument(
  link: string,
  kind: DocumentKind,
  options: FetchPageOptions & { readonly validators?: Validators } = {},
): Promise<FetchedDocument> {
  const settings = {
    timeoutMs: options.timeoutMs ?? DEFAULT_PAGE_LIMITS.timeoutMs,
    maxBytes: options.maxBytes ?? DEFAULT_PAGE_LIMITS.maxBytes,
    maxRedirects: options.maxRedirects ?? DEFAULT_PAGE_LIMITS.maxRedirects,
    resolve: options.resolve ?? systemResolve,
  };
  const headers: Record<string, string> = {
    accept: kind.accept,
    'accept-encoding': 'identity',
    'user-agent': `talks-bot/0.1 (${kind.purpose})`,
    ...(options.validators?.etag !== undefined && { 'if-none-match': options.validators.etag }),
    ...(options.validators?.lastModified !== undefined && {
      'if-modified-since': options.validators.lastModified,
    }),
  };
  const allowedHosts = options.allowedHosts ?? [];
  const signal = AbortSignal.timeout(settings.timeoutMs);
  const timedOut = () =>
    new PageFetchError(
      'timeout',
      `the site did not answer in time (timed out after ${settings.timeoutMs / 1000} s)`,
    );

  let url = checkLink(link);
  for (let hop = 0; ; hop++) {
    let response: IncomingMessage;
    try {
      ({ response } = await request(
        url,
        { ...settings, headers, allowed: isAllowedHost(url, allowedHosts) },
        signal,
      ));
    } catch (error) {
      if (error instanceof PageFetchError) throw error;
      if (signal.aborted) throw timedOut();
      const code = (error as NodeJS.ErrnoException).code;
      throw new PageFetchError(
        'network',
        code === 'ENOTFOUND'
          ? `the site ${url.hostname} could not be found`
          : `the site could not be reached (${code ?? (error as Error).message})`,
        { cause: error },
      );
    }
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      response.resume();
      const location = response.headers.location;
      if (!location)
        throw new PageFetchError('status', `the site answered ${status} without saying where to`);
      if (hop >= settings.maxRedirects) {
        throw new PageFetchError(
          'redirects',
          `too many redirects (more than ${settings.maxRedirects})`,
        );
      }
      url = checkLink(new URL(location, url).toString());
      continue;
    }
    if (status === 304 && options.validators !== undefined) {
      response.resume();
      return { modified: false };
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new PageFetchError(
        'status',
        `the site answered ${status} ${response.statusMessage ?? ''}`.trim(),
        { status },
      );
    }
    const contentType = String(response.headers['content-type'] ?? '');
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (!kind.mediaTypes.has(mediaType)) {
      response.destroy();
      throw new PageFetchError('type', `not ${kind.name} (${mediaType || 'no content type'})`);
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > settings.maxBytes) {
      response.destroy();
      throw tooLarge(kind.noun, settings.maxBytes);
    }
    try {
      const body = await readBody(response, settings.maxBytes, kind.noun);
      const etag = response.headers.etag;
      const lastModified = response.headers['last-modified'];
      return {
        modified: true,
        url: url.toString(),
        text: decode(body, contentType),
        contentType: mediaType,
        validators: {
          ...(etag !== undefined && { etag }),
          ...(lastModified !== undefined && { lastModified }),
        },
      };
    } catch (error) {
      if (error instanceof PageFetchError) throw error;
      if (signal.aborted) throw timedOut();
      throw new PageFetchError(
        'network',
        `the page could not be read (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
  }
}
