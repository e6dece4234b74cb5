/**
 * `npm run invite [-- <application id>]`: prints the link that adds the bot
 * to a server, with the `bot` and `applications.commands` scopes and only the
 * permissions it needs. The application comes from the id given, or from
 * DISCORD_TOKEN (the token encodes it).
 */
import { exitWithError, readConfig } from './bootstrap.ts';
import {
  applicationIdFromToken,
  createRest,
  fetchApplicationId,
  inviteUrl,
} from './discord/application.ts';
import { BOT_PERMISSIONS } from './discord/bot-permissions.ts';

const SNOWFLAKE = /^\d{17,20}$/;

async function applicationId(given: string | undefined): Promise<string> {
  if (given !== undefined) {
    if (!SNOWFLAKE.test(given)) {
      exitWithError(
        `"${given}" is not an application id (17–20 digits; Developer Portal → your application → General Information → Application ID).`,
      );
    }
    return given;
  }
  const config = readConfig();
  if (!config.discordToken) {
    exitWithError(
      'The invite link needs the application: put the bot token in DISCORD_TOKEN, or give the Application ID (Developer Portal → General Information): npm run invite -- <application id>',
    );
  }
  return (
    applicationIdFromToken(config.discordToken) ??
    (await fetchApplicationId(createRest(config.discordApiUrl, config.discordToken)))
  );
}

async function main(): Promise<void> {
  const id = await applicationId(process.argv[2]?.trim());
  const lines = [inviteUrl(id), '', 'Permissions requested:'];
  for (const p of BOT_PERMISSIONS) lines.push(`  ${p.name}: ${p.why}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch(exitWithError);
