/**
 * What moderators do with the server's confirmed answers (/answers): teach
 * one, list what was confirmed and how often it answered, list the questions
 * members asked that got no good answer, forget either.
 */
import { createHash } from 'node:crypto';
import { bold } from 'discord.js';
import { buttonId } from '../runtime/button-id.ts';
import type { Choice, CommandContext, Invocation } from '../runtime/module.ts';
import { may, refusal } from '../runtime/permissions.ts';
import { privateNotice, type Reply } from '../runtime/reply.ts';
import { clip, truncate } from '../render/clip.ts';
import { safeText } from '../render/discord-markdown.ts';
import { GAP_DAYS } from '../store/store.ts';
import { scopeOf } from './confirmations.ts';
import { describeHow, describeUse, learnedEntries, teach } from './teaching.ts';

/** The command whose module handles the Forget buttons. */
export const ANSWERS_COMMAND = 'answers';

/** At most this many confirmations are listed, newest first, each with a Forget button. */
const LEARNED_SHOWN = 20;
const ONLY_ANSWER_MODERATORS = refusal('teach', 'confirm or forget answers');

export async function teachHere(invocation: Invocation, context: CommandContext): Promise<Reply> {
  const { store } = context;
  const scope = scopeOf(invocation, context);
  if (!store || scope === undefined) return privateNotice('Answers are confirmed in servers only.');
  const { args } = invocation;
  const outcome = await teach(
    { engine: context.engine(), store },
    {
      scope,
      question: args.string('question') ?? '',
      answer: args.string('answer') ?? '',
      byUserId: invocation.userId,
      ...(invocation.userName !== undefined && { byName: invocation.userName }),
    },
  );
  if (!outcome.ok) {
    const choices = (outcome.choices ?? []).map((item) => `• ${safeText(clip(item.text, 200))}`);
    return privateNotice(
      [`Nothing was taught: ${safeText(outcome.problem)}.`, ...choices].join('\n') +
        (choices.length > 0 ? '\nPick one from the list as you type the answer.' : ''),
    );
  }
  context.logger.info(
    { scope, confirmationId: outcome.id, sentenceKey: outcome.item.key, userId: invocation.userId },
    'Answer taught',
  );
  return privateNotice(
    `✓ Taught (#${outcome.id}): "${safeText(clip(args.string('question') ?? '', 200))}" is answered by "${safeText(clip(outcome.item.text, 300))}", also when asked in other words. /answers learned lists what this server confirmed.`,
  );
}

export async function learnedHere(invocation: Invocation, context: CommandContext): Promise<Reply> {
  const { store } = context;
  const scope = scopeOf(invocation, context);
  if (!store || scope === undefined) return privateNotice('Answers are confirmed in servers only.');
  const entries = (await learnedEntries(context.engine(), store, scope)).reverse();
  if (entries.length === 0) {
    return privateNotice(
      'No confirmed answers yet. A moderator pinning an answer, /answers teach, or enough 👍 from members confirm one.',
    );
  }
  const shown = entries.slice(0, LEARNED_SHOWN);
  const lines = shown.map(
    ({ confirmation: c, stale }) =>
      `${bold(`#${c.id}`)} "${safeText(clip(c.question, 120))}" → "${safeText(clip(c.sentence, 160))}" (${safeText(describeHow(c))}) · ${safeText(describeUse(c))}${stale ? ' — stale: the articles no longer hold this sentence' : ''}`,
  );
  if (entries.length > shown.length) {
    lines.push(`…and ${entries.length - shown.length} older ones.`);
  }
  return privateNotice(
    [bold(`${entries.length} confirmed answers`), ...lines].join('\n'),
    shown.map(({ confirmation: c }) => ({
      label: `Forget #${c.id}`,
      customId: buttonId(ANSWERS_COMMAND, 'forget', String(c.id)),
    })),
  );
}

/** At most this many gaps are listed, most asked first, each with a Forget button. */
const GAPS_SHOWN = 15;

