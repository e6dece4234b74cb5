/** Finding the bot's application id, for deploying commands and the invite link. */
import { REST, Routes } from 'discord.js';
import { BOT_PERMISSIONS, permissionBits } from './bot-permissions.ts';

/**
 * A bot token's first part is the base64 of the bot's user id, which is the
 * application id for bots; reading it needs no network.
 */
export function applicationIdFromToken(token: string): string | undefined {
  const first = token.split('.')[0] ?? '';
  const decoded = Buffer.from(first, 'base64').toString('utf8');
  return /^\d{17,20}$/.test(decoded) ? decoded : undefined;
}

/** Asks Discord (`GET /applications/@me`) which application the token belongs to. */
export async function fetchApplicationId(rest: REST): Promise<string> {
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  return application.id;
}

/** A REST client for Discord's API; without a token, only unauthenticated routes (webhook edits) work. */
export function createRest(apiUrl: string, token: string | undefined): REST {
  const rest = new REST({ api: apiUrl, retries: 1, timeout: 10_000 });
  return token === undefined ? rest : rest.setToken(token);
}

/** The OAuth2 link that adds the bot with its scopes and only the permissions it needs. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: permissionBits(BOT_PERMISSIONS).toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
