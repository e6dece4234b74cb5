/**
 * The bot's own permissions: exactly what its features need, each with the
 * reason (printed by `npm run invite` so a server owner knows what they grant).
 */
import { PermissionFlagsBits } from 'discord.js';

export interface NeededPermission {
  readonly flag: bigint;
  readonly name: string;
  readonly why: string;
}

/**
 * Slash commands, autocomplete and buttons are answered through the
 * interaction itself and need none of these; the features below do.
 */
export const BOT_PERMISSIONS: readonly NeededPermission[] = [
  {
    flag: PermissionFlagsBits.ViewChannel,
    name: 'View Channels',
    why: 'see the Q&A channels it answers in',
  },
  {
    flag: PermissionFlagsBits.SendMessages,
    name: 'Send Messages',
    why: '"Answer with sources" replies under a member\'s message',
  },
  {
    flag: PermissionFlagsBits.ReadMessageHistory,
    name: 'Read Message History',
    why: 'a reply must be able to reference the message it answers',
  },
  {
    flag: PermissionFlagsBits.PinMessages,
    name: 'Pin Messages',
    why: 'moderators pin good answers with the Pin button or "Pin answer"',
  },
  {
    flag: PermissionFlagsBits.CreatePublicThreads,
    name: 'Create Public Threads',
    why: 'auto-answers go in a thread under the question (only if enabled)',
  },
  {
    flag: PermissionFlagsBits.SendMessagesInThreads,
    name: 'Send Messages in Threads',
    why: 'post the auto-answer in that thread',
  },
];

export function permissionBits(permissions: readonly NeededPermission[]): bigint {
  return permissions.reduce((bits, p) => bits | p.flag, 0n);
}
