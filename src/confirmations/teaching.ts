/**
 * What moderators do with confirmed answers by hand: teach one (a question
 * and the sentence that answers it), list them, forget one. Shared by
 * `/answers teach|learned` in Discord and `npm run knowledge -- teach|
 * learned|forget` in a terminal, which differ only in how they show it.
 */
import type { Engine } from '../engine/engine.ts';
import type { AnswerItem } from '../search/types.ts';
import { MAX_QUESTION_LENGTH } from '../search/answer/options.ts';
import type { StoredConfirmation } from '../store/store.ts';
import { questionKey } from '../store/store.ts';
import type { Store } from '../store/store.ts';
import { CONFIRMATIONS_LIMIT } from './confirmations.ts';

/** The sentence a moderator named: by its key (picked from a preview), or by quoting it. */
export type NamedSentence =
  | { readonly found: AnswerItem }
  | { readonly ambiguous: readonly AnswerItem[] }
  | { readonly missing: true }
  | { readonly tooShort: true };

/** Quotes shorter than this name too many sentences to be meant as one. */
const MIN_QUOTE_LENGTH = 8;

export function findNamedSentence(engine: Engine, keyOrQuote: string): NamedSentence {
  const text = keyOrQuote.trim();
  if (engine.hasSentence(text)) {
    const [item] = engine.explain([text]);
    if (item) return { found: item };
  }
  if (text.length < MIN_QUOTE_LENGTH) return { tooShort: true };
  const quoted = engine.sentencesQuoting(text, 6);
  if (quoted.length === 1) return { found: quoted[0]! };
  return quoted.length === 0 ? { missing: true } : { ambiguous: quoted };
}

export type TeachOutcome =
  | { readonly ok: true; readonly id: number; readonly created: boolean; readonly item: AnswerItem }
  | { readonly ok: false; readonly problem: string; readonly choices?: readonly AnswerItem[] };

/** Confirms `answer` (a key or a quote) as the answer to `question` in `scope`. */
export async function teach(
  parts: { readonly engine: Engine; readonly store: Store },
  input: {
    readonly scope: string;
    readonly question: string;
    readonly answer: string;
    readonly byUserId?: string;
    readonly byName?: string;
  },
): Promise<TeachOutcome> {
  const question = input.question.replace(/\s+/g, ' ').trim().slice(0, MAX_QUESTION_LENGTH);
  if (questionKey(question).length === 0) return { ok: false, problem: 'the question is empty' };
  const named = findNamedSentence(parts.engine, input.answer);
  if ('tooShort' in named) {
    return {
      ok: false,
      problem: `"${input.answer.trim()}" is too short to name one sentence: quote more of it, or give its key`,
    };
  }
  if ('missing' in named) {
    return {
      ok: false,
      problem: `no sentence in the articles is "${input.answer.trim()}" or contains it`,
    };
  }
  if ('ambiguous' in named) {
    return {
      ok: false,
      problem: `"${input.answer.trim()}" is in ${named.ambiguous.length} sentences; name one by its key`,
      choices: named.ambiguous,
    };
  }
  const outcome = await parts.store.confirmations.confirm({
    scope: input.scope,
    question,
    sentenceKey: named.found.key,
    sentence: named.found.text,
    verdict: 'right',
    how: 'teach',
    ...(input.byUserId !== undefined && { byUserId: input.byUserId }),
    ...(input.byName !== undefined && { byName: input.byName }),
  });
  if (!outcome.ok) {
    return {
      ok: false,
      problem: `this community holds as many confirmed answers as it may (${CONFIRMATIONS_LIMIT}); forget some first`,
    };
  }
  return { ok: true, id: outcome.id, created: outcome.created, item: named.found };
}

/** A confirmation as one listing line's parts, with whether its sentence is gone. */
export interface LearnedEntry {
  readonly confirmation: StoredConfirmation;
  /** The articles no longer hold its sentence: kept, but unused. */
  readonly stale: boolean;
}

export async function learnedEntries(
  engine: Engine,
  store: Store,
  scope: string,
): Promise<LearnedEntry[]> {
  return (await store.confirmations.list(scope)).map((confirmation) => ({
    confirmation,
    stale: !engine.hasSentence(confirmation.sentenceKey),
  }));
}

/** "pin by Mod, 2026-12-05": how and when, for a listing. */
export function describeHow(confirmation: StoredConfirmation): string {
  const how = { pin: 'pinned', teach: 'taught', votes: 'members’ votes' }[confirmation.how];
  const who = confirmation.byName ?? confirmation.byUserId;
  const when = new Date(confirmation.createdAt).toISOString().slice(0, 10);
  const verdict = confirmation.verdict === 'wrong' ? 'marked wrong, ' : '';
  return `${verdict}${how}${who && confirmation.how !== 'votes' ? ` by ${who}` : ''}, ${when}`;
}

/** How often a confirmation answered later questions: "answered 3 later questions, last: …". */
export function describeUse(confirmation: StoredConfirmation): string {
  if (confirmation.answered === 0) return 'has not answered a later question yet';
  const last = confirmation.lastQuestion ? `, last: "${confirmation.lastQuestion}"` : '';
  return `answered ${confirmation.answered} later question${confirmation.answered === 1 ? '' : 's'}${last}`;
}
