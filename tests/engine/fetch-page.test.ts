import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchPage,
  forbiddenAddressRange,
  PageFetchError,
} from '../../src/knowledge/fetch-page.ts';
import { loadConfig } from '../../src/config.ts';
import {
  html,
  newsPage,
  redirect,
  seedArticle,
  servePages,
  type Served,
} from '../helpers/pages.ts';

async function refusal(promise: Promise<unknown>): Promise<PageFetchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PageFetchError);
    return error as PageFetchError;
  }
  throw new Error('expected the fetch to be refused');
}

describe('fetchPage', () => {
  let site: Served;
  const seed = seedArticle('000_caf870510fba0c31.md');
  const page = newsPage({ ...seed, siteName: 'Example News', published: '2025-06-02' });
  beforeAll(async () => {
    site = await servePages({
      '/article': html(page),
      '/r1': redirect('/r2'),
      '/r2': redirect('/r3', 301),
      '/r3': redirect('/r4', 307),
      '/r4': redirect('/r5', 308),
      '/r5': redirect('/article', 303),
      '/r0': redirect('/r1'),
      '/loop': redirect('/loop'),
      '/huge': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = `<p>${'x'.repeat(64 * 1024 - 7)}</p>`;
        for (let i = 0; i < 48; i++) res.write(chunk); // 3 MiB, no content-length
        res.end();
      },
      '/huge-declared': (_req, res) =>
        res
          .writeHead(200, {
            'content-type': 'text/html',
            'content-length': String(3 * 1024 * 1024),
          })
          .end(),
      '/image': (_req, res) =>
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50])),
      '/trickle': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><body><p>The page starts'); // …and never ends
      },
      '/slow': () => {
        /* never answers */
      },
      '/to-private': redirect('http://10.0.0.1/secret'),
      '/to-localhost': (_req, res) =>
        res
          .writeHead(302, { location: `http://localhost:${new URL(site.origin).port}/article` })
          .end(),
      '/to-ftp': redirect('ftp://example.org/file'),
      '/missing': (_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('gone'),
    });
  });
  afterAll(() => site.close());
  const allowed = () => ({ allowedHosts: [site.host] });

  it('fetches an allowed page and reports where it ended up', async () => {
    const fetched = await fetchPage(`${site.origin}/article`, allowed());
    expect(fetched.html).toBe(page);
    expect(fetched.url).toBe(`${site.origin}/article`);
    expect(fetched.contentType).toBe('text/html');
  });

  it('follows up to five redirects, and refuses a sixth', async () => {
    const fetched = await fetchPage(`${site.origin}/r1`, allowed());
    expect(fetched.url).toBe(`${site.origin}/article`);
    const error = await refusal(fetchPage(`${site.origin}/r0`, allowed()));
    expect(error.failure).toBe('redirects');
    expect(error.message).toMatch(/too many redirects/);
    expect((await refusal(fetchPage(`${site.origin}/loop`, allowed()))).failure).toBe('redirects');
  });

  it('refuses a page over the size cap, counted while streaming or declared', async () => {
    const error = await refusal(fetchPage(`${site.origin}/huge`, allowed()));
    expect(error.failure).toBe('size');
    expect(error.message).toBe('the page is larger than 2 MiB');
    expect((await refusal(fetchPage(`${site.origin}/huge-declared`, allowed()))).failure).toBe(
      'size',
    );
  });

  it('refuses what is not HTML, naming its type', async () => {
    const error = await refusal(fetchPage(`${site.origin}/image`, allowed()));
    expect(error.message).toBe('not an HTML page (image/png)');
  });

  it('gives up on a server that never answers', async () => {
    const error = await refusal(fetchPage(`${site.origin}/slow`, { ...allowed(), timeoutMs: 300 }));
    expect(error.failure).toBe('timeout');
    expect(error.message).toMatch(/timed out after 0.3 s/);
  });

  it('gives up on a page whose body never finishes, within the same total time', async () => {
    const error = await refusal(
      fetchPage(`${site.origin}/trickle`, { ...allowed(), timeoutMs: 300 }),
    );
    expect(error.failure).toBe('timeout');
  });

  it('reports an error status', async () => {
    expect((await refusal(fetchPage(`${site.origin}/missing`, allowed()))).message).toMatch(/404/);
  });

  it.each([
    'ftp://example.org/file',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a link',
    'http://user:pw@example.org/',
  ])('refuses %s before any request', async (link) => {
    expect((await refusal(fetchPage(link))).failure).toBe('scheme');
  });

  it('refuses a redirect to another scheme', async () => {
    expect((await refusal(fetchPage(`${site.origin}/to-ftp`, allowed()))).failure).toBe('scheme');
  });

  describe('server-side request forgery', () => {
    const port = () => new URL(site.origin).port;
    it.each([
      ['loopback IPv4', () => `http://127.0.0.1:${port()}/article`, /loopback/],
      ['loopback IPv6', () => `http://[::1]:${port()}/article`, /loopback/],
      ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${port()}/article`, /loopback/],
      ['a private address', () => 'http://10.0.0.1/', /private/],
      [
        'cloud metadata (link-local)',
        () => 'http://169.254.169.254/latest/meta-data/',
        /link-local/,
      ],
      ['the unspecified address', () => `http://0.0.0.0:${port()}/article`, /unspecified/],
      ['multicast', () => 'http://224.0.0.1/', /multicast/],
      ['IPv6 unique-local', () => 'http://[fd00::1]/', /private/],
      ['a decimal-encoded loopback', () => `http://2130706433:${port()}/article`, /loopback/],
      [
        'a host name that resolves to loopback',
        () => `http://localhost:${port()}/article`,
        /loopback/,
      ],
    ])('refuses %s without reaching the server', async (_, link, reason) => {
      const before = site.requests.length;
      const error = await refusal(fetchPage(link(), { timeoutMs: 2000 }));
      expect(error.failure).toBe('address');
      expect(error.message).toMatch(reason);
      expect(site.requests.length).toBe(before);
    });

    it('checks the address actually connected to (DNS rebinding)', async () => {
      // The resolver says loopback: the checked lookup refuses before connecting, so
      // the only address a socket can use is one that passed the check.
      const before = site.requests.length;
      const error = await refusal(
        fetchPage(`http://rebind.example:${port()}/article`, {
          resolve: async () => [{ address: '127.0.0.1', family: 4 }],
        }),
      );
      expect(error.failure).toBe('address');
      expect(site.requests.length).toBe(before);
      // Any private address among the answers refuses the host.
      const mixed = await refusal(
        fetchPage(`http://mixed.example:${port()}/article`, {
          resolve: async () => [
            { address: '93.184.216.34', family: 4 },
            { address: '::ffff:10.1.2.3', family: 6 },
          ],
        }),
      );
      expect(mixed.failure).toBe('address');
    });

    it('re-checks every redirect hop: an allowed host may not send the bot to a private one', async () => {
      const before = site.requests.length;
      const error = await refusal(fetchPage(`${site.origin}/to-private`, allowed()));
      expect(error.failure).toBe('address');
      const local = await refusal(fetchPage(`${site.origin}/to-localhost`, allowed()));
      expect(local.failure).toBe('address');
      expect(site.requests.slice(before)).toEqual(['/to-private', '/to-localhost']);
    });

    it('classifies addresses', () => {
      expect(forbiddenAddressRange('93.184.216.34')).toBeUndefined();
      expect(forbiddenAddressRange('2606:2800:220:1:248:1893:25c8:1946')).toBeUndefined();
      expect(forbiddenAddressRange('::ffff:169.254.169.254')).toBe('linkLocal');
      expect(forbiddenAddressRange('100.64.0.1')).toBe('carrierGradeNat');
      expect(forbiddenAddressRange('255.255.255.255')).toBe('broadcast');
      expect(forbiddenAddressRange('::')).toBe('unspecified');
      expect(forbiddenAddressRange('fe80::1')).toBe('linkLocal');
      expect(forbiddenAddressRange('ff02::1')).toBe('multicast');
    });
  });
});

describe('LINK_ALLOWED_HOSTS', () => {
  it('is empty by default and reads a comma-separated list', () => {
    expect(loadConfig({}).linkAllowedHosts).toEqual([]);
    expect(
      loadConfig({ LINK_ALLOWED_HOSTS: ' Wiki.Internal , 10.0.0.5:8080,[::1]:81' })
        .linkAllowedHosts,
    ).toEqual(['wiki.internal', '10.0.0.5:8080', '[::1]:81']);
  });
  it('names a bad entry', () => {
    expect(() => loadConfig({ LINK_ALLOWED_HOSTS: 'http://x/' })).toThrow(/LINK_ALLOWED_HOSTS/);
  });
});
