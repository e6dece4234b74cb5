/**
 * What an operator runs is compiled JavaScript (`npm run build`, run by
 * `npm install` and before `npm test`): the npm scripts start dist/ with plain
 * node, nothing in dist/ loads a TypeScript loader, and the compiled bot
 * starts and fails as the sources do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fixtures/fake-discord.ts';
import { runCommand } from '../helpers/run.ts';

const ROOT = join(import.meta.dirname, '../..');
const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;
const RUNTIME_SCRIPTS = ['start', 'console', 'ask', 'knowledge', 'deploy', 'invite', 'interact'];

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('compiled start', () => {
  it('every script an operator or member runs starts dist/ with plain node', () => {
    for (const name of RUNTIME_SCRIPTS) {
      expect(scripts[name], name).toMatch(/^node dist\/src\/[\w-]+\.js( --console)?$/);
    }
    expect(scripts.prepare).toMatch(/build/);
  });

  it('nothing in dist/ imports a TypeScript loader or a .ts file', () => {
    const files = readdirSync(join(ROOT, 'dist'), { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.js'),
    );
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const code = readFileSync(join(ROOT, 'dist', file), 'utf8');
      expect(code, file).not.toMatch(/from ['"]tsx|import\(['"]tsx|\.ts['"]\)?;?$/m);
    }
  });

  it('the compiled bot refuses a bad token with the same clear message', async () => {
    fake = await startFakeDiscord();
    const result = await runCommand(process.execPath, ['dist/src/main.js'], {
      env: { DISCORD_TOKEN: 'wrong.token.value', DISCORD_API_URL: fake.apiUrl },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Discord rejected DISCORD_TOKEN/);
  });

  it('the compiled CLI answers', async () => {
    const result = await runCommand(process.execPath, [
      'dist/src/cli.js',
      '--json',
      'who chaired the second meeting',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).answers[0].text).toMatch(/Fidan/);
  });
});
