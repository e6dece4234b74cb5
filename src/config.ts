/**
 * Settings from the environment (and .env via dotenv), validated once at
 * start-up with messages that say what to fix. Every setting is documented in
 * .env.example.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyAsUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A TCP port to listen on; 0 takes any free one (tests). */
const portNumber = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a port number')
  .min(0, 'must be a port number from 0 (any free port) to 65535')
  .max(65_535, 'must be a port number from 0 (any free port) to 65535');

const SNOWFLAKE = /^\d{17,20}$/;
export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api';

/** A whole number of seconds (0 turns a cooldown off). */
const seconds = (fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of seconds' })
      .int('must be a whole number of seconds')
      .min(0, 'must be 0 or more')
      .max(86_400, 'must be at most 86400 (a day)')
      .default(fallback),
  );

/** A number of members' votes (at least 1). */
const votes = (fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of votes' })
      .int('must be a whole number of votes')
      .min(1, 'must be at least 1')
      .max(1000, 'must be at most 1000')
      .default(fallback),
  );

/** On or off: true/false, 1/0, yes/no, on/off, in any case. */
const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
        error: 'must be true or false',
      })
      .default(fallback ? 'true' : 'false')
      .transform((value) => ['true', '1', 'yes', 'on'].includes(value)),
  );

const configSchema = z
  .object({
    DISCORD_TOKEN: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .trim()
        .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, {
          error:
            'does not look like a bot token (three dot-separated parts); copy it again from the Developer Portal → Bot',
        })
        .optional(),
    ),
    DISCORD_GUILD_ID: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .trim()
        .regex(SNOWFLAKE, {
          error:
            'must be a server id (17–20 digits; Developer Mode → right-click the server → Copy Server ID)',
        })
        .optional(),
    ),
    DISCORD_API_URL: z.preprocess(
      emptyAsUndefined,
      z
        .url({
          protocol: /^https?$/,
          error: 'must be an http(s) URL such as https://discord.com/api',
        })
        .default(DEFAULT_DISCORD_API_URL),
    ),
    INTERACTIONS_PORT: z.preprocess(emptyAsUndefined, portNumber.optional()),
    METRICS_PORT: z.preprocess(emptyAsUndefined, portNumber.optional()),
    METRICS_HOST: z.preprocess(emptyAsUndefined, z.string().trim().min(1).default('127.0.0.1')),
    GATEWAY: flag(true),
    DISCORD_PUBLIC_KEY: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .trim()
        .regex(/^[0-9a-fA-F]{64}$/, {
          error:
            'must be the Public Key from the Developer Portal → General Information (64 hexadecimal characters)',
        })
        .optional(),
    ),
    KNOWLEDGE_DIR: z.preprocess(emptyAsUndefined, z.string().default('knowledge')),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('data')),
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .url({
          protocol: /^postgres(?:ql)?$/,
          error: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/talks_bot',
        })
        .optional(),
    ),
    AUTO_ANSWER: flag(false),
    ASK_COOLDOWN_SECONDS: seconds(3),
    AUTO_ANSWER_COOLDOWN_SECONDS: seconds(60),
    CONFIRM_UP_VOTES: votes(3),
    WRONG_DOWN_VOTES: votes(3),
    SHARDS: z.preprocess(
      (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
      z
        .union([z.literal('auto'), z.coerce.number().int().min(1).max(1000)], {
          error: 'must be "auto" or a whole number of shards from 1',
        })
        .optional(),
    ),
    LINK_ALLOWED_HOSTS: z.preprocess(
      (value) => (typeof value === 'string' ? value : ''),
      z
        .string()
        .transform((value) =>
          value
            .split(',')
            .map((host) => host.trim().toLowerCase())
            .filter((host) => host.length > 0),
        )
        .pipe(
          z.array(
            z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/, {
              error:
                'must be comma-separated host names or host:port (e.g. wiki.internal,10.0.0.5:8080)',
            }),
          ),
        ),
    ),
    FEED_POLL_MINUTES: z.preprocess(
      emptyAsUndefined,
      z.coerce
        .number({ error: 'must be a whole number of minutes' })
        .int('must be a whole number of minutes')
        .min(0, 'must be 0 (this instance polls no feeds) or more')
        .max(10_080, 'must be at most 10080 (a week)')
        .default(30),
    ),
    LOG_LEVEL: z.preprocess(
      (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
      z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    ),
  })
  .superRefine((values, ctx) => {
    if (values.INTERACTIONS_PORT !== undefined && values.DISCORD_PUBLIC_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_PUBLIC_KEY'],
        message:
          'is needed with INTERACTIONS_PORT: Discord signs every interaction, and the bot checks the signature with this key (Developer Portal → General Information → Public Key)',
      });
    }
    if (values.INTERACTIONS_PORT !== undefined && values.SHARDS !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['INTERACTIONS_PORT'],
        message:
          'cannot be used with SHARDS (every shard process would take the port): run the HTTP endpoint as its own instance with GATEWAY=false',
      });
    }
    if (!values.GATEWAY && values.INTERACTIONS_PORT === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY'],
        message:
          'false leaves nothing to serve: set INTERACTIONS_PORT too (commands over HTTP), or GATEWAY=true',
      });
    }
  });

