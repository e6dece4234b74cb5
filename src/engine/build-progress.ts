/**
 * Progress lines for index builds long enough to make someone wonder: what is
 * being built, that it is still going, and (logged by `openEngine`'s
 * "Knowledge loaded" line) how long it took. Short builds stay quiet.
 */
import type { Logger } from '../logger.ts';

/** A build still running after this long gets a progress line. */
export const NOTICE_AFTER_MS = 2_000;
/** Then a "still building" line this often, so a long build never looks hung. */
export const REPEAT_EVERY_MS = 10_000;
/**
 * From this many articles an in-process build (which blocks its thread, so no
 * timer can fire) is announced up front: ≈ 2 s to load and index them on the
 * 2-core development machine.
 */
export const ANNOUNCE_FROM_ARTICLES = 200;

/** What a build is doing: reading files, indexing sentences, encoding and saving the result. */
export type BuildPhase = 'loading' | 'indexing' | 'saving';

export const buildingMessage = (articles: number) => `Building the index: ${articles} articles…`;

export interface BuildWatch {
  /** The build moved on; `articles` is known once the folder has been read. */
  update(phase: BuildPhase, articles?: number): void;
  /** The build ended (either way): no more lines. */
  stop(): void;
}

/** Logs a build running elsewhere (a worker thread), so this thread's timers can report on it. */
export function watchBuild(logger: Logger, knowledgeDir: string): BuildWatch {
  const started = performance.now();
  let phase: BuildPhase = 'loading';
  let articles: number | undefined;
  let due = false;
  let announced = false;
  const announce = () => {
    if (!due || announced || articles === undefined) return;
    announced = true;
    logger.info({ dir: knowledgeDir, articles }, buildingMessage(articles));
  };
  const notice = setTimeout(() => {
    due = true;
    announce();
  }, NOTICE_AFTER_MS);
  const repeat = setInterval(() => {
    const seconds = Math.round((performance.now() - started) / 1000);
    logger.info(
      { dir: knowledgeDir, phase, articles, seconds },
      `Still building the index (${phase}, ${seconds} s so far)…`,
    );
  }, REPEAT_EVERY_MS);
  // Reporting must never be what keeps a finished process alive.
  notice.unref();
  repeat.unref();
  return {
    update(next, count) {
      phase = next;
      if (count !== undefined) articles = count;
      announce();
    },
    stop() {
      clearTimeout(notice);
      clearInterval(repeat);
    },
  };
}
