/**
 * What an operator's tooling sees: the compiled bot (`npm start`) serves
 * /healthz, /readyz and /metrics on METRICS_PORT. /readyz is 503 with the
 * reason until the engine is loaded and Discord connected, then 200; /metrics
 * parses as Prometheus text (a real parser) and its counters move as members
 * ask; no label carries a guild or user id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fixtures/fake-discord.ts';
import { stopBotProcess } from '../helpers/bot-process.ts';
import { askCommand } from '../helpers/discord.ts';

const ROOT = join(import.meta.dirname, '../..');

let fake: FakeDiscord;
let child: ChildProcess;
let dataDir: string;
let output = '';
let ops = '';
/** Every /readyz answer seen while the bot started, in order. */
const readiness: { status: number; text: string }[] = [];

async function get(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${ops}${path}`);
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  fake = await startFakeDiscord();
  // A fresh data folder: no index cache, so the engine is built while /readyz is asked.
  dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-ops-'));
  child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      METRICS_PORT: '0',
      ASK_COOLDOWN_SECONDS: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const port = /"port":(\d+),"msg":"Health and metrics listening"/.exec(output)?.[1];
    if (port) ops = `http://127.0.0.1:${port}`;
    if (ops) {
      const seen = await get('/readyz');
      readiness.push(seen);
      if (seen.status === 200) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the bot never got ready:\n${output}`);
}, 90_000);

afterAll(async () => {
  if (child) await stopBotProcess(child);
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One metric's value for these labels (0 when the series does not exist yet). */
async function sample(name: string, labels: Record<string, string> = {}): Promise<number> {
  const { status, text } = await get('/metrics');
  expect(status).toBe(200);
  const family = parsePrometheusTextFormat(text).find((f) => f.name === name);
  const series = family?.metrics.find((m) =>
    Object.entries(labels).every(([key, value]) => m.labels?.[key] === value),
  );
  // A histogram's series: its +Inf bucket counts every observation (this parser keeps
  // only the buckets of a histogram, not its labels).
  return Number(series?.value ?? series?.buckets?.['+Inf'] ?? 0);
}

describe('health and readiness', () => {
  it('/readyz says why it is not ready until the engine is loaded, then 200', () => {
    expect(readiness[0]).toEqual({
      status: 503,
      text: expect.stringMatching(/^not ready: the engine is not loaded yet/),
    });
    expect(readiness.at(-1)?.status).toBe(200);
  });

  it('/healthz answers while the process lives; anything else is a clear 404', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, text: 'ok\n' });
    expect((await get('/interactions')).status).toBe(404);
  });
});

describe('metrics', () => {
  it('parse as Prometheus text, and the counters move as members ask', async () => {
    const confident = { kind: 'command', outcome: 'confident' };
    const before = await sample('talks_bot_interactions_total', confident);
    await fake.sendInteraction(askCommand('when was the second round held'));
    await fake.sendInteraction(askCommand('who won the 1998 world cup final'));
    await expect.poll(() => sample('talks_bot_interactions_total', confident)).toBe(before + 1);
    expect(
      await sample('talks_bot_interactions_total', { kind: 'command', outcome: 'not_found' }),
    ).toBeGreaterThanOrEqual(1);
    expect(await sample('talks_bot_first_response_seconds')).toBeGreaterThanOrEqual(2);
    expect(await sample('talks_bot_articles')).toBeGreaterThan(0);
    expect(await sample('talks_bot_sentences')).toBeGreaterThan(100);
    // Node's own process metrics come along.
    expect(await sample('talks_bot_process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('follow Prometheus naming, with no guild, channel or user id in any label', async () => {
    const families = parsePrometheusTextFormat((await get('/metrics')).text);
    const ours = families.filter((f) => f.name.startsWith('talks_bot_'));
    expect(ours.length).toBe(families.length);
    for (const family of ours) {
      if (family.type === 'COUNTER') expect(family.name, family.name).toMatch(/_total$/);
      for (const series of family.metrics) {
        for (const [label, value] of Object.entries(series.labels ?? {})) {
          expect(label, family.name).not.toMatch(/guild|channel|user/);
          expect(value, `${family.name}{${label}}`).not.toMatch(/^\d{17,20}$/);
        }
      }
    }
  });
});
