/**
 * The pin flow shared by the Pin button under answers and the "Pin answer"
 * message command: a moderator pins one of the bot's answers, with an
 * audit-log reason naming them.
 */
import { bold } from 'discord.js';
import { DiscordActionError, type CommandContext, type Invocation } from './module.ts';
import { memberHas, PIN_PERMISSIONS } from './member-permissions.ts';
import { privateNotice, type Reply } from './reply.ts';

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
  { logger }: CommandContext,
): Promise<Reply> {
  const { message, discord } = invocation;
  if (!message || !discord || !invocation.guildId)
    return privateNotice('Pinning works on answers in a server channel.');
  if (!memberHas(invocation, PIN_PERMISSIONS)) {
    return privateNotice('Only moderators (Manage Messages or Pin Messages) can pin answers.');
  }
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
  return privateNotice('📌 Pinned. The audit log names you as the moderator who pinned it.');
}
