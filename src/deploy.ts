/**
 * `npm run deploy`: bulk-overwrites the bot's commands with the definitions
 * in commands/. With DISCORD_GUILD_ID, only in that server (visible at once,
 * for testing); without it, globally (every server, may take up to an hour).
 */
import { Routes } from 'discord.js';
import { exitWithError, readConfig } from './bootstrap.ts';
import { createRest, fetchApplicationId } from './discord/application.ts';
import { loadRegistry } from './runtime/registry.ts';

async function main(): Promise<void> {
  const config = readConfig();
  if (!config.discordToken) {
    exitWithError('DISCORD_TOKEN is not set: deploying commands needs the bot token (see README).');
  }
  const rest = createRest(config.discordApiUrl, config.discordToken);
  const registry = await loadRegistry();
  const applicationId = await fetchApplicationId(rest);
  const body = registry.all.map((command) => command.definition);
  const route = config.discordGuildId
    ? Routes.applicationGuildCommands(applicationId, config.discordGuildId)
    : Routes.applicationCommands(applicationId);
  const deployed = (await rest.put(route, { body })) as { name: string }[];
  const names = deployed.map((c) => c.name).join(', ');
  process.stdout.write(
    config.discordGuildId
      ? `Deployed ${deployed.length} commands to server ${config.discordGuildId} (available now): ${names}\n`
      : `Deployed ${deployed.length} commands globally (Discord may take up to an hour to show them): ${names}\n`,
  );
}

main().catch((error: unknown) =>
  exitWithError(
    `Deploying commands failed: ${error instanceof Error ? error.message : error}. Check DISCORD_TOKEN and DISCORD_GUILD_ID (the bot must be in that server).`,
  ),
);
