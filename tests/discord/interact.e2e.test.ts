/**
 * `npm run interact` against a real HTTP interactions endpoint: the key pair
 * it makes is what the endpoint trusts, its requests are signed as Discord
 * signs them, and what it prints is what a member would see. A key the
 * endpoint does not trust is refused with 401, and the tool says how to fix it.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botContext } from '../../src/runtime/context.ts';
import { loadRegistry } from '../../src/runtime/registry.ts';
import { loadConfig } from '../../src/config.ts';
import { createRest } from '../../src/discord/application.ts';
import {
  startHttpInteractions,
  type HttpInteractions,
} from '../../src/discord/http-interactions.ts';
import { createLibrary } from '../../src/engine/library.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { startFakeDiscord, type FakeDiscord } from '../fixtures/fake-discord.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';
import { runScript } from '../helpers/run.ts';

let fake: FakeDiscord;
let endpoint: HttpInteractions;
let store: Store;
let dir: string;
const keyFile = () => join(dir, 'interact-key.pem');
const interact = (...args: string[]) =>
  runScript('src/interact.ts', ['--url', endpoint.url, ...args], { env: { DATA_DIR: dir } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'talks-bot-interact-'));
  const made = await runScript('src/interact.ts', ['keygen'], { env: { DATA_DIR: dir } });
  expect(made.code, made.stderr).toBe(0);
  const publicKey = /public key: ([0-9a-f]{64})/.exec(made.stdout)?.[1];
  expect(publicKey).toBeDefined();

  fake = await startFakeDiscord();
  const logger = pino({ level: 'silent' });
  const config = loadConfig({ DATA_DIR: dir, ASK_COOLDOWN_SECONDS: '0' });
  store = await openStore(config);
  const registry = await loadRegistry();
  const library = createLibrary(KNOWLEDGE_DIR, await openTestEngine(KNOWLEDGE_DIR));
  endpoint = await startHttpInteractions({
    port: 0,
    host: '127.0.0.1',
    publicKey: publicKey!,
    registry,
    context: botContext({ config, logger, library, store, registry }),
    logger,
    rest: createRest(fake.apiUrl, fake.token),
  });
});
afterAll(async () => {
  await endpoint?.close();
  await store?.close();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run interact', () => {
  it('keygen writes a private key only its owner can read, and a second run keeps it', async () => {
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const again = await runScript('src/interact.ts', ['keygen'], { env: { DATA_DIR: dir } });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Using the private key/);
  });

  it('sends a signed PING and prints the PONG', async () => {
    const { code, stdout, stderr } = await interact('ping');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^PONG/);
  });

  it('asks a question as a member and prints the public answer with its buttons', async () => {
    const { code, stdout } = await interact('ask', 'how many drones were smuggled into russia');
    expect(code).toBe(0);
    expect(stdout).toMatch(/117 drones/);
    expect(stdout).toMatch(/\[Sources\]/);
    expect(stdout).not.toMatch(/only you see this/);
  });

  it('shows a private reply as private, and an option given by name', async () => {
    const { code, stdout } = await interact(
      'ask',
      'question:who chaired the second meeting',
      'hide:true',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\(only you see this\)\n.*Fidan/s);
  });

  it('lists what the question box suggests while typing', async () => {
    const { code, stdout } = await interact('--autocomplete', 'ask', 'prisoner exch');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').length).toBeGreaterThan(1);
  });

  it('says a slow command was deferred and that its answer goes to Discord', async () => {
    const { code, stdout } = await interact('--moderator', 'knowledge', 'list');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Deferred/);
  });

  it('refuses a command line it cannot send with exit 2, naming what is missing', async () => {
    const missing = await interact('knowledge');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs one of: add, list/);
    const unknown = await interact('weather');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "weather"/);
  });

  it('a key the endpoint does not trust gets 401, and the tool names the key to start it with', async () => {
    const other = join(dir, 'other.pem');
    await runScript('src/interact.ts', ['keygen', '--key', other], { env: { DATA_DIR: dir } });
    const { code, stderr } = await interact('--key', other, 'ping');
    expect(code).toBe(1);
    expect(stderr).toMatch(/refused the signature \(401\).*DISCORD_PUBLIC_KEY=[0-9a-f]{64}/);
  });

  it('says when nothing answers at the address', async () => {
    const { code, stderr } = await runScript(
      'src/interact.ts',
      ['--url', 'http://127.0.0.1:1/interactions', 'ping'],
      { env: { DATA_DIR: dir } },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/Nothing answered at http:\/\/127\.0\.0\.1:1\/interactions/);
  });
});
