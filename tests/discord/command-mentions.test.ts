/**
 * Every message names only commands that exist where it is shown. Read from
 * the string literals in the source (comments aside): Discord-facing code may
 * name the bot's registered commands and their subcommands; the engine, the
 * knowledge loader and the shared render code run in the terminal too, where
 * no slash command exists, so they name none. (The console and the CLI are
 * checked by running them: tests/engine/console.test.ts, cli.test.ts,
 * knowledge-cli.test.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord.js';
import { loadRegistry, type CommandRegistry } from '../../src/runtime/registry.ts';
import { ROOT } from '../helpers/run.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(ROOT, dir, file));
}

/** The text of every string and template literal in a TypeScript file. */
function stringLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      texts.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

/** "/knowledge list" in a message: the command and the word after it. */
const MENTION = /(?:^|[\s`'"(])\/([a-z][\w-]*)(?:\s+([a-z][a-z-]*))?/g;

function mentions(files: readonly string[]) {
  return files.flatMap((file) =>
    stringLiterals(file).flatMap((text) =>
      [...text.matchAll(MENTION)].map(([, name, next]) => ({
        where: `${relative(ROOT, file)}: "${text}"`,
        name: name!,
        next,
      })),
    ),
  );
}

let registry: CommandRegistry;
beforeAll(async () => {
  registry = await loadRegistry();
});

describe('commands named in messages', () => {
  it('Discord-facing messages name registered commands and their subcommands', () => {
    const discordFacing = [
      ...filesUnder('commands'),
      ...filesUnder('src/runtime'),
      ...filesUnder('src/confirmations'),
      ...filesUnder('src/discord'),
      // The feeds' notices (a paused feed) are posted in Discord too.
      ...filesUnder('src/feeds'),
      join(ROOT, 'src/render/discord.ts'),
    ];
    const found = mentions(discordFacing);
    expect(found.length).toBeGreaterThan(5);
    for (const { where, name, next } of found) {
      const command = registry.get(name);
      expect(command, where).toBeDefined();
      const options = 'options' in command!.definition ? (command!.definition.options ?? []) : [];
      const subcommands = options
        .filter((o) => o.type === ApplicationCommandOptionType.Subcommand)
        .map((o) => o.name);
      if (subcommands.length > 0 && next !== undefined && /^[a-z][a-z-]*$/.test(next)) {
        expect(subcommands, where).toContain(next);
      }
    }
  });

  it('the engine, the loader and the shared render code name no command', () => {
    const shared = [
      ...filesUnder('src/engine'),
      ...filesUnder('src/knowledge'),
      ...filesUnder('src/search'),
      ...['citations', 'clip', 'dates', 'disagreements', 'wording'].map((name) =>
        join(ROOT, `src/render/${name}.ts`),
      ),
    ];
    const named = mentions(shared).filter(({ name }) => registry.get(name) !== undefined);
    expect(named.map(({ where }) => where)).toEqual([]);
  });
});
