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
import { createOverloadGuard, DEFAULT_OVERLOAD } from './discord/overload.ts';
import { RESTEvents, type REST } from 'discord.js';
import { createMetrics } from './ops/metrics.ts';
import { startOpsServer, type OpsServer } from './ops/ops-server.ts';
import type { Store } from './store/store.ts';
import { openKnowledge, type OpenedKnowledge } from './engine/shared-knowledge.ts';
import { createLogger } from './logger.ts';
import { createDiscordActions } from './discord/actions.ts';
import { startFeedService, type FeedService } from './feeds/feed-service.ts';
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
  // Health and metrics first (not in the console, nor per shard process: one port each),
  // so /readyz says "not ready" while the rest starts.
  let knowledge: OpenedKnowledge | undefined;
  let bot: Bot | undefined;
  let http: HttpInteractions | undefined;
  const metrics = createMetrics({
    articles: () => knowledge?.library.current().articles.length ?? 0,
    sentences: () => knowledge?.library.current().sentenceCount ?? 0,
  });
  /** The store once open (/readyz pings it), and the feeds' service once running. */
  const started: { store?: Store; feeds?: FeedService } = {};
  let ops: OpsServer | undefined;
  if (config.metricsPort !== undefined && !wantsConsole) {
    if (isShardProcess()) {
      logger.warn('METRICS_PORT is not served by shard processes (they would share one port)');
    } else {
      ops = await startOpsServer({
        port: config.metricsPort,
        host: config.metricsHost,
        metrics,
        logger,
        ready: async () => {
          if (!knowledge) return 'the engine is not loaded yet';
          if (bot ? !bot.client.isReady() : !http) return 'not connected to Discord yet';
          if (!started.store) return 'the store is not open yet';
          return started.store.ping().then(
            () => undefined,
            (error: unknown) =>
              `the store is unreachable (${error instanceof Error ? error.message : error})`,
          );
        },
      });
    }
  }
  // Opened first: a bad DATA_DIR or database stops start-up with a clear message, and a
  // shared database (DATABASE_URL) holds the articles too.
  const store = await openStore(config, { logger });
  started.store = store;
  let registry: CommandRegistry;
  try {
    [knowledge, registry] = await Promise.all([
      openKnowledge(config, store, {
        cacheDir: config.dataDir,
        logger,
        onSharedChange: (outcome) => metrics.knowledgeChange(outcome),
      }),
      loadRegistry(),
    ]);
  } catch (error) {
    await ops?.close();
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
      knowledge!.stop();
      await store.close();
    }
    return;
  }

  const context = botContext({ config, logger, library, store, registry, metrics });

  // Ctrl+C or a service manager's stop, even mid-start-up: finish replies under
  // way, leave the gateway cleanly, close the database, exit 0.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down');
    Promise.all([started.feeds?.stop(), bot?.stop(), http?.close(), ops?.close()])
      .then(() => {
        knowledge!.stop();
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

  let httpRest: REST | undefined;
  try {
    if (serveHttp) {
      httpRest = createRest(config.discordApiUrl, config.discordToken).on(
        RESTEvents.Response,
        (_request, response) => {
          if (response.status >= 400) metrics.discordError(response.status);
        },
      );
      http = await startHttpInteractions({
        port: config.interactionsPort!,
        publicKey: config.discordPublicKey!,
        registry,
        context,
        logger,
        rest: httpRest,
        overload: createOverloadGuard(logger, DEFAULT_OVERLOAD, Date.now, () =>
          metrics.overloadEpisode(),
        ),
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
    await Promise.all([http?.close(), ops?.close()]);
    knowledge.stop();
    await store.close();
    throw error;
  }
  // Feeds: polled here unless FEED_POLL_MINUTES=0; announced through Discord's REST API.
  const rest = bot?.client.rest ?? httpRest;
  const feeds = startFeedService({
    store,
    library,
    logger,
    fetch: { allowedHosts: config.linkAllowedHosts },
    pollMinutes: config.feedPollMinutes,
    metrics,
    ...(rest && config.discordToken !== undefined && { post: createDiscordActions(rest).post }),
  });
  started.feeds = feeds;
  if (stopping) await Promise.all([feeds.stop(), bot?.stop(), http?.close()]); // a signal arrived meanwhile
}

main().catch(exitWithError);