/** A gap's button payload: its key, hashed to fit a custom id. */
const gapId = (key: string) => createHash('sha1').update(key).digest('base64url').slice(0, 12);

export async function gapsHere(invocation: Invocation, context: CommandContext): Promise<Reply> {
  const { store } = context;
  const scope = scopeOf(invocation, context);
  if (!store || scope === undefined) return privateNotice('Questions are kept in servers only.');
  const gaps = await store.gaps.list(scope, GAPS_SHOWN);
  if (gaps.length === 0) {
    return privateNotice(
      `No unanswered questions in the last ${GAP_DAYS} days. When members ask something the articles do not answer well, it is listed here to teach with /answers teach.`,
    );
  }
  const lines = gaps.map(
    (gap, i) =>
      `${bold(`${i + 1}.`)} "${safeText(clip(gap.question, 150))}" — asked ${gap.asked}×, ${gap.outcome === 'not-found' ? 'not found' : `shown "${safeText(clip(gap.shown ?? '', 120))}"`}`,
  );
  return privateNotice(
    [
      bold('Questions members asked that got no answer or an unsure one'),
      ...lines,
      'Teach one with /answers teach (its question box offers these).',
    ].join('\n'),
    gaps.slice(0, 5).map((gap, i) => ({
      label: `Forget ${i + 1}`,
      customId: buttonId(ANSWERS_COMMAND, 'forgetGap', gapId(gap.key)),
    })),
  );
}

export async function forgetConfirmation(
  id: string,
  invocation: Invocation,
  context: CommandContext,
): Promise<Reply> {
  // Checked on the member who pressed, every time: seeing the button is not permission.
  if (!may(invocation, 'teach')) return privateNotice(ONLY_ANSWER_MODERATORS);
  const scope = scopeOf(invocation, context);
  if (!context.store || scope === undefined) {
    return privateNotice('Answers are confirmed in servers only.');
  }
  const forgotten = await context.store.confirmations.forget(scope, Number(id));
  context.logger.info(
    { scope, confirmationId: id, forgotten, userId: invocation.userId },
    'Confirmed answer forgotten',
  );
  return privateNotice(
    forgotten
      ? `Forgotten: #${id} no longer answers anything. Answers go back to what the articles say.`
      : `#${id} was already forgotten.`,
  );
}

export async function forgetGap(
  id: string,
  invocation: Invocation,
  context: CommandContext,
): Promise<Reply> {
  if (!may(invocation, 'teach')) return privateNotice(ONLY_ANSWER_MODERATORS);
  const scope = scopeOf(invocation, context);
  if (!context.store || scope === undefined) {
    return privateNotice('Questions are kept in servers only.');
  }
  const gap = (await context.store.gaps.list(scope)).find((g) => gapId(g.key) === id);
  const forgotten = gap !== undefined && (await context.store.gaps.forget(scope, gap.key));
  return privateNotice(
    forgotten
      ? `Forgotten: "${safeText(clip(gap.question, 150))}" is no longer listed.`
      : 'That question was already forgotten.',
  );
}

/**
 * Choices while a moderator types /answers teach: for the answer, the same
 * sentence previews as /ask (valued by their key); for the question, what
 * members asked here and the bot could not answer well.
 */
export async function teachChoices(
  { name, value, guildId }: { name: string; value: string; guildId?: string },
  { engine, store }: CommandContext,
): Promise<Choice[]> {
  if (name === 'answer')
    return engine()
      .suggest(value)
      .filter((c) => engine().hasSentence(c.value));
  if (name === 'question') {
    if (!store || guildId === undefined) return [];
    const typed = value.trim().toLowerCase();
    const gaps = await store.gaps.list(guildId).catch(() => []);
    return gaps
      .filter((gap) => gap.question.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((gap) => ({ name: clip(gap.question, 100), value: truncate(gap.question, 100) }));
  }
  return [];
}
