/** What the knowledge folder holds, after parsing and cleaning. */

/** One article: its front matter plus where it came from. */
export interface Article {
  /** Stable id: the file name without its extension. */
  readonly id: string;
  readonly file: string;
  readonly title: string;
  /** ISO date (YYYY-MM-DD), only when the file states one. */
  readonly published?: string;
  readonly publisher?: string;
  readonly url?: string;
  /** The body exactly as written in the file. */
  readonly body: string;
}

/** An article as the engine keeps it after loading: everything but the body. */
export type ArticleInfo = Omit<Article, 'body'>;

/** One indexable sentence, with the neighbours that give it context. */
export interface Sentence {
  /** Position in the corpus' sentence list; the MiniSearch document id. */
  readonly id: number;
  /** Short content hash, stable across restarts (used in button ids). */
  readonly key: string;
  readonly articleId: string;
  /** Index of the paragraph within the article's answerable paragraphs. */
  readonly paragraph: number;
  readonly text: string;
  readonly previous?: string;
  readonly next?: string;
  /**
   * A photo caption, not article prose: it may answer what no prose sentence
   * says ("Turkish Foreign Minister Hakan Fidan sits between…"), but only as
   * a last resort — never confidently, never posted unasked.
   */
  readonly caption?: true;
}

/** A file that could not be loaded, and why, in words a moderator can act on. */
export interface KnowledgeProblem {
  readonly file: string;
  readonly problem: string;
}
