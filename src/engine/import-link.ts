/**
 * Adding an article by link, up to the moderator's decision: fetch the page
 * (safely), extract the article, write it as a knowledge file, check it the
 * way an upload is checked, and refuse copies of what is already indexed.
 * Saving is the library's `add`, the same path as an upload.
 */
import { join } from 'node:path';
import type { Engine } from './engine.ts';
import { validateUpload } from './library.ts';
import { safeId } from '../knowledge/file-name.ts';
import { extractArticle, knowledgeFileText } from '../knowledge/extract-article.ts';
import { fetchPage, PageFetchError, type FetchPageOptions } from '../knowledge/fetch-page.ts';
import type { Article } from '../knowledge/types.ts';
import { loadVocabulary, VOCABULARY_FILE } from '../knowledge/vocabulary.ts';

/** Share of an article's sentences already indexed elsewhere that makes it a copy. */
export const DUPLICATE_SHARE = 0.6;

/** An article ready to save: the moderator sees it before choosing Add or Cancel. */
export interface ArticlePreview {
  readonly article: Article;
  /** Its answerable sentences, in order. */
  readonly sentences: readonly string[];
  /** The knowledge file's name and text, as they will be saved. */
  readonly fileName: string;
  readonly text: string;
}

export type PreviewResult =
  | { ok: true; preview: ArticlePreview }
  /** `passing`: the page could not be fetched now, but may be later (a time-out, a 5xx). */
  | { ok: false; problems: readonly string[]; passing?: true };

const comparableUrl = (url: string) => {
  try {
    const u = new URL(url);
    u.hash = '';
    return `${u.host.toLowerCase().replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return url;
  }
};

/** Why this article is already in the knowledge folder, naming the article it copies. */
export function duplicateProblems(
  engine: Engine,
  { article, sentences }: { article: Pick<Article, 'url'>; sentences: readonly string[] },
): string[] {
  if (article.url !== undefined) {
    const wanted = comparableUrl(article.url);
    const same = engine.articles.find(
      (a) => a.url !== undefined && comparableUrl(a.url) === wanted,
    );
    if (same) {
      return [
        `is already in the knowledge folder: "${same.title}" (${same.id}) has the same address`,
      ];
    }
  }
  const owners = new Map<string, number>();
  let indexed = 0;
  for (const sentence of sentences) {
    const owner = engine.articleWithSentence(sentence);
    if (owner === undefined) continue;
    indexed++;
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
  }
  if (sentences.length > 0 && indexed / sentences.length >= DUPLICATE_SHARE) {
    const [ownerId] = [...owners.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const owner = engine.articles.find((a) => a.id === ownerId);
    return [
      `is already in the knowledge folder: ${indexed} of its ${sentences.length} sentences are indexed, most in "${owner?.title ?? ownerId}" (${ownerId})`,
    ];
  }
  return [];
}

/** Checks an article file's text as an upload and against the current articles. */
export async function previewText(
  text: string,
  knowledgeDir: string,
  engine: Engine,
): Promise<PreviewResult> {
  const vocabulary = await loadVocabulary(join(knowledgeDir, VOCABULARY_FILE));
  const bytes = new TextEncoder().encode(text);
  const checked = validateUpload('article.md', bytes, vocabulary);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  const duplicate = duplicateProblems(engine, checked);
  if (duplicate.length > 0) return { ok: false, problems: duplicate };
  return {
    ok: true,
    preview: {
      article: checked.article,
      sentences: checked.sentences,
      // Named after its title; the library appends a hash if that id is taken.
      fileName: `${safeId(checked.article.title) || 'article'}.md`,
      text,
    },
  };
}

/** Fetches and extracts the article behind a link; every refusal is a readable problem. */
export async function previewLink(
  link: string,
  knowledgeDir: string,
  engine: Engine,
  fetchOptions: FetchPageOptions = {},
): Promise<PreviewResult> {
  let page;
  try {
    page = await fetchPage(link, fetchOptions);
  } catch (error) {
    if (error instanceof PageFetchError) {
      return { ok: false, problems: [error.message], ...(error.passing && { passing: true }) };
    }
    throw error;
  }
  const extracted = extractArticle(page.html, page.url);
  if (!extracted) return { ok: false, problems: ['no article could be found on that page'] };
  return previewText(knowledgeFileText(extracted), knowledgeDir, engine);
}
