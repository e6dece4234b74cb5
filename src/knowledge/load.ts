/**
 * Loads the knowledge folder: every article file is parsed and validated on its
 * own, so one bad file is reported by name while the rest still load.
 */
import { hash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { classifyParagraphs, normalizeForComparison } from './clean.ts';
import { parseKnowledgeFile } from './parse.ts';
import { splitSentences } from './segment.ts';
import type { Article, ArticleInfo, KnowledgeProblem, Sentence } from './types.ts';
import { loadVocabulary, VOCABULARY_FILE, type Vocabulary } from './vocabulary.ts';
import { createTermPipeline, type TermPipeline } from '../search/index/terms.ts';

/** Article files are Markdown or plain text; README.md explains the folder. */
const ARTICLE_EXTENSIONS = new Set(['.md', '.markdown', '.txt']);
/** Larger files are almost certainly not one news article (or not text at all). */
export const MAX_ARTICLE_BYTES = 512 * 1024;

export interface KnowledgeBase {
  readonly articles: readonly Article[];
  readonly sentences: readonly Sentence[];
  readonly problems: readonly KnowledgeProblem[];
  readonly vocabulary: Vocabulary;
  readonly pipeline: TermPipeline;
}

/**
 * What an engine is made of: a loaded knowledge base, or one restored from a
 * snapshot (whose articles carry no body: answering never reads it again).
 */
export type EngineKnowledge = Pick<KnowledgeBase, 'sentences' | 'problems' | 'pipeline'> & {
  readonly articles: readonly ArticleInfo[];
};

/** Article metadata without the bodies, which would otherwise stay in memory for nothing. */
export function withoutBodies(articles: readonly ArticleInfo[]): ArticleInfo[] {
  return articles.map((article) => {
    const { body: _body, ...info } = article as ArticleInfo & { body?: string };
    return info;
  });
}

export function isArticleFile(name: string): boolean {
  return (
    ARTICLE_EXTENSIONS.has(extname(name).toLowerCase()) &&
    name.toLowerCase() !== 'readme.md' &&
    !name.startsWith('.')
  );
}

/** Sentences shorter than this are fragments ("Still.") that cannot answer anything. */
const MIN_SENTENCE_WORDS = 3;

function sentenceKey(articleId: string, text: string): string {
  // One-shot hash(): no Hash object per sentence, same digest.
  return hash('sha1', `${articleId}\0${text}`, 'base64url').slice(0, 10);
}

/** Words in a comparison key (single-space separated), counted without splitting it. */
function wordCount(key: string): number {
  let words = 1;
  for (let at = key.indexOf(' '); at !== -1; at = key.indexOf(' ', at + 1)) words += 1;
  return words;
}

/** Turns one article into its answerable sentences (ids assigned from `firstId`). */
export function sentencesOf(article: Article, pipeline: TermPipeline, firstId: number): Sentence[] {
  const classified = classifyParagraphs(article.body, article.title, (text) =>
    pipeline.terms(text, 'document'),
  );
  const paragraphs = classified.filter((paragraph) => paragraph.kind === 'prose');

  const seen = new Set<string>();
  const drafts: { text: string; paragraph: number }[] = [];
  const draftsOf = (list: readonly { text: string }[], into: typeof drafts, offset: number) =>
    list.forEach((paragraph, paragraphIndex) => {
      for (const text of splitSentences(paragraph.text)) {
        const key = normalizeForComparison(text);
        if (seen.has(key) || wordCount(key) < MIN_SENTENCE_WORDS) continue;
        seen.add(key);
        into.push({ text, paragraph: offset + paragraphIndex });
      }
    });
  draftsOf(paragraphs, drafts, 0);
  // Photo captions come after the prose, each on its own: a last resort for facts no
  // sentence of the article states, never the context of a prose sentence.
  const captions: typeof drafts = [];
  draftsOf(
    classified.filter((paragraph) => paragraph.kind === 'caption'),
    captions,
    paragraphs.length,
  );

  const captionSentences = captions.map((draft, i): Sentence => ({
    id: firstId + drafts.length + i,
    key: sentenceKey(article.id, draft.text),
    articleId: article.id,
    paragraph: draft.paragraph,
    text: draft.text,
    caption: true,
  }));
  const prose = drafts.map((draft, i) => {
    const previous = drafts[i - 1]?.text;
    const next = drafts[i + 1]?.text;
    return {
      id: firstId + i,
      key: sentenceKey(article.id, draft.text),
      articleId: article.id,
      paragraph: draft.paragraph,
      text: draft.text,
      ...(previous !== undefined && { previous }),
      ...(next !== undefined && { next }),
    };
  });
  // An article of captions alone has nothing to answer from.
  return prose.length > 0 ? [...prose, ...captionSentences] : [];
}

/** One article file, read and parsed as a load does, or why a load would skip it. */
export async function readArticle(dir: string, file: string): Promise<Article | KnowledgeProblem> {
  const id = file.slice(0, file.length - extname(file).length);
  let buffer: Buffer;
  try {
    buffer = await readFile(join(dir, file));
  } catch (error) {
    return {
      file,
      problem: `could not be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    };
  }
  if (buffer.byteLength > MAX_ARTICLE_BYTES) {
    return { file, problem: `is larger than ${MAX_ARTICLE_BYTES / 1024} KiB: split it or trim it` };
  }
  if (buffer.includes(0)) return { file, problem: 'is not a text file (it contains NUL bytes)' };
  const result = parseKnowledgeFile(id, file, buffer.toString('utf8'));
  return result.ok ? result.article : { file, problem: result.problems.join('; ') };
}

/**
 * Loads every article in `dir`. Never throws for a bad article; throws only when
 * the folder itself or the vocabulary file cannot be used.
 */
export async function loadKnowledge(dir: string): Promise<KnowledgeBase> {
  const vocabulary = await loadVocabularyOrExplain(dir);
  const pipeline = createTermPipeline(vocabulary);
  let entries: string[];
  try {
    entries = (await readdir(dir)).filter(isArticleFile).sort();
  } catch (error) {
    throw new Error(
      `The knowledge folder ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}). ` +
        'Set KNOWLEDGE_DIR to a folder of article files.',
    );
  }

  const results = await Promise.all(entries.map((file) => readArticle(dir, file)));
  const articles: Article[] = [];
  const problems: KnowledgeProblem[] = [];
  const sentences: Sentence[] = [];
  for (const result of results) {
    if ('problem' in result) {
      problems.push(result);
      continue;
    }
    const articleSentences = sentencesOf(result, pipeline, sentences.length);
    if (articleSentences.length === 0) {
      problems.push({ file: result.file, problem: 'has no complete sentences to answer from' });
      continue;
    }
    articles.push(result);
    sentences.push(...articleSentences);
  }
  return { articles, sentences, problems, vocabulary, pipeline };
}

async function loadVocabularyOrExplain(dir: string): Promise<Vocabulary> {
  try {
    return await loadVocabulary(join(dir, VOCABULARY_FILE));
  } catch (error) {
    throw new Error(
      `${join(dir, VOCABULARY_FILE)} is not valid: ${error instanceof Error ? error.message : error}. ` +
        'It must map each canonical word to a list of variants under "aliases:".',
    );
  }
}
