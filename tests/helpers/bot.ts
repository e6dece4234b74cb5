/**
 * Starts the real bot (the project's own startBot) against a fresh fake
 * Discord, with logs captured as parsed JSON lines.
 */
import pino from 'pino';
import { loadEngine, type Engine } from '../../src/engine.ts';
import { startBot, type Bot } from '../../src/discord/bot.ts';
import { loadRegistry, type CommandRegistry } from '../../src/registry.ts';
import { loadConfig } from '../../src/config.ts';
import type { CommandContext } from '../../src/commands.ts';
import {
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
} from '../fixtures/fake-discord.ts';
import { KNOWLEDGE_DIR } from './knowledge.ts';

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
  stop(): Promise<void>;
}

let sharedEngine: Promise<Engine> | undefined;

export async function startTestBot(
  options: { registry?: CommandRegistry; fake?: FakeDiscordOptions } = {},
): Promise<TestBot> {
  sharedEngine ??= loadEngine(KNOWLEDGE_DIR);
  const [engine, registry, fake] = await Promise.all([
    sharedEngine,
    options.registry ?? loadRegistry(),
    startFakeDiscord(options.fake),
  ]);
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line)) },
  );
  const config = loadConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    KNOWLEDGE_DIR,
  });
  const context: CommandContext = { engine: () => engine, config, logger };
  const bot = await startBot({
    token: fake.token,
    apiUrl: fake.apiUrl,
    registry,
    context,
    logger,
    rest: { retries: 0, timeout: 2000 },
  });
  return {
    fake,
    bot,
    engine,
    logs,
    async stop() {
      await bot.stop();
      await fake.close();
    },
  };
}
