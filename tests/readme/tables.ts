/**
 * README tables generated from the code that decides them: who may do what
 * (runtime/permissions.ts) and who sees which reply (runtime/visibility.ts).
 * `npm run readme` writes them; the README test fails while they differ.
 */
import { format, resolveConfig } from 'prettier';
import { permissionsTable } from '../../src/runtime/permissions.ts';
import { visibilityTable } from '../../src/runtime/visibility.ts';
import { README_FILE } from './examples.ts';

const TABLES: Record<string, () => string> = {
  'permissions-table': permissionsTable,
  'visibility-table': visibilityTable,
};

const blockOf = (name: string) =>
  new RegExp(`(<!-- ${name} -->\\n+)[\\s\\S]*?(\\n*<!-- \\/${name} -->)`);

/** The README with every generated table as the code says it today; throws when a block is missing. */
export async function withGeneratedTables(readme: string): Promise<string> {
  const options = (await resolveConfig(README_FILE)) ?? {};
  let result = readme;
  for (const [name, table] of Object.entries(TABLES)) {
    const block = blockOf(name);
    if (!block.test(result)) throw new Error(`README.md has no <!-- ${name} --> block.`);
    const text = (await format(table(), { ...options, parser: 'markdown' })).trimEnd();
    result = result.replace(block, `<!-- ${name} -->\n\n${text}\n\n<!-- /${name} -->`);
  }
  return result;
}
