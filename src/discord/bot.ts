/**
 * The Discord runtime: a discord.js client with the Guilds intent only,
 * wired to the command registry. Used by `npm start` and by the end-to-end
 * tests against the fake Discord.
 */
import { Client, Events, GatewayIntentBits, RESTEvents, type RESTOptions } from 'discord.js';
import type { CommandContext } from '../runtime/module.ts';
import type { Logger } from '../logger.ts';
import type { CommandRegistry } from '../runtime/registry.ts';
import type { Cooldown } from '../runtime/cooldown.ts';
import type { Store } from '../store/store.ts';
import { createDiscordActions } from './actions.ts';
import { createAutoAnswer } from './auto-answer.ts';
import { createInteractionHandler } from './interactions.ts';
import {
  createOverloadGuard,
  DEFAULT_OVERLOAD,
  type OverloadGuard,
  type OverloadSettings,
} from './overload.ts';

export interface BotOptions {
  readonly token: string;
  /**
   * Answer questions in Q&A channels on its own. Needs the privileged Message
   * Content intent (enabled in the Developer Portal) and a store.
   */
  readonly autoAnswer?: { readonly store: Store; readonly cooldown: Cooldown };
  readonly apiUrl: string;
  readonly registry: CommandRegistry;
  readonly context: CommandContext;
  readonly logger: Logger;
  /** Extra REST options (tests set retries: 0 and a short timeout). */
  readonly rest?: Partial<RESTOptions>;
  /** When to shed work past capacity (overload.ts), or the guard itself; tests make it small. */
  readonly overload?: Partial<OverloadSettings> | OverloadGuard;
}

const isGuard = (value: BotOptions['overload']): value is OverloadGuard =>
  value !== undefined && 'treat' in value;

export interface Bot {
  readonly client: Client;
  /** Disconnects cleanly; safe to call twice. */
  stop(): Promise<void>;
}

/** How long a shutdown waits for replies under way. */
const STOP_GRACE_MS = 5_000;

export class LoginError extends Error {
  override readonly name = 'LoginError';
}

/** Logs in and resolves once the client is ready; rejects with a LoginError a person can act on. */
export async function startBot(options: BotOptions): Promise<Bot> {
  const { token, apiUrl, registry, context, logger } = options;
  const client = new Client({
    intents: options.autoAnswer
      ? [
          GatewayIntentBits.Guilds,
          GatewayIntentBits.GuildMessages,
          GatewayIntentBits.MessageContent,
        ]
      : [GatewayIntentBits.Guilds],
    rest: { api: apiUrl, ...options.rest },
    // A safety net under the renderer: nothing the bot sends can ping unless a reply says so.
    allowedMentions: { parse: [] },
  });

  const overload = isGuard(options.overload)
    ? options.overload
    : createOverloadGuard(logger, { ...DEFAULT_OVERLOAD, ...options.overload }, Date.now, () =>
        context.metrics?.overloadEpisode(),
      );
  const discord = createDiscordActions(client.rest);
  const handleInteraction = createInteractionHandler({
    registry,
    context,
    logger,
    discord,
    overload,
    ...(context.metrics && { metrics: context.metrics }),
  });
  // Replies under way are tracked so a shutdown lets them finish first.
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    const handling = handleInteraction(interaction).finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });
  if (options.autoAnswer) {
    const onMessage = createAutoAnswer(
      { ...context, store: options.autoAnswer.store },
      options.autoAnswer.cooldown,
      discord,
    );
    client.on(Events.MessageCreate, (message) => void onMessage(message));
  }
  // discord.js retries rate-limited requests quietly; an operator should see them.
  client.rest.on(RESTEvents.RateLimited, (info) =>
    logger.warn(
      {
        route: info.route,
        method: info.method,
        retryAfterMs: info.retryAfter,
        global: info.global,
      },
      'Rate limited by Discord; the request waits and is retried',
    ),
  );
  client.rest.on(RESTEvents.Response, (request, response) => {
    if (response.status >= 400) context.metrics?.discordError(response.status);
    if (response.status !== 429) return;
    logger.warn(
      {
        route: request.route,
        method: request.method,
        retryAfter: response.headers.get('retry-after'),
      },
      'Rate limited by Discord (429); the request is retried',
    );
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'Discord client error'));
  client.on(Events.Warn, (message) => logger.warn(message));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ shardId, code: event.code }, 'Gateway disconnected'),
  );
  client.on(Events.ShardResume, (shardId) => logger.info({ shardId }, 'Gateway resumed'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(token);
  } catch (error) {
    await client.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    if (/disallowed intent|4014/i.test(reason)) {
      throw new LoginError(
        'Discord refused the Message Content intent that AUTO_ANSWER needs. Enable it in the Developer Portal → your application → Bot → Privileged Gateway Intents, or set AUTO_ANSWER=false.',
      );
    }
    throw new LoginError(
      /token/i.test(reason)
        ? `Discord rejected DISCORD_TOKEN (${reason}). Copy the token again from the Developer Portal → your application → Bot → Reset Token, and put it in .env.`
        : `Could not connect to Discord at ${apiUrl} (${reason}). Check your network or DISCORD_API_URL.`,
    );
  }
  await ready;
  logger.info(
    { user: client.user?.tag, guilds: client.guilds.cache.size, commands: registry.all.length },
    'Connected to Discord',
  );

  let stopped = false;
  return {
    client,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Finish the replies already under way (bounded: Discord's token outlives us anyway).
      client.removeAllListeners(Events.InteractionCreate);
      if (inFlight.size > 0) {
        logger.info({ inFlight: inFlight.size }, 'Finishing replies under way');
        await Promise.race([
          Promise.allSettled(inFlight),
          new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref()),
        ]);
      }
      await client.destroy();
      overload.stop();
      // What this run went through: load, what was shed, event-loop delay, heap.
      logger.info(overload.summary(), 'Load summary');
      logger.info('Disconnected from Discord');
    },
  };
}
