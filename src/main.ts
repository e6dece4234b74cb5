/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set; otherwise, in an
 * interactive terminal, the local console (`npm run console` forces it).
 */
import { exitWithError, readConfig } from './bootstrap.ts';
import { botContext, consoleContext } from './runtime/context.ts';
import { createCooldown } from './runtime/cooldown.ts';
import { loadRegistry, type CommandRegistry } from './runtime/registry.ts';
import { runConsole } from './console.ts';
import { startBot, type Bot } from './discord/bot.ts';
import { createRest } from './discord/application.ts';
import { startHttpInteractions, type HttpInteractions } from './discord/http-interactions.ts';
import { createOverloadGuard } from './discord/overload.ts';
import { openKnowledge, type OpenedKnowledge } from './engine/shared-knowledge.ts';
import { createLogger } from './logger.ts';
import { isShardProcess, runShardingManager } from './sharding.ts';
import { openStore } from './store/store.ts';

const CONNECT_HINT =
  'No DISCORD_TOKEN set, so this is the local console. To connect to Discord, put your bot token in .env (README: "Connect to Discord").';

async function main(): Promise<void> {
  const config = readConfig();
  // An HTTP interactions endpoint serves without a gateway connection (and without a token,
  // though then commands cannot pin or delete).
  const serveHttp = config.interactionsPort !== undefined;
  const wantsConsole =
    process.argv.includes('--console') || (config.discordToken === undefined && !serveHttp);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;

  if (wantsConsole && !interactive) {
    exitWithError(
      config.discordToken === undefined
        ? 'DISCORD_TOKEN is not set. Put your bot token in .env or the environment to run the Discord bot, ' +
            'or run `npm run console` in a terminal to try it locally.'
        : 'The console needs an interactive terminal.',
    );
  }
  if (config.shards !== undefined && !wantsConsole && !isShardProcess()) {
    const logger = createLogger({ level: config.logLevel });
    return runShardingManager({ ...config, shards: config.shards }, logger);
  }
  // In the console, logs would interleave with answers: keep them to warnings on stderr.
  const logger = createLogger({
    level: wantsConsole ? 'warn' : config.logLevel,
    stream: wantsConsole ? 'stderr' : 'stdout',
  });
  // Opened first: a bad DATA_DIR or database stops start-up with a clear message, and a
  // shared database (DATABASE_URL) holds the articles too.
  const store = await openStore(config, { logger });
  let knowledge: OpenedKnowledge;
  let registry: CommandRegistry;
  try {
    [knowledge, registry] = await Promise.all([
      openKnowledge(config, store, { cacheDir: config.dataDir, logger }),
      loadRegistry(),
    ]);
  } catch (error) {
    await store.close();
    throw error;
  }
  const { engine, library } = knowledge;

  if (wantsConsole) {
    // The console reads the answers confirmed with `npm run knowledge -- teach`.
    const context = consoleContext({ config, logger, engine: library.current, registry, store });
    const hint = config.discordToken === undefined ? CONNECT_HINT : 'Local console.';
    const banner = `talks-bot: ${engine.articles.length} articles, ${engine.sentenceCount} sentences. ${hint}`;
    try {
      await runConsole(registry, context, banner);
    } finally {
      knowledge.stop();
      await store.close();
    }
    return;
  }

  const context = botContext({ config, logger, library, store, registry });

  // Ctrl+C or a service manager's stop, even mid-start-up: finish replies under
  // way, leave the gateway cleanly, close the database, exit 0.
  let bot: Bot | undefined;
  let http: HttpInteractions | undefined;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down');
    Promise.all([bot?.stop(), http?.close()])
      .then(() => {
        knowledge.stop();
        return store.close();
      })
      .then(
        () => {
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'Error while shutting down');
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  try {
    if (serveHttp) {
      http = await startHttpInteractions({
        port: config.interactionsPort!,
        publicKey: config.discordPublicKey!,
        registry,
        context,
        logger,
        rest: createRest(config.discordApiUrl, config.discordToken),
        overload: createOverloadGuard(logger),
      });
    }
    if (config.discordToken !== undefined && config.gateway) {
      bot = await startBot({
        token: config.discordToken,
        apiUrl: config.discordApiUrl,
        registry,
        context,
        logger,
        ...(config.autoAnswer && {
          autoAnswer: { store, cooldown: createCooldown(config.autoAnswerCooldownSeconds) },
        }),
      });
    } else if (config.discordToken === undefined) {
      logger.warn(
        'No DISCORD_TOKEN: serving HTTP interactions only. Questions in Q&A channels and forum posts need the gateway, and pins and deletes need the token.',
      );
    } else {
      logger.info(
        'GATEWAY=false: serving HTTP interactions only; questions in Q&A channels and forum posts are answered by an instance with the gateway.',
      );
    }
  } catch (error) {
    await http?.close();
    knowledge.stop();
    await store.close();
    throw error;
  }
  if (stopping) await Promise.all([bot?.stop(), http?.close()]); // a signal arrived meanwhile
}

main().catch(exitWithError);
