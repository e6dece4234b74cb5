/**
 * Moderator checks and the pin flow shared by the Pin button and the
 * "Pin answer" message command. Permissions are checked on the member who
 * pressed, from the interaction — hiding a button is not a permission check.
 */
import { PermissionFlagsBits } from 'discord.js';
import { DiscordActionError, type CommandContext, type Invocation } from './commands.ts';
import type { Reply } from './reply.ts';

export const PIN_PERMISSIONS = PermissionFlagsBits.ManageMessages | PermissionFlagsBits.PinMessages;

/** True if the member has any of `flags` (or is an administrator). */
export function memberHas(invocation: Invocation, flags: bigint): boolean {
  const permissions = invocation.memberPermissions ?? 0n;
  return (permissions & (flags | PermissionFlagsBits.Administrator)) !== 0n;
}

export function privateNote(text: string): Reply {
  return { kind: 'notice', text, hidden: true };
}

const PIN_FAILURES: Record<DiscordActionError['failure'], string> = {
  'missing-permission':
    "I can't pin in this channel: give my role the **Pin Messages** permission here (channel settings → Permissions), then try again.",
  'pin-limit':
    'This channel has reached Discord’s limit of pinned messages. Unpin an older message, then try again.',
  'unknown-message': 'That message no longer exists.',
  failed: 'Discord did not accept the pin. Please try again in a moment.',
};

/** Pins one of the bot's answers, on behalf of a moderator. */
export async function pinAnswer(
  invocation: Invocation,
  { logger }: CommandContext,
): Promise<Reply> {
  const { message, discord } = invocation;
  if (!message || !discord || !invocation.guildId)
    return privateNote('Pinning works on answers in a server channel.');
  if (!memberHas(invocation, PIN_PERMISSIONS)) {
    return privateNote('Only moderators (Manage Messages or Pin Messages) can pin answers.');
  }
  if (!message.fromBot)
    return privateNote('**Pin answer** pins my answers; pin other messages the usual way.');
  if (message.pinned) return privateNote('That answer is already pinned.');

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
      return privateNote(PIN_FAILURES[error.failure]);
    }
    throw error;
  }
  try {
    await discord.markPinned(message.channelId, message.id, moderator);
  } catch (error) {
    // The pin itself worked; only the "Pinned by" label is missing.
    logger.warn({ err: error, messageId: message.id }, 'Could not mark the answer as pinned');
  }
  return privateNote('📌 Pinned. The audit log names you as the moderator who pinned it.');
}