/** Every environment variable the bot reads (each documented in .env.example and README). */
export const SETTING_NAMES = configSchema.keyof().options;

export interface Config {
  readonly discordToken?: string;
  /** Deploy commands to this guild only (instant), instead of globally. */
  readonly discordGuildId?: string;
  /** REST base URL without the version (discord.js adds /v10). */
  readonly discordApiUrl: string;
  /**
   * Serve Discord's HTTP interactions endpoint (POST /interactions) on this
   * port, checking signatures with `discordPublicKey`. Unset: gateway only.
   */
  readonly interactionsPort?: number;
  readonly discordPublicKey?: string;
  /** Serve /healthz, /readyz and /metrics on this port (ops-server.ts). Unset: not served. */
  readonly metricsPort?: number;
  /** The address that port is bound to; 127.0.0.1 unless set. */
  readonly metricsHost: string;
  /**
   * Connect to the gateway when a token is set. Off for extra instances that
   * serve only HTTP interactions (commands), leaving messages to one instance.
   */
  readonly gateway: boolean;
  /** Absolute path of the folder of article files. */
  readonly knowledgeDir: string;
  /** Absolute path of the folder for the SQLite database (settings, feedback) and the index cache. */
  readonly dataDir: string;
  /** Keep what the bot remembers in this PostgreSQL database instead (shared by instances). */
  readonly databaseUrl?: string;
  /**
   * Auto-answer in moderator-chosen Q&A channels. Needs the privileged
   * Message Content intent, so it is off unless the operator turns it on.
   */
  readonly autoAnswer: boolean;
  /** Minimum seconds between a member's /ask (and Answer with sources) uses. */
  readonly askCooldownSeconds: number;
  /** Minimum seconds between auto-answers to one member in one channel. */
  readonly autoAnswerCooldownSeconds: number;
  /** Members' 👍 (distinct, with no moderator's 👎) that confirm an answer for its question. */
  readonly confirmUpVotes: number;
  /** Members' 👎 that mark an answer wrong for its question (a moderator's 👎 alone does). */
  readonly wrongDownVotes: number;
  /**
   * Run under discord.js's ShardingManager, one process per shard: "auto"
   * (Discord's recommendation) or a count. Unset: one process, no sharding.
   */
  readonly shards?: 'auto' | number;
  /**
   * Hosts (name or host:port) that "add by link" may reach even though they
   * resolve to loopback or private addresses. Empty: only public addresses.
   */
  readonly linkAllowedHosts: readonly string[];
  /**
   * How often each followed feed is polled (with jitter); 0: this instance
   * polls none (another one does, or `npm run knowledge -- poll`).
   */
  readonly feedPollMinutes: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates settings; throws ConfigError listing every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Inside a shard process, discord.js itself sets SHARDS to that shard's id list.
  const { SHARDS, ...rest } = env;
  const result = configSchema.safeParse(
    env.SHARDING_MANAGER === 'true' ? rest : { ...rest, SHARDS },
  );
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid settings (check .env or the environment):\n${lines.join('\n')}`);
  }
  const values = result.data;
  return {
    ...(values.DISCORD_TOKEN !== undefined && { discordToken: values.DISCORD_TOKEN }),
    ...(values.DISCORD_GUILD_ID !== undefined && { discordGuildId: values.DISCORD_GUILD_ID }),
    discordApiUrl: values.DISCORD_API_URL.replace(/\/+$/, ''),
    ...(values.INTERACTIONS_PORT !== undefined && { interactionsPort: values.INTERACTIONS_PORT }),
    ...(values.METRICS_PORT !== undefined && { metricsPort: values.METRICS_PORT }),
    metricsHost: values.METRICS_HOST,
    ...(values.DISCORD_PUBLIC_KEY !== undefined && {
      discordPublicKey: values.DISCORD_PUBLIC_KEY.toLowerCase(),
    }),
    gateway: values.GATEWAY,
    knowledgeDir: resolve(values.KNOWLEDGE_DIR),
    dataDir: resolve(values.DATA_DIR),
    ...(values.DATABASE_URL !== undefined && { databaseUrl: values.DATABASE_URL }),
    autoAnswer: values.AUTO_ANSWER,
    askCooldownSeconds: values.ASK_COOLDOWN_SECONDS,
    autoAnswerCooldownSeconds: values.AUTO_ANSWER_COOLDOWN_SECONDS,
    confirmUpVotes: values.CONFIRM_UP_VOTES,
    wrongDownVotes: values.WRONG_DOWN_VOTES,
    ...(values.SHARDS !== undefined && { shards: values.SHARDS }),
    linkAllowedHosts: values.LINK_ALLOWED_HOSTS,
    feedPollMinutes: values.FEED_POLL_MINUTES,
    logLevel: values.LOG_LEVEL,
  };
}
