/**
 * SHARDS=2: npm start runs discord.js's ShardingManager, one process per
 * shard; each identifies with its shard id and answers its own guild.
 */
import { InteractionResponseType } from 'discord.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chatInput,
  shardOf,
  startFakeDiscord,
  type FakeDiscord,
} from '../fixtures/fake-discord.ts';
import { runScript } from '../helpers/run.ts';

let fake: FakeDiscord | undefined;
afterAll(async () => {
  await fake?.close();
});

describe('sharding', () => {
  it(
    'runs one process per shard; each identifies with its id and answers its guild',
    { timeout: 60_000 },
    async () => {
      fake = await startFakeDiscord({ shardCount: 2, guilds: 2 });
      const f = fake;
      expect(f.guilds.map((g) => shardOf(g.id, 2)).sort()).toEqual([0, 1]);
      const answered: number[] = [];

      const result = await runScript('src/main.ts', [], {
        timeoutMs: 55_000,
        env: {
          DISCORD_TOKEN: f.token,
          DISCORD_API_URL: f.apiUrl,
          DATA_DIR: mkdtempSync(join(tmpdir(), 'talks-bot-shards-')),
          SHARDS: '2',
          ASK_COOLDOWN_SECONDS: '0',
          LOG_LEVEL: 'info',
        },
        onSpawn: (child) => {
          const run = async () => {
            for (const shard of [0, 1]) {
              await f.waitForGatewayEvent(
                (e) => e.type === 'ready' && e.shard?.[0] === shard,
                40_000,
              );
            }
            for (const guild of f.guilds) {
              const callback = await f.sendInteraction(
                chatInput(
                  'ask',
                  { question: 'how many drones were smuggled' },
                  { guildId: guild.id },
                ),
                { timeoutMs: 10_000 },
              );
              if (
                (callback.body as { type: number }).type ===
                InteractionResponseType.ChannelMessageWithSource
              )
                answered.push(shardOf(guild.id, 2));
            }
          };
          run().finally(() => child.kill('SIGTERM'));
        },
      });

      const identified = f.identifies.filter((i) => i.accepted).map((i) => i.shard);
      expect(identified).toEqual(
        expect.arrayContaining([
          [0, 2],
          [1, 2],
        ]),
      );
      expect(answered.sort()).toEqual([0, 1]);
      expect(result.stdout).toMatch(/All shards ready/);
      expect(result.code).toBe(0);
    },
  );
});
