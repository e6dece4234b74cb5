/**
 * Knowledge shared by several instances through the database (DATABASE_URL).
 * The database holds the files; each instance keeps a copy of them in
 * DATA_DIR/knowledge and builds its index from that copy, exactly as from
 * KNOWLEDGE_DIR alone. A change made on any instance is written to the
 * database and announced; every other instance brings its copy up to date and
 * rebuilds in the background, the old index answering meanwhile.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isArticleFile } from '../knowledge/load.ts';
import { VOCABULARY_FILE } from '../knowledge/vocabulary.ts';
import type { Logger } from '../logger.ts';
import type { KnowledgeFile, SharedKnowledge, Store } from '../store/types.ts';
import { writeFileAtomically } from '../files.ts';
import type { Engine } from './engine.ts';
import {
  createLibrary,
  type ChangeResult,
  type FolderChange,
  type KnowledgeLibrary,
} from './library.ts';
import { openEngine, type OpenEngineOptions } from './open.ts';

/** The instance's copy of the shared files, inside DATA_DIR. */
export const SHARED_COPY_FOLDER = 'knowledge';

/** The files of a knowledge folder that make its index: the articles and the vocabulary. */
function isKnowledgeFile(name: string): boolean {
  return isArticleFile(name) || name === VOCABULARY_FILE;
}

export async function readKnowledgeFiles(dir: string): Promise<KnowledgeFile[]> {
  const names = (await readdir(dir)).filter(isKnowledgeFile).sort();
  return Promise.all(
    names.map(async (name) => ({ name, content: await readFile(join(dir, name), 'utf8') })),
  );
}

/**
 * Makes `dir` hold exactly the shared files (others of its knowledge files are
 * removed; anything else is left alone), and says what that changed.
 */
export async function copySharedFiles(shared: SharedKnowledge, dir: string): Promise<FolderChange> {
  await mkdir(dir, { recursive: true });
  const wanted = new Map((await shared.files()).map((file) => [file.name, file.content]));
  const present = new Map((await readKnowledgeFiles(dir)).map((f) => [f.name, f.content]));
  const added: string[] = [];
  const other: string[] = [];
  for (const [name, content] of wanted) {
    if (present.get(name) === content) continue;
    await writeFileAtomically(join(dir, name), content);
    (present.has(name) || !isArticleFile(name) ? other : added).push(name);
  }
  for (const name of present.keys()) {
    if (wanted.has(name)) continue;
    await rm(join(dir, name), { force: true });
    other.push(name);
  }
  return { added, other };
}

/**
 * Readies the instance's copy: the first instance ever to start imports
 * KNOWLEDGE_DIR into the database; every instance then copies the shared files.
 * Returns the folder to open the engine from.
 */
export async function prepareSharedCopy(
  shared: SharedKnowledge,
  seedDir: string,
  dataDir: string,
  logger: Pick<Logger, 'info'>,
): Promise<string> {
  const imported = await shared.seed(await readKnowledgeFiles(seedDir).catch(() => []));
  if (imported > 0) {
    logger.info(
      { files: imported, from: seedDir },
      'Imported the knowledge folder into the database',
    );
  }
  const dir = join(dataDir, SHARED_COPY_FOLDER);
  await copySharedFiles(shared, dir);
  return dir;
}

/**
 * The library, shared: adds and removes also go to the database (and so to
 * every instance), a reload re-reads the database, and changes announced by
 * other instances are applied here. `stop()` stops listening.
 */
