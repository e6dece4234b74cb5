/** The local console runs the same command modules as Discord, and says only what works there. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleContext } from '../../src/runtime/context.ts';
import { loadConfig } from '../../src/config.ts';
import { LOCAL_SCOPE } from '../../src/store/store.ts';
import { openStore } from '../../src/store/store.ts';
import type { CommandContext } from '../../src/runtime/module.ts';
import { consoleCommands, handleConsoleLine } from '../../src/console.ts';
import { loadRegistry, type CommandRegistry } from '../../src/runtime/registry.ts';
import { testContext } from '../helpers/commands.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';
import { runCommand } from '../helpers/run.ts';

let registry: CommandRegistry;
let context: CommandContext;
beforeAll(async () => {
  const engine = await openTestEngine(KNOWLEDGE_DIR);
  registry = await loadRegistry();
  context = testContext(() => engine, registry);
});
const run = (line: string) => handleConsoleLine(registry, context, line);

describe('console', () => {
  it('answers plain text and /ask alike, with numbered citations', async () => {
    const plain = await run('how many drones were smuggled');
    expect(plain).toMatch(/^1\. .*117.*\[1\]/m);
    expect(await run('/ask how many drones were smuggled')).toBe(plain);
  });

  it('lists sources, shows one source, and explains itself', async () => {
    expect(await run('/sources')).toMatch(/^1\. .* — \d+ sentences/m);
    expect(await run('/source spiderweb')).toMatch(/no article matches.*\/sources/i);
    expect(await run('/source showstopping')).toMatch(/sentences indexed: \d+/);
    const help = await run('/help');
    for (const name of ['ask', 'sources', 'source', 'timeline', 'help', 'quit']) {
      expect(help).toMatch(new RegExp(`^ {2}/${name}\\b`, 'm'));
    }
  });

  it('asks for a question when /ask comes bare', async () => {
    expect(await run('/ask')).toMatch(/^What would you like to know\?/);
  });

  it('says a Discord-only command works in Discord, and how to do it from a terminal', async () => {
    const knowledge = await run('/knowledge list');
    expect(knowledge).toMatch(/works only in Discord/);
    expect(knowledge).toMatch(/npm run knowledge -- list/);
    expect(knowledge).not.toMatch(/Manage Server/);
    expect(await run('/settings')).toMatch(/works only in Discord/);
  });

  it('says what it does not know, and quits on /quit', async () => {
    expect(await run('/frobnicate')).toMatch(/Unknown command \/frobnicate/);
    expect(await run('bitcoin price')).toMatch(/don't answer that/);
    expect(await run('/quit')).toBeNull();
    expect(await run('   ')).toBe('');
  });

  it('answers with the confirmed answers of the local scope (npm run knowledge -- teach)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-console-'));
    const store = await openStore({ dataDir });
    try {
      const engine = context.engine();
      const [taught] = engine.sentencesQuoting('The second round of direct talks took place');
      await store.confirmations.confirm({
        scope: LOCAL_SCOPE,
        question: 'when did the second round of talks happen',
        sentenceKey: taught!.key,
        sentence: taught!.text,
        verdict: 'right',
        how: 'teach',
      });
      const local = consoleContext({
        config: loadConfig({}),
        logger: pino({ level: 'silent' }),
        engine: () => engine,
        registry,
        store,
      });
      const output = await handleConsoleLine(
        registry,
        local,
        'when did the second round of talks take place',
      );
      expect(output).toMatch(new RegExp(`^1\\. ${taught!.text.slice(0, 30)}`, 'm'));
      expect(output).toMatch(/^✓ a confirmed answer/m);
      // Another scope (a server) never shows through here, and no store means no confirmations.
      expect(await run('when did the second round of talks take place')).not.toMatch(/confirmed/);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('names only commands that work here, and shows no raw Discord markdown', async () => {
    const here = new Set([...consoleCommands(registry).map((c) => c.definition.name), 'help']);
    here.add('quit');
    // Every registered command, bare and with text, plus answers of each outcome.
    const lines = [
      ...registry.all.flatMap(({ definition }) => [
        `/${definition.name}`,
        `/${definition.name} zzz`,
      ]),
      '/timeline',
      'how many drones were smuggled into russia',
      'who is hakan fidan',
      'how do I bake sourdough bread',
      'what do the articles say about the 1,000 prisoners',
      '/help',
    ];
    for (const line of lines) {
      const output = (await run(line)) ?? '';
      const typed = /^\/(\S+)/.exec(line)?.[1];
      for (const [, named] of output.matchAll(/(?:^|[\s(])\/([a-z][\w-]*)/gm)) {
        if (named === typed) continue; // echoing what the member typed is fine
        expect(here.has(named!), `"${line}" names /${named}:\n${output}`).toBe(true);
      }
      expect(output, line).not.toMatch(/\*\*|__|`|\\[*_`~]/);
    }
  });
});

describe('npm run console in a terminal', () => {
  it('quits cleanly: no spinner frame or other stray character is left behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-console-'));
    try {
      // `script` gives npm and the console a real terminal, as a person has, and records every byte.
      const { code, stdout } = await runCommand(
        'script',
        ['-q', '-e', '-c', 'npm run console', '/dev/null'],
        { input: '/quit\n', env: { DATA_DIR: dataDir, TERM: 'xterm-256color', LANG: 'C.UTF-8' } },
      );
      expect(code).toBe(0);
      expect(stdout).toMatch(/Type a question about the Istanbul peace talks/);
      // npm's spinner is drawn with braille frames (⠋⠙⠹…) around a script run.
      expect(stdout).not.toMatch(/[\u2800-\u28ff]/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
