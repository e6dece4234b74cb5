/**
 * Settings that only make sense together, and the messages that say what to
 * fix. (Every setting's documentation is checked in settings-docs.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const KEY = 'ab'.repeat(32);

function problem(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the settings to be refused');
}

describe('deployment settings', () => {
  it('defaults to the gateway, SQLite and no HTTP endpoint', () => {
    const config = loadConfig({});
    expect(config.gateway).toBe(true);
    expect(config).not.toHaveProperty('interactionsPort');
    expect(config).not.toHaveProperty('databaseUrl');
  });

  it('serves HTTP interactions only with the public key to check signatures', () => {
    expect(problem({ INTERACTIONS_PORT: '8080' })).toMatch(/DISCORD_PUBLIC_KEY: is needed/);
    expect(problem({ INTERACTIONS_PORT: '8080', DISCORD_PUBLIC_KEY: 'abc' })).toMatch(
      /DISCORD_PUBLIC_KEY: must be the Public Key/,
    );
    expect(problem({ INTERACTIONS_PORT: '70000', DISCORD_PUBLIC_KEY: KEY })).toMatch(
      /INTERACTIONS_PORT: must be a port number/,
    );
    const config = loadConfig({ INTERACTIONS_PORT: '8080', DISCORD_PUBLIC_KEY: KEY.toUpperCase() });
    expect(config).toMatchObject({ interactionsPort: 8080, discordPublicKey: KEY });
  });

  it('turns the gateway off only when something else serves', () => {
    expect(problem({ GATEWAY: 'false' })).toMatch(/GATEWAY: false leaves nothing to serve/);
    expect(problem({ GATEWAY: 'maybe' })).toMatch(/GATEWAY: must be true or false/);
    expect(
      loadConfig({ GATEWAY: 'off', INTERACTIONS_PORT: '0', DISCORD_PUBLIC_KEY: KEY }).gateway,
    ).toBe(false);
  });

  it('refuses an HTTP port in every shard process', () => {
    expect(problem({ SHARDS: '2', INTERACTIONS_PORT: '8080', DISCORD_PUBLIC_KEY: KEY })).toMatch(
      /INTERACTIONS_PORT: cannot be used with SHARDS.*GATEWAY=false/,
    );
  });

  it('takes a PostgreSQL URL as DATABASE_URL, and nothing else', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://bot:pw@db:5432/talks' }).databaseUrl).toBe(
      'postgres://bot:pw@db:5432/talks',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/talks' }).databaseUrl).toBe(
      'postgresql://db/talks',
    );
    expect(loadConfig({ DATABASE_URL: ' ' })).not.toHaveProperty('databaseUrl');
    expect(problem({ DATABASE_URL: 'mysql://db/talks' })).toMatch(
      /DATABASE_URL: must be a PostgreSQL URL/,
    );
  });
});
