/**
 * Realistic web pages for "add by link" tests: a seed article's body wrapped
 * in the chrome real news sites have (navigation, cookie banner, ads, related
 * links, footer, JSON-LD, Open Graph), and a local server that serves them.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseKnowledgeFile } from '../../src/knowledge/parse.ts';
import { KNOWLEDGE_DIR } from './knowledge.ts';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A seed article's title and body paragraphs (lines of its file). */
export function seedArticle(file: string): { title: string; paragraphs: string[] } {
  const parsed = parseKnowledgeFile('seed', file, readFileSync(join(KNOWLEDGE_DIR, file), 'utf8'));
  if (!parsed.ok) throw new Error(`seed ${file}: ${parsed.problems.join('; ')}`);
  const paragraphs = parsed.article.body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return { title: parsed.article.title, paragraphs };
}

export interface PageMeta {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly published?: string;
  readonly siteName?: string;
  readonly canonical?: string;
}

/** A news story none of the articles tells: for tests that add a page by its link. */
export const RIYADH_STORY: PageMeta = {
  title: 'Energy ceasefire talks open in Riyadh',
  paragraphs: [
    'Delegations met in Riyadh on Sunday to discuss an energy ceasefire covering power plants.',
    'The energy ceasefire would protect 14 power plants on each side, the Saudi hosts said.',
    'Negotiators in Riyadh said the energy ceasefire could start within ten days if both sides sign.',
  ],
  siteName: 'Gulf Wire',
  published: '2025-07-06',
};

/** A news page as sites serve it: the article plus everything around it. */
export function newsPage(meta: PageMeta): string {
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: meta.title,
    ...(meta.published && { datePublished: meta.published }),
    ...(meta.siteName && { publisher: { '@type': 'Organization', name: meta.siteName } }),
  };
  const body = meta.paragraphs
    .map((p) => (/[.!?"”]$/.test(p) ? `<p>${escape(p)}</p>` : `<h2>${escape(p)}</h2>`))
    .join('\n');
  return `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>${escape(meta.title)} | ${escape(meta.siteName ?? 'News')}</title>
<meta property="og:title" content="${escape(meta.title)}">
${meta.siteName ? `<meta property="og:site_name" content="${escape(meta.siteName)}">` : ''}
${meta.published ? `<meta property="article:published_time" content="${meta.published}">` : ''}
${meta.canonical ? `<link rel="canonical" href="${escape(meta.canonical)}">` : ''}
<script type="application/ld+json">${JSON.stringify(jsonLd)}</script>
<script>window.dataLayer = []; function track() {}</script>
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. By continuing you accept our cookie policy. <button>Accept all cookies</button></div>
<header class="site-header"><nav class="main-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<div class="ad ad-banner" id="ad-top">Advertisement: Subscribe now and save 50% on your first year of premium membership.</div>
<main>
<article class="article">
<h1 class="headline">${escape(meta.title)}</h1>
<div class="byline">By Staff Reporter</div>
${body}
</article>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Celebrity chef opens third restaurant in the harbour district this weekend</a></li>
<li><a href="/b">Ten gadgets you need for your summer holiday, ranked by our experts</a></li>
<li><a href="/c">Local football club signs a new striker from abroad for a record fee</a></li>
</ul></aside>
<div class="ad ad-sidebar">Sponsored: The best mortgage rates this month, compare lenders today.</div>
</main>
<footer class="site-footer"><p>© 2025 ${escape(meta.siteName ?? 'News')}. All rights reserved. Terms of use. Privacy policy. Contact us.</p></footer>
</body></html>`;
}

export interface Served {
  readonly server: Server;
  readonly origin: string;
  readonly host: string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1, port 0, serving `routes` by path. */
export async function servePages(routes: Record<string, Route>): Promise<Served> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const html =
  (page: string): Route =>
  (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);

export const redirect =
  (location: string, status = 302): Route =>
  (_req, res) =>
    res.writeHead(status, { location }).end();
