/**
 * Engine first, Discord second: the engine, the knowledge loader, search and
 * feeds never load discord.js (type-only imports are erased when compiled).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.ts';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** `import … from 'discord.js'` (or a dynamic import) that is not `import type`. */
const LOADS_DISCORD =
  /^\s*import\s+(?!type\b)[^;]*?from\s+['"]discord\.js['"]|import\(\s*['"]discord\.js['"]\s*\)/m;

describe('module boundaries', () => {
  it('src/engine, src/knowledge, src/search and src/feeds never load discord.js', () => {
    const files = ['src/engine', 'src/knowledge', 'src/search', 'src/feeds'].flatMap(sources);
    expect(files.length).toBeGreaterThan(30);
    const loading = files.filter((file) =>
      LOADS_DISCORD.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(loading).toEqual([]);
  });

  it('the check sees a run-time import and lets a type-only one pass', () => {
    expect(LOADS_DISCORD.test("import { Routes } from 'discord.js';")).toBe(true);
    expect(LOADS_DISCORD.test("import {\n  Routes,\n  REST,\n} from 'discord.js';")).toBe(true);
    expect(LOADS_DISCORD.test("const d = await import('discord.js');")).toBe(true);
    expect(LOADS_DISCORD.test("import type { APIEmbed } from 'discord.js';")).toBe(false);
  });
});
