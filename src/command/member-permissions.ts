/**
 * Member permission checks for moderator features. Checked on the member who
 * acted, from the interaction, every time — hiding a command or a button is
 * not a permission check.
 */
import { PermissionFlagsBits } from 'discord.js';
import type { Invocation } from './module.ts';

/** Who may pin the bot's answers. */
export const PIN_PERMISSIONS = PermissionFlagsBits.ManageMessages | PermissionFlagsBits.PinMessages;

/** True if the member has any of `flags` (or is an administrator). */
export function memberHas(
  invocation: Pick<Invocation, 'memberPermissions'>,
  flags: bigint,
): boolean {
  const permissions = invocation.memberPermissions ?? 0n;
  return (permissions & (flags | PermissionFlagsBits.Administrator)) !== 0n;
}
