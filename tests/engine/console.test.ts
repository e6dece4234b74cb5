/** The local console runs the same command modules as Discord. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/command/module.ts';
import { handleConsoleLine } from '../../src/console.ts';
import { loadRegistry, type CommandRegistry } from '../../src/command/registry.ts';
import { testContext } from '../helpers/commands.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';

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
    expect(await run('/source spiderweb')).toMatch(/no article matches/i);
    expect(await run('/source showstopping')).toMatch(/sentences indexed: \d+/);
    expect(await run('/help')).toMatch(/\/ask/);
  });

  it('says what it does not know, and quits on /quit', async () => {
    expect(await run('/frobnicate')).toMatch(/Unknown command \/frobnicate/);
    expect(await run('bitcoin price')).toMatch(/don't answer that/);
    expect(await run('/quit')).toBeNull();
    expect(await run('   ')).toBe('');
  });
});
