/**
 * `npm run invite`: prints the link that adds the bot to a server, with the
 * `bot` and `applications.commands` scopes and only the permissions it needs.
 */
import { exitWithError, readConfig } from './bootstrap.ts';
import {
  applicationIdFromToken,
  createRest,
  fetchApplicationId,
  inviteUrl,
} from './discord/application.ts';
import { BOT_PERMISSIONS } from './discord/bot-permissions.ts';

async function main(): Promise<void> {
  const config = readConfig();
  if (!config.discordToken) {
    exitWithError(
      'DISCORD_TOKEN is not set: the invite link needs the bot token to find the application.',
    );
  }
  const applicationId =
    applicationIdFromToken(config.discordToken) ??
    (await fetchApplicationId(createRest(config.discordApiUrl, config.discordToken)));
  const lines = [inviteUrl(applicationId), '', 'Permissions requested:'];
  for (const p of BOT_PERMISSIONS) lines.push(`  ${p.name}: ${p.why}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch(exitWithError);
