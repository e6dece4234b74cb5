/** Temporary knowledge folders for tests: the real articles plus whatever a test adds. */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../src/engine/engine.ts';
import { openEngine } from '../../src/engine/open.ts';
import type { Answer } from '../../src/search/types.ts';

export const KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge', import.meta.url));

export interface TempKnowledge {
  readonly dir: string;
  write(name: string, content: string | Buffer): void;
  remove(): void;
}

/** A fresh folder, optionally holding a copy of the real knowledge folder. */
export function tempKnowledge(options: { withRealArticles?: boolean } = {}): TempKnowledge {
  const dir = mkdtempSync(join(tmpdir(), 'talks-bot-knowledge-'));
  if (options.withRealArticles) cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
  return {
    dir,
    write: (name, content) => writeFileSync(join(dir, name), content),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function article(title: string, body: string, extra = ''): string {
  return `---\ntitle: ${JSON.stringify(title)}\n${extra}---\n${body}\n`;
}

/**
 * An article none of the real ones resembles, the question only it answers,
 * and whether an answer cites it: for tests that add knowledge.
 */
export const NEW_ARTICLE = article(
  'Lighthouse keepers join the Istanbul talks',
  'Observers counted 417 lighthouse keepers outside the Dolmabahce Palace on Friday. ' +
    'The lighthouse keepers asked both delegations to protect shipping lanes in the Black Sea.',
);
export const NEW_QUESTION = 'how many lighthouse keepers were counted';
export const citesNewArticle = (answer: Answer) =>
  answer.answered && answer.answers.some((a) => /lighthouse keepers/i.test(a.text));

/** The engine over a knowledge folder, opened as the bot opens it (built; no cache). */
export async function openTestEngine(dir = KNOWLEDGE_DIR): Promise<Engine> {
  return (await openEngine(dir)).engine;
}
