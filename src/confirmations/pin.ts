/**
 * The pin flow shared by the Pin button under answers and the "Pin answer"
 * message command: a moderator pins one of the bot's answers, with an
 * audit-log reason naming them, and so confirms it for its question.
 */
import { bold } from 'discord.js';
import { DiscordActionError, type CommandContext, type Invocation } from '../runtime/module.ts';
import { may, refusal } from '../runtime/permissions.ts';
import { privateNotice, type Reply, type ReplyButton } from '../runtime/reply.ts';
import { ANSWER_COMMAND } from '../runtime/answer-reply.ts';
import { buttonId } from '../runtime/button-id.ts';
import { askedQuestion, CONFIRMATIONS_FULL, recordConfirmation } from './confirmations.ts';
import { clip } from '../render/clip.ts';
import { safeText } from '../render/discord-markdown.ts';

const PIN_FAILURES: Record<DiscordActionError['failure'], string> = {
  'missing-permission': `I can't pin in this channel: give my role the ${bold('Pin Messages')} permission here (channel settings → Permissions), then try again.`,
  'pin-limit':
    'This channel has reached Discord’s limit of pinned messages. Unpin an older message, then try again.',
  'unknown-message': 'That message no longer exists.',
  failed: 'Discord did not accept the pin. Please try again in a moment.',
};

/** Pins one of the bot's answers, on behalf of a moderator. */
export async function pinAnswer(
  invocation: Omit<Invocation, 'args'>,
  context: CommandContext,
): Promise<Reply> {
  const { logger } = context;
  const { message, discord } = invocation;
  if (!message || !discord || !invocation.guildId)
    return privateNotice('Pinning works on answers in a server channel.');
  if (!may(invocation, 'pin')) return privateNotice(refusal('pin', 'pin answers'));
  if (!message.fromBot)
    return privateNotice(
      `${bold('Pin answer')} pins my answers; pin other messages the usual way.`,
    );
  if (message.pinned) return privateNotice('That answer is already pinned.');

  const moderator = invocation.userName ?? invocation.userId;
  try {
    await discord.pin(
      message.channelId,
      message.id,
      `Answer pinned by ${moderator} (${invocation.userId}) via talks-bot`,
    );
  } catch (error) {
    if (error instanceof DiscordActionError) {
      logger.warn({ err: error, failure: error.failure, messageId: message.id }, 'Pin failed');
      return privateNotice(PIN_FAILURES[error.failure]);
    }
    throw error;
  }
  try {
    await discord.markPinned(message.channelId, message.id, moderator);
  } catch (error) {
    // The pin itself worked; only the "Pinned by" label is missing.
    logger.warn({ err: error, messageId: message.id }, 'Could not mark the answer as pinned');
  }
  const confirmed = await confirmPinned(invocation, context);
  return privateNotice(
    ['📌 Pinned. The audit log names you as the moderator who pinned it.', ...confirmed.lines].join(
      '\n',
    ),
    confirmed.buttons,
  );
}

/**
 * A pin confirms the answer: its first sentence answers its question, from
 * now on for close rewordings of it too. The moderator may pick another of
 * its sentences instead (buttons on the private note).
 */
async function confirmPinned(
  invocation: Omit<Invocation, 'args'>,
  context: CommandContext,
): Promise<{ lines: string[]; buttons: ReplyButton[] }> {
  const { message, guildId } = invocation;
  const keys = message?.answerKeys ?? [];
  const items = context.engine().explain(keys);
  const first = items[0];
  const question = await askedQuestion(message, context);
  if (!message || !question || !guildId || !first) return { lines: [], buttons: [] };
  const outcome = await recordConfirmation(context, {
    scope: guildId,
    question,
    sentenceKey: first.key,
    sentence: first.text,
    verdict: 'right',
    how: 'pin',
    byUserId: invocation.userId,
    ...(invocation.userName !== undefined && { byName: invocation.userName }),
    messageId: message.id,
  });
  if (!outcome) return { lines: [], buttons: [] };
  if (!outcome.ok) return { lines: [CONFIRMATIONS_FULL], buttons: [] };
  return {
    lines: [
      `✓ Its first sentence is now the confirmed answer to "${safeText(clip(question, 200))}" here, also when asked in other words.${items.length > 1 ? ' Does another sentence answer it better? Pick it:' : ''}`,
    ],
    buttons: items.slice(1).map((item, i) => ({
      label: `Sentence ${i + 2} instead`,
      customId: buttonId(ANSWER_COMMAND, 'confirm', `${outcome.id}:${item.key}`),
    })),
  };
}
