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
 * interaction itself and need no channel permission at all.
 */
export const BOT_PERMISSIONS: readonly NeededPermission[] = [];

export function permissionBits(permissions: readonly NeededPermission[]): bigint {
  return permissions.reduce((bits, p) => bits | p.flag, 0n);
}

export { PermissionFlagsBits };
