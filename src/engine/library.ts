/**
 * The live knowledge library: the engine currently answering, plus the
 * moderator operations that change it without a restart (add, remove,
 * reload). A remove or reload builds a complete new engine first and only
 * then swaps it in, so a failed change leaves the running index — and the
 * files — exactly as they were; the build runs in a worker thread, so the
 * current engine keeps answering meanwhile (only decoding the finished
 * engine takes a moment of the main thread). An add extends the running
 * index with the one article instead (under a second, even at 10,000
 * articles); a full build then follows in the background, swapped in when
 * done, so the index ends exactly as a restart would build it (and the
 * index cache is rewritten).
 */
import { randomBytes } from 'node:crypto';
import { writeFileAtomically } from '../files.ts';
import { readdir, rename, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Engine } from './engine.ts';
import { openEngineInBackground } from './background-build.ts';
import { NoKnowledgeError, type OpenedEngine, type OpenEngineOptions } from './open.ts';
import { readArticle, sentencesOf } from '../knowledge/load.ts';
import { articleFileName } from '../knowledge/file-name.ts';
import { parseKnowledgeFile } from '../knowledge/parse.ts';
import type { Article } from '../knowledge/types.ts';
import { createTermPipeline } from '../search/index/terms.ts';
import { loadVocabulary, VOCABULARY_FILE, type Vocabulary } from '../knowledge/vocabulary.ts';

/** What a change made to the folder from elsewhere did (file names). */
export interface FolderChange {
  /** Article files that were not there before. */
  readonly added: readonly string[];
  /** Any other file written or removed (a rebuild is needed). */
  readonly other: readonly string[];
}

/** Largest article a moderator may upload (documented in README and /knowledge help). */
export const MAX_UPLOAD_BYTES = 256 * 1024;
const UPLOAD_EXTENSIONS = new Set(['.md', '.markdown', '.txt']);

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A knowledge file's article id: its name without the extension. */
const idOf = (file: string) => file.slice(0, file.length - extname(file).length);

export type ChangeResult =
  | { ok: true; engine: Engine; message: string; warnings: readonly string[] }
  | { ok: false; problems: readonly string[] };

export interface KnowledgeLibrary {
  /** The knowledge folder. */
  readonly dir: string;
  /** The engine answering right now. */
  current(): Engine;
  /** Re-reads the folder (files changed on disk). */
  reload(): Promise<ChangeResult>;
  /**
   * Validates an uploaded article and, if good, adds it under its own name made safe (knowledge/file-name.ts).
   * `refuse` runs against the current engine just before saving, in turn with
   * other changes (duplicate checks), and its problems stop the add.
   */
  add(
    upload: { fileName: string; bytes: Uint8Array },
    options?: {
      refuse?: (
        engine: Engine,
        checked: { article: Article; sentences: readonly string[] },
      ) => readonly string[];
    },
  ): Promise<ChangeResult>;
  /** Removes the article with this id (its file name without extension). */
  remove(articleId: string): Promise<ChangeResult>;
  /**
   * Applies a change made elsewhere (another instance), in turn with the
   * changes above: `change` edits the folder and says what it changed. New
   * article files extend the index at once (then a full build follows, as
   * for an add); anything else rebuilds it. Undefined when nothing changed.
   */
  sync(change: () => Promise<FolderChange>): Promise<ChangeResult | undefined>;
  /**
   * Resolves once no background build is under way: after an add, when the
   * full build has replaced the extended engine (or failed, with a warning).
   */
  settled(): Promise<void>;
}

/** Checks an upload the way the loader will read it; every problem is listed. */
export function validateUpload(
  fileName: string,
  bytes: Uint8Array,
  vocabulary: Vocabulary,
):
  | { ok: true; article: Article; text: string; sentences: string[] }
  | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const extension = extname(fileName).toLowerCase();
  if (!UPLOAD_EXTENSIONS.has(extension)) {
    problems.push(
      `must be a Markdown (.md) or plain-text (.txt) file, not ${extension ? `a ${extension} file` : 'a file without an extension'}`,
    );
  }
  if (bytes.byteLength > MAX_UPLOAD_BYTES) {
    problems.push(
      `is ${Math.ceil(bytes.byteLength / 1024)} KiB; the limit is ${MAX_UPLOAD_BYTES / 1024} KiB`,
    );
  }
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.push('is not UTF-8 text');
  }
  if (text.includes('\u0000')) problems.push('contains NUL bytes (not a text file)');
  if (problems.length > 0) return { ok: false, problems };

  const parsed = parseKnowledgeFile('upload', fileName, text);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const sentences = sentencesOf(parsed.article, createTermPipeline(vocabulary), 0);
  if (sentences.length === 0) {
    return { ok: false, problems: ['has no complete sentences to answer from'] };
  }
  return { ok: true, article: parsed.article, text, sentences: sentences.map((s) => s.text) };
}

/** How a change gets its new engine: `openEngineInBackground`, or `openEngine` to build in-process. */
export type EngineBuilder = (dir: string, options: OpenEngineOptions) => Promise<OpenedEngine>;

/**
 * `openWith` is how the engine was opened at start-up (cache folder, logger,
 * answer options): every rebuild opens the new engine the same way, with
 * `build` (by default in a worker thread, so answering does not wait for it).
 */
