/**
 * The SQuAD 2.0 sample: questions by part, and how a sentence is judged to
 * answer one (it contains one of SQuAD's answer texts). Public data sets live
 * beside the project, not in it: `../shared/data/squad-train-sample/` (its
 * README says where it comes from). A clone without that folder evaluates and
 * fits on the golden set alone, and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { foldText } from '../../src/knowledge/fold.ts';

export const SQUAD_DIR = fileURLToPath(
  new URL('../../../shared/data/squad-train-sample', import.meta.url),
);

/** Whether the sample is there (a user's clone has no ../shared). */
export const SQUAD_AVAILABLE = existsSync(`${SQUAD_DIR}/questions.json`);

/** The one line printed where the sample is missing. */
export const SQUAD_MISSING = `SQuAD 2.0 sample not found at ${SQUAD_DIR} (public data beside the project, see ../shared/data/README.md): skipped.`;

const squadSchema = z.object({
  articles: z.array(
    z.object({
      title: z.string(),
      part: z.enum(['fit', 'holdout']),
      questions: z.array(
        z.object({
          id: z.string(),
          q: z.string(),
          answers: z.array(z.string()),
          impossible: z.boolean(),
        }),
      ),
    }),
  ),
});

export interface SquadQuestion {
  readonly id: string;
  readonly q: string;
  readonly answers: readonly string[];
  readonly impossible: boolean;
}

export function loadSquad(part: 'fit' | 'holdout'): SquadQuestion[] {
  const data = squadSchema.parse(JSON.parse(readFileSync(`${SQUAD_DIR}/questions.json`, 'utf8')));
  return data.articles.filter((a) => a.part === part).flatMap((a) => a.questions);
}

const fold = (text: string) => foldText(text).toLowerCase();

/** A sentence answers when it contains one of the answer texts. */
export function squadJudge(answers: readonly string[]): (sentence: string) => boolean {
  const wanted = answers.map(fold);
  return (sentence) => {
    const text = fold(sentence);
    return wanted.some((answer) => text.includes(answer));
  };
}

/** hit@1 and hit@3 of plain MiniSearch (default options) over the same sentences. */
export function plainMiniSearchHits(
  sentences: readonly { id: number; text: string }[],
  questions: readonly SquadQuestion[],
): { hitAt1: number; hitAt3: number } {
  const plain = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  plain.addAll(sentences.map(({ id, text }) => ({ id, text })));
  const textOf = new Map(sentences.map((s) => [s.id, s.text]));
  let hits1 = 0;
  let hits3 = 0;
  for (const { q, answers } of questions) {
    const judge = squadJudge(answers);
    const rank = plain
      .search(q)
      .slice(0, 3)
      .findIndex((result) => judge(textOf.get(result.id as number) ?? ''));
    if (rank === 0) hits1 += 1;
    if (rank >= 0) hits3 += 1;
  }
  return { hitAt1: hits1 / questions.length, hitAt3: hits3 / questions.length };
}
