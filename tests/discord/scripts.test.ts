/** npm start with a bad token, npm run deploy and npm run invite, as real processes. */
import { PermissionFlagsBits } from 'discord.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fixtures/fake-discord.ts';
import { runScript } from '../helpers/run.ts';
import { validateCommandDefinition } from './definition-rules.ts';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('npm start', () => {
  it('exits non-zero with a clear message when Discord rejects the token', async () => {
    fake = await startFakeDiscord();
    const result = await runScript('src/main.ts', [], {
      env: { DISCORD_TOKEN: 'wrong.token.value', DISCORD_API_URL: fake.apiUrl },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Discord rejected DISCORD_TOKEN/);
    expect(result.stderr).toMatch(/Reset Token/);
  });

  it('connects with a good token and exits 0 on SIGTERM', async () => {
    fake = await startFakeDiscord();
    const f = fake;
    const result = await runScript('src/main.ts', [], {
      env: { DISCORD_TOKEN: f.token, DISCORD_API_URL: f.apiUrl, LOG_LEVEL: 'info' },
      onSpawn: (child) => {
        f.waitForGatewayEvent((e) => e.type === 'ready', 20_000).then(
          () => setTimeout(() => child.kill('SIGTERM'), 200),
          () => child.kill('SIGKILL'),
        );
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Connected to Discord/);
    expect(result.stdout).toMatch(/Shutting down/);
  });

  it('explains a malformed setting before connecting', async () => {
    const result = await runScript('src/main.ts', [], {
      env: { DISCORD_TOKEN: 'not-a-token', DISCORD_GUILD_ID: 'my server' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DISCORD_TOKEN: does not look like a bot token/);
    expect(result.stderr).toMatch(/DISCORD_GUILD_ID: must be a server id/);
  });
});

describe('start-up storage checks', () => {
  it('stops with a clear message when the database file is corrupt, leaving it untouched', async () => {
    fake = await startFakeDiscord();
    const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-corrupt-'));
    const garbage = 'this is not a database\n'.repeat(100);
    writeFileSync(join(dataDir, 'talks-bot.sqlite3'), garbage);
    const result = await runScript('src/main.ts', [], {
      env: { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not a valid database/);
    expect(result.stderr).toContain(join(dataDir, 'talks-bot.sqlite3'));
    expect(readFileSync(join(dataDir, 'talks-bot.sqlite3'), 'utf8')).toBe(garbage);
    expect(fake.identifies).toEqual([]);
  });

  it('stops with a clear message when DATA_DIR is not a folder', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'talks-bot-file-')), 'not-a-folder');
    writeFileSync(file, 'x');
    const result = await runScript('src/main.ts', [], {
      env: { DISCORD_TOKEN: 'a.b.c', DATA_DIR: file },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(/DATA_DIR/);
  });
});

describe('npm run deploy', () => {
  it('bulk-overwrites valid definitions in the configured guild', async () => {
    fake = await startFakeDiscord();
    const guildId = fake.guilds[0]!.id;
    const result = await runScript('src/deploy.ts', [], {
      env: { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guildId },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Deployed \\d+ commands to server ${guildId}`));
    const put = fake.requests.find(
      (r) => r.method === 'PUT' && r.route.endsWith(`/guilds/${guildId}/commands`),
    );
    expect(put?.route).toBe(`/applications/${fake.applicationId}/guilds/${guildId}/commands`);
    const body = put?.body as { name: string }[];
    expect(body.map((c) => c.name)).toEqual(
      expect.arrayContaining(['ask', 'sources', 'source', 'help']),
    );
    for (const definition of body)
      expect(validateCommandDefinition(definition), definition.name).toEqual([]);
  });

  it('deploys globally without DISCORD_GUILD_ID', async () => {
    fake = await startFakeDiscord();
    const result = await runScript('src/deploy.ts', [], {
      env: { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/globally/);
    expect(
      fake.requests.some(
        (r) => r.method === 'PUT' && r.route === `/applications/${fake!.applicationId}/commands`,
      ),
    ).toBe(true);
  });
});

describe('npm run invite', () => {
  it('prints the OAuth2 link with both scopes and the bot permissions', async () => {
    const applicationId = '123456789012345678';
    const token = `${Buffer.from(applicationId).toString('base64')}.GhIjKl.${'x'.repeat(27)}`;
    const result = await runScript('src/invite.ts', [], { env: { DISCORD_TOKEN: token } });
    expect(result.code).toBe(0);
    const url = new URL(result.stdout.split('\n')[0]!);
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe(applicationId);
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    const permissions = BigInt(url.searchParams.get('permissions') ?? '0');
    expect(permissions & PermissionFlagsBits.PinMessages).toBe(PermissionFlagsBits.PinMessages);
    expect(permissions & PermissionFlagsBits.SendMessages).toBe(PermissionFlagsBits.SendMessages);
    expect(permissions & PermissionFlagsBits.Administrator).toBe(0n);
    expect(result.stdout).toMatch(/Pin Messages: /);
  });

  it('takes the application id instead of a token, and says what it needs without either', async () => {
    const applicationId = '123456789012345678';
    const given = await runScript('src/invite.ts', [applicationId]);
    expect(given.code).toBe(0);
    expect(new URL(given.stdout.split('\n')[0]!).searchParams.get('client_id')).toBe(applicationId);
    const neither = await runScript('src/invite.ts');
    expect(neither.code).toBe(1);
    expect(neither.stderr).toMatch(/DISCORD_TOKEN.*npm run invite -- <application id>/);
    const wrong = await runScript('src/invite.ts', ['my-bot']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/not an application id/);
  });
});
