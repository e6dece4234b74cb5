/**
 * SHARDS=auto|N: the bot under discord.js's ShardingManager, one process per
 * shard. Each shard process runs this same entry point (main.ts) and its
 * client takes its shard ids from the environment the manager sets.
 */
import { ShardingManager } from 'discord.js';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/** This process's own entry: compiled (dist/) or the sources under tsx. */
const ENTRY = fileURLToPath(
  new URL(import.meta.url.endsWith('.js') ? './main.js' : './main.ts', import.meta.url),
);

/** True inside a process started by the ShardingManager. */
export function isShardProcess(): boolean {
  return process.env.SHARDING_MANAGER === 'true';
}

export async function runShardingManager(
  config: Config & { shards: 'auto' | number },
  logger: Logger,
): Promise<void> {
  const manager = new ShardingManager(ENTRY, {
    token: config.discordToken,
    totalShards: config.shards,
    mode: 'process',
    respawn: true,
    // Shards run TypeScript through the same loader (tsx) as this process.
    execArgv: process.execArgv,
  });
  manager.on('shardCreate', (shard) => {
    logger.info({ shardId: shard.id, totalShards: manager.totalShards }, 'Shard process started');
    shard.on('death', () => logger.warn({ shardId: shard.id }, 'Shard process exited'));
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping all shards');
    // Each shard process gets SIGTERM and shuts down cleanly on its own.
    for (const shard of manager.shards.values()) shard.process?.kill('SIGTERM');
    const exits = [...manager.shards.values()].map(
      (shard) =>
        new Promise<void>((resolve) =>
          shard.process?.exitCode !== null
            ? resolve()
            : shard.process.once('exit', () => resolve()),
        ),
    );
    void Promise.all(exits).then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  await manager.spawn({ timeout: 60_000 });
  logger.info({ shards: manager.totalShards }, 'All shards ready');
}
