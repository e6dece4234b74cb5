/** Every setting the bot reads is documented where an operator looks for it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, SETTING_NAMES } from '../../src/config.ts';
import { ROOT } from '../helpers/run.ts';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('settings documentation', () => {
  it('lists every setting in .env.example, as a line to fill in', () => {
    const example = read('.env.example');
    for (const name of SETTING_NAMES) expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it("lists every setting in README's settings table", () => {
    const table = read('README.md').split('\n## Settings')[1]?.split('\n## ')[0] ?? '';
    for (const name of SETTING_NAMES)
      expect(table, name).toMatch(new RegExp(`^\\| \`${name}\``, 'm'));
  });

  it('.env.example as shipped is a valid configuration', () => {
    const values = Object.fromEntries(
      read('.env.example')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    expect(Object.keys(values).sort()).toEqual([...SETTING_NAMES].sort());
    expect(() => loadConfig(values)).not.toThrow();
  });
});
