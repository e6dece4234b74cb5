/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set; otherwise, in an
 * interactive terminal, the local console (`npm run console` forces it).
 */
import { exitWithError, openEngine, readConfig } from './bootstrap.ts';
import { runConsole } from './console.ts';
import { createLogger } from './logger.ts';

const CONNECT_HINT =
  'No DISCORD_TOKEN set, so this is the local console. To connect to Discord, put your bot token in .env (see README: "Connect to Discord").';

async function main(): Promise<void> {
  const config = readConfig();
  const wantsConsole = process.argv.includes('--console') || config.discordToken === undefined;
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;

  if (wantsConsole && !interactive) {
    exitWithError(
      config.discordToken === undefined
        ? 'DISCORD_TOKEN is not set. Put your bot token in .env or the environment to run the Discord bot, ' +
            'or run `npm run console` in a terminal to try it locally.'
        : 'The console needs an interactive terminal.',
    );
  }
  // In the console, logs would interleave with answers: keep them to warnings on stderr.
  const logger = createLogger({
    level: wantsConsole ? 'warn' : config.logLevel,
    stream: wantsConsole ? 'stderr' : 'stdout',
  });
  const engine = await openEngine(config, logger);
  if (wantsConsole) {
    const hint = config.discordToken === undefined ? CONNECT_HINT : 'Local console.';
    await runConsole(
      engine,
      `talks-bot: ${engine.articles.length} articles, ${engine.sentenceCount} sentences. ${hint}`,
    );
    return;
  }
  exitWithError(
    'The Discord runtime is not built yet; run `npm run console` to use the engine locally.',
  );
}

main().catch(exitWithError);