export function shareLibrary(
  library: KnowledgeLibrary,
  shared: SharedKnowledge,
  logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  onChange: (outcome: 'applied' | 'failed') => void = () => undefined,
): KnowledgeLibrary & { stop(): void } {
  const copy = () => copySharedFiles(shared, library.dir);
  const unsaved = (error: unknown) =>
    `could not be saved to the shared database (${(error as Error).message}); nothing changed — try again in a moment`;

  const stop = shared.onChange(() => {
    library.sync(copy).then(
      (result) => {
        if (result) onChange(result.ok ? 'applied' : 'failed');
        if (result?.ok)
          logger.info(
            { articles: result.engine.articles.length },
            'Knowledge changed on another instance: updated',
          );
        else if (result)
          logger.warn(
            { problems: result.problems },
            'Knowledge changed on another instance, but it could not be loaded; the previous articles keep answering',
          );
      },
      (error: unknown) => {
        onChange('failed');
        logger.error({ err: error }, 'Could not apply a knowledge change from another instance');
      },
    );
  });

  return {
    dir: library.dir,
    current: () => library.current(),
    reload: async () => {
      const result = await library.sync(async () => {
        const changed = await copy();
        // A reload always rebuilds, as without a database.
        return { added: [], other: [...changed.added, ...changed.other, 'reload'] };
      });
      return result ?? { ok: false, problems: ['nothing to reload'] };
    },
    async add(upload, options) {
      const before = new Set(library.current().articles.map((a) => a.file));
      const result = await library.add(upload, options);
      if (!result.ok) return result;
      const added = result.engine.articles.find((a) => !before.has(a.file));
      if (!added) return result;
      try {
        const content = await readFile(join(library.dir, added.file), 'utf8');
        // False when another instance added the same article first: it is there once either way.
        await shared.add({ name: added.file, content });
        return result;
      } catch (error) {
        logger.error(
          { err: error, file: added.file },
          'Could not save an added article to the database',
        );
        await library.remove(added.id);
        return { ok: false, problems: [unsaved(error)] } satisfies ChangeResult;
      }
    },
    async remove(articleId) {
      // Here first, then the database: our own announcement of the removal
      // then finds this copy already up to date. (The other order let that
      // announcement remove the file before library.remove looked for it.)
      const article = library.current().articles.find((a) => a.id === articleId);
      const content = article
        ? await readFile(join(library.dir, article.file), 'utf8').catch(() => undefined)
        : undefined;
      const result = await library.remove(articleId);
      if (!result.ok || !article || content === undefined) return result;
      try {
        await shared.remove(article.file);
        return result;
      } catch (error) {
        logger.error(
          { err: error, file: article.file },
          'Could not remove an article from the database',
        );
        // The database still has it, so this copy gets it back.
        await library.sync(async () => {
          await writeFileAtomically(join(library.dir, article.file), content);
          return { added: [article.file], other: [] };
        });
        return { ok: false, problems: [unsaved(error)] } satisfies ChangeResult;
      }
    },
    sync: (change) => library.sync(change),
    settled: () => library.settled(),
    stop,
  };
}

export interface OpenedKnowledge {
  readonly engine: Engine;
  readonly library: KnowledgeLibrary;
  /** Stops following other instances' changes (shared knowledge only). */
  stop(): void;
}

/**
 * The engine and its library for an entry point: over KNOWLEDGE_DIR, or, when
 * the store shares knowledge (DATABASE_URL), over this instance's copy of the
 * shared files, following every other instance's changes.
 */
export async function openKnowledge(
  where: { readonly knowledgeDir: string; readonly dataDir: string },
  store: Pick<Store, 'knowledge'> | undefined,
  openWith: OpenEngineOptions & {
    readonly logger: Logger;
    /** Told of each change announced by another instance (metrics). */
    readonly onSharedChange?: (outcome: 'applied' | 'failed') => void;
  },
): Promise<OpenedKnowledge> {
  const shared = store?.knowledge;
  const dir = shared
    ? await prepareSharedCopy(shared, where.knowledgeDir, where.dataDir, openWith.logger)
    : where.knowledgeDir;
  const { engine } = await openEngine(dir, openWith);
  const local = createLibrary(dir, engine, openWith);
  if (!shared) return { engine, library: local, stop: () => undefined };
  const library = shareLibrary(local, shared, openWith.logger, openWith.onSharedChange);
  return { engine, library, stop: library.stop };
}
