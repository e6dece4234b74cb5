import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { previewLink, previewText } from '../../src/engine/import-link.ts';
import type { Engine } from '../../src/engine/engine.ts';
import {
  extractArticle,
  knowledgeFileText,
  normaliseDate,
} from '../../src/knowledge/extract-article.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';
import { html, newsPage, seedArticle, servePages, type Served } from '../helpers/pages.ts';

const SEEDS = readdirSync(KNOWLEDGE_DIR).filter((f) => /^\d{3}_.*\.md$/.test(f));
const CHROME = [
  /cookie/i,
  /Advertisement/,
  /Sponsored/,
  /Celebrity chef/,
  /Related stories/,
  /All rights reserved/,
  /Politics/,
  /By Staff Reporter/,
];

describe('extractArticle', () => {
  it.each(SEEDS)('keeps the article and drops the page chrome (%s)', (file) => {
    const seed = seedArticle(file);
    const page = newsPage({
      ...seed,
      siteName: 'Example News',
      published: '2025-06-02T09:30:00+03:00',
      canonical: '/world/istanbul-talks?ref=rss',
    });
    const article = extractArticle(page, 'https://news.example/world/istanbul-talks?utm=x')!;
    expect(article.title).toBe(seed.title);
    expect(article.published).toBe('2025-06-02');
    expect(article.publisher).toBe('Example News');
    expect(article.url).toBe('https://news.example/world/istanbul-talks?ref=rss');
    for (const chrome of CHROME) expect(article.text).not.toMatch(chrome);
    // Every prose paragraph of the article survives, as its own paragraph.
    const paragraphs = article.text.split('\n\n');
    for (const p of seed.paragraphs.filter((p) => /[.!?]$/.test(p))) {
      expect(paragraphs).toContain(p.replace(/\s+/g, ' '));
    }
  });

  it('reads the date and publisher from JSON-LD when the meta tags are absent', () => {
    const seed = seedArticle(SEEDS[1]!);
    const page = newsPage({ ...seed, published: '2025-05-16', siteName: 'LD News' })
      .replace(/<meta property="og:site_name"[^>]*>/, '')
      .replace(/<meta property="article:published_time"[^>]*>/, '');
    const article = extractArticle(page, 'https://ld.example/a')!;
    expect(article).toMatchObject({
      published: '2025-05-16',
      publisher: 'LD News',
      url: 'https://ld.example/a',
    });
  });

  it('leaves out what the page does not state', () => {
    const seed = seedArticle(SEEDS[2]!);
    const article = extractArticle(newsPage(seed), 'https://plain.example/a')!;
    expect(article.published).toBeUndefined();
    expect(article.publisher).toBeUndefined();
  });

  it('drops the site name a page title ends with', () => {
    const page = `<!doctype html><html><head><title>Grain talks resume in Ankara | Example News</title>
      <meta property="og:site_name" content="Example News"></head><body><article>
      <p>Negotiators met in Ankara on Thursday to discuss reopening the Black Sea grain corridor after weeks of delay.</p>
      <p>The delegations agreed to let 42 cargo ships leave Odesa over the next month, officials said on Friday.</p>
      </article></body></html>`;
    const article = extractArticle(page, 'https://site.example/grain')!;
    expect(article.title).toBe('Grain talks resume in Ankara');
    expect(article.publisher).toBe('Example News');
  });

  it('normalises only real dates', () => {
    expect(normaliseDate('2025-06-02T23:30:00-05:00')).toBe('2025-06-02');
    expect(normaliseDate('2025-06-02')).toBe('2025-06-02');
    expect(normaliseDate('June 2, 2025')).toBeUndefined();
    expect(normaliseDate('2025-13-45')).toBeUndefined();
  });

  it('writes a knowledge file whose front matter reads back exactly', () => {
    const text = knowledgeFileText({
      title: 'Talks: "round two" — #2',
      published: '2025-06-02',
      publisher: 'Example: News',
      url: 'https://news.example/a',
      text: 'One sentence here.\n\nAnother sentence there.',
    });
    const front = parseYaml(text.split('---\n')[1]!) as Record<string, unknown>;
    expect(front).toEqual({
      title: 'Talks: "round two" — #2',
      published: '2025-06-02',
      publisher: 'Example: News',
      url: 'https://news.example/a',
    });
  });
});

describe('previewLink', () => {
  let engine: Engine;
  let site: Served;
  const fresh = {
    title: 'Drone makers expand production near Lviv',
    paragraphs: [
      'Ukrainian drone makers opened three new drone factories near Lviv this week, officials said.',
      'The Lviv drone factories will build long-range drones for the Ukrainian air force.',
      'Engineers at the Lviv factories said drone production would double by the end of the year.',
      'Lviv officials welcomed the drone factories but warned that air defence around them must improve.',
    ],
  };
  beforeAll(async () => {
    engine = await openTestEngine();
    const seed = seedArticle(SEEDS[0]!);
    site = await servePages({
      '/fresh': html(
        newsPage({
          ...fresh,
          siteName: 'Kyiv Daily',
          published: '2025-06-05',
          canonical: '/fresh',
        }),
      ),
      '/copy': html(newsPage({ ...seed, title: 'A rewritten headline', siteName: 'Copy News' })),
      '/empty': html(
        '<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>',
      ),
    });
  });
  afterAll(() => site.close());
  const options = () => ({ allowedHosts: [site.host] });

  it('previews a new article with its front matter and sentences', async () => {
    const result = await previewLink(`${site.origin}/fresh`, KNOWLEDGE_DIR, engine, options());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.preview.article).toMatchObject({
      title: fresh.title,
      published: '2025-06-05',
      publisher: 'Kyiv Daily',
      url: `${site.origin}/fresh`,
    });
    expect(result.preview.sentences).toEqual(fresh.paragraphs);
    // Named after its title; the library appends a hash only if that id is taken.
    expect(result.preview.fileName).toBe('drone-makers-expand-production-near-lviv.md');
  });

  it('refuses a page whose sentences are already indexed, naming the article', async () => {
    const result = await previewLink(`${site.origin}/copy`, KNOWLEDGE_DIR, engine, options());
    expect(result.ok).toBe(false);
    const seedId = SEEDS[0]!.replace(/\.md$/, '');
    expect(result.ok ? '' : result.problems.join()).toMatch(
      new RegExp(
        `already in the knowledge folder: \\d+ of its \\d+ sentences are indexed, most in ".+" \\(${seedId}\\)`,
      ),
    );
  });

  it('refuses an article with the same address as one already present', async () => {
    const withUrl = {
      ...engine,
      articles: engine.articles.map((a, i) =>
        i === 2 ? { ...a, url: 'https://news.example/fresh/' } : a,
      ),
    } as Engine;
    const text = `---\ntitle: Fresh\nurl: https://www.news.example/fresh#top\n---\n${fresh.paragraphs.join('\n\n')}\n`;
    const result = await previewText(text, KNOWLEDGE_DIR, withUrl);
    expect(result.ok ? '' : result.problems.join()).toMatch(
      `"${engine.articles[2]!.title}" (${engine.articles[2]!.id}) has the same address`,
    );
  });

  it('says when a page holds no article, and passes fetch refusals on', async () => {
    const empty = await previewLink(`${site.origin}/empty`, KNOWLEDGE_DIR, engine, options());
    expect(empty.ok ? '' : empty.problems.join()).toMatch(
      /no article|no complete sentences|empty body/,
    );
    const refused = await previewLink(`${site.origin}/fresh`, KNOWLEDGE_DIR, engine);
    expect(refused.ok ? '' : refused.problems.join()).toMatch(/loopback/);
  });
});