export function createLibrary(
  dir: string,
  initial: Engine,
  openWith: OpenEngineOptions = {},
  build: EngineBuilder = openEngineInBackground,
): KnowledgeLibrary {
  let engine = initial;
  // Changes run one at a time: two uploads must not race on the swap.
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  /** Every change made so far; a background build is swapped in only if none came after it started. */
  let changes = 0;
  /** Whether the running engine is what a full build of the folder gives (false after an add). */
  let exact = true;
  let refreshing: Promise<void> | undefined;

  /** Replaces an extended engine with a full build of the folder, in the background. */
  function refreshInBackground(): void {
    if (refreshing) return; // the running refresh sees the new change and builds again
    refreshing = (async () => {
      while (!exact) {
        const started = changes;
        const result = await rebuild();
        if (!result.engine) {
          openWith.logger?.warn(
            { problems: result.problems },
            'The full index after an added article could not be built; the extended one keeps answering',
          );
          return;
        }
        await serialize(async () => {
          if (changes !== started) return; // another change came meanwhile: build again
          engine = result.engine!;
          exact = true;
        });
      }
    })().finally(() => (refreshing = undefined));
  }

  /** Builds a new engine from the folder; swaps it in only if it has articles. */
  async function rebuild(): Promise<{ engine?: Engine; problems: string[]; warnings: string[] }> {
    try {
      const { engine } = await build(dir, openWith);
      const warnings = engine.problems.map((p) => `${p.file}: ${p.problem}`);
      return { engine, problems: [], warnings };
    } catch (error) {
      if (error instanceof NoKnowledgeError) {
        return { problems: ['no article could be loaded', ...error.problems], warnings: [] };
      }
      return { problems: [error instanceof Error ? error.message : String(error)], warnings: [] };
    }
  }

  /** An extended engine becomes the running one; the full build follows in the background. */
  function extend(extended: Engine): void {
    engine = extended;
    changes += 1;
    exact = false;
    refreshInBackground();
  }

  /** An article file written to the folder by another instance, as a load reads it. */
  async function readAdded(name: string): Promise<Article> {
    const read = await readArticle(dir, name);
    if ('problem' in read) throw new Error(read.problem);
    return read;
  }

  /** A full build becomes the running engine. */
  function swapIn(built: Engine): void {
    engine = built;
    changes += 1;
    exact = true;
  }

  /** What a reload or an update from elsewhere did, in the words of `verb`. */
  const succeeded = (verb: string, warnings: readonly string[]): ChangeResult => ({
    ok: true,
    engine,
    message: `${verb}: ${engine.articles.length} articles, ${engine.sentenceCount} sentences.`,
    warnings,
  });

  /** Rebuilds from the folder and swaps the result in, or says why not. */
  async function rebuildAndSwap(verb: string): Promise<ChangeResult> {
    const result = await rebuild();
    if (!result.engine) return { ok: false, problems: result.problems };
    swapIn(result.engine);
    return succeeded(verb, result.warnings);
  }

  return {
    dir,
    current: () => engine,
    settled: async () => {
      while (refreshing) await refreshing;
    },

    reload: () => serialize(() => rebuildAndSwap('Reloaded')),

    sync: (change) =>
      serialize(async () => {
        const changed = await change();
        if (changed.added.length === 0 && changed.other.length === 0) return undefined;
        if (changed.other.length === 0) {
          try {
            let extended = engine;
            for (const name of changed.added)
              extended = extended.withArticle(await readAdded(name));
            extend(extended);
            return succeeded('Updated', []);
          } catch {
            // A file the loader would skip, or a failed extension: the full build decides.
          }
        }
        return rebuildAndSwap('Updated');
      }),

    add: ({ fileName, bytes }, options = {}) =>
      serialize(async () => {
        const vocabulary = await loadVocabulary(join(dir, VOCABULARY_FILE));
        const checked = validateUpload(fileName, bytes, vocabulary);
        if (!checked.ok) return { ok: false, problems: checked.problems };
        const refused = options.refuse?.(engine, checked) ?? [];
        if (refused.length > 0) return { ok: false, problems: refused };
        const inFolder = new Set((await readdir(dir)).map((file) => idOf(file)));
        const chosen = articleFileName(
          fileName,
          checked.text,
          (id) => inFolder.has(id) || engine.articles.some((a) => a.id === id),
        );
        if (!chosen) {
          return {
            ok: false,
            problems: ['is already in the knowledge folder (same name and text)'],
          };
        }
        const name = chosen.fileName;
        const path = join(dir, name);
        // As the loader will read it from the folder: its id is the file name.
        const parsed = parseKnowledgeFile(idOf(name), name, checked.text);
        if (!parsed.ok) return { ok: false, problems: parsed.problems };
        await writeFileAtomically(path, checked.text);
        let extended: Engine;
        try {
          extended = engine.withArticle(parsed.article);
        } catch (error) {
          await rm(path, { force: true }); // the folder goes back to exactly what it was
          return { ok: false, problems: [`could not be indexed (${(error as Error).message})`] };
        }
        extend(extended);
        const added = engine.articles.find((a) => a.file === name);
        return {
          ok: true,
          engine,
          message: `Added "${checked.article.title}" as ${name} (${plural(added?.sentenceCount ?? 0, 'sentence')}${chosen.taken ? `; another article has the id ${chosen.taken}` : ''}). It answers questions now.`,
          warnings: [],
        };
      }),

    remove: (articleId) =>
      serialize(async () => {
        const article = engine.articles.find((a) => a.id === articleId);
        if (!article)
          return {
            ok: false,
            problems: [`no article has the id "${articleId}"`],
          };
        const path = join(dir, article.file);
        // Move aside rather than delete, so a failed rebuild can put it back untouched.
        const aside = `${path}.${randomBytes(6).toString('hex')}.removed`;
        await rename(path, aside);
        const result = await rebuild();
        if (!result.engine) {
          await rename(aside, path);
          return { ok: false, problems: result.problems };
        }
        await rm(aside, { force: true });
        swapIn(result.engine);
        return {
          ok: true,
          engine,
          message: `Removed "${article.title}". ${engine.articles.length} articles remain.`,
          warnings: result.warnings,
        };
      }),
  };
}
