/**
 * Starts the real bot (the project's own startBot) against a fresh fake
 * Discord, with logs captured as parsed JSON lines.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { botContext } from '../../src/runtime/context.ts';
import { createCooldown } from '../../src/runtime/cooldown.ts';
import { createLibrary, type KnowledgeLibrary } from '../../src/engine/library.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { startBot, type Bot } from '../../src/discord/bot.ts';
import type { OverloadGuard, OverloadSettings } from '../../src/discord/overload.ts';
import { loadRegistry, type CommandRegistry } from '../../src/runtime/registry.ts';
import { loadConfig } from '../../src/config.ts';
import {
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
} from '../fixtures/fake-discord.ts';
import { KNOWLEDGE_DIR, openTestEngine } from './knowledge.ts';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface TestBot {
  readonly fake: FakeDiscord;
  readonly bot: Bot;
  readonly engine: Engine;
  readonly logs: LogLine[];
  readonly store: Store;
  /** The live knowledge the bot answers from (what a feed poll adds to). */
  readonly library: KnowledgeLibrary;
  readonly dataDir: string;
  /** Stops the bot and closes the store (and the fake, unless the test passed its own). */
  stop(): Promise<void>;
}

let sharedEngine: Promise<Engine> | undefined;

export interface TestBotOptions {
  registry?: CommandRegistry;
  fake?: FakeDiscord | FakeDiscordOptions;
  /** Where the SQLite store lives; a fresh temporary folder when omitted. */
  dataDir?: string;
  /** Knowledge folder (a writable copy for tests that change it). */
  knowledgeDir?: string;
  env?: Record<string, string>;
  autoAnswer?: boolean;
  /** Captured log level (default debug); load runs use warn to keep memory flat. */
  logLevel?: string;
  /** Stands in for the engine the bot answers with (e.g. one made slow on purpose). */
  wrapEngine?: (engine: Engine) => Engine;
  overload?: Partial<OverloadSettings> | OverloadGuard;
}

function isFake(value: FakeDiscord | FakeDiscordOptions | undefined): value is FakeDiscord {
  return value !== undefined && 'sendInteraction' in value;
}

export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const knowledgeDir = options.knowledgeDir ?? KNOWLEDGE_DIR;
  sharedEngine ??= openTestEngine(KNOWLEDGE_DIR);
  const [engine, registry, fake] = await Promise.all([
    knowledgeDir === KNOWLEDGE_DIR ? sharedEngine : openTestEngine(knowledgeDir),
    options.registry ?? loadRegistry(),
    isFake(options.fake) ? options.fake : startFakeDiscord(options.fake),
  ]);
  const ownsFake = !isFake(options.fake);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'talks-bot-data-'));
  const logs: LogLine[] = [];
  const logger = pino(
    { level: options.logLevel ?? 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line)) },
  );
  const config = loadConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    KNOWLEDGE_DIR: knowledgeDir,
    DATA_DIR: dataDir,
    // Most tests fire many questions from one member; cooldown tests set their own.
    ASK_COOLDOWN_SECONDS: '0',
    ...options.env,
  });
  const store = await openStore(config);
  const library = createLibrary(knowledgeDir, options.wrapEngine?.(engine) ?? engine);
  const context = botContext({ config, logger, library, store, registry });
  const bot = await startBot({
    token: fake.token,
    apiUrl: fake.apiUrl,
    registry,
    context,
    logger,
    rest: { retries: 0, timeout: 2000 },
    ...(options.overload && { overload: options.overload }),
    ...(options.autoAnswer && {
      autoAnswer: { store, cooldown: createCooldown(config.autoAnswerCooldownSeconds) },
    }),
  });
  return {
    fake,
    bot,
    engine,
    logs,
    store,
    library,
    dataDir,
    async stop() {
      await bot.stop();
      await store.close();
      if (ownsFake) await fake.close();
    },
  };
}
