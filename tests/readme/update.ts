/**
 * `npm run readme`: rewrites README's examples from what the commands print
 * and its quality table from `npm run eval`'s figures (tests/readme/examples.ts
 * says which blocks). tests/readme/readme.test.ts fails while they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { format, resolveConfig } from 'prettier';
import { consoleContext } from '../../src/runtime/context.ts';
import { loadRegistry } from '../../src/runtime/registry.ts';
import { loadConfig } from '../../src/config.ts';
import { openEngine } from '../../src/engine/open.ts';
import { measureQuality, qualityTable, type QualityFigures } from '../golden/report.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';
import {
  discordExamples,
  discordSketch,
  README_FILE,
  runExample,
  splice,
  transcripts,
  withHttpInstance,
} from './examples.ts';
import { withGeneratedTables } from './tables.ts';

const TABLE = /(<!-- quality-table -->\n+)[\s\S]*?(\n*<!-- \/quality-table -->)/;

/** The quality table as README holds it (prettier-formatted, so `format:check` passes). */
export async function formattedQualityTable(figures: QualityFigures): Promise<string> {
  const options = (await resolveConfig(README_FILE)) ?? {};
  return (await format(qualityTable(figures), { ...options, parser: 'markdown' })).trimEnd();
}

/** The quality table README shows now. */
export function readmeQualityTable(readme: string): string | undefined {
  const match = TABLE.exec(readme);
  return match?.[0].slice(match[1]!.length, -match[2]!.length);
}

export async function writeQualityTable(figures: QualityFigures): Promise<string> {
  const readme = readFileSync(README_FILE, 'utf8');
  if (!TABLE.test(readme)) throw new Error('README.md has no <!-- quality-table --> block.');
  const table = await formattedQualityTable(figures);
  writeFileSync(
    README_FILE,
    readme.replace(TABLE, `<!-- quality-table -->\n\n${table}\n\n<!-- /quality-table -->`),
  );
  return `README.md: quality table written`;
}

/** The README's examples as the code prints them today. */
export async function currentExamples(readme: string): Promise<string> {
  const replacements: { start: number; end: number; text: string }[] = [];
  for (const block of transcripts(readme)) {
    const run = async (env?: Record<string, string>) => {
      const lines: string[] = [];
      for (const { command } of block.commands) {
        lines.push(`$ ${command}`, await runExample(command, env));
      }
      return lines;
    };
    const lines = block.httpInstance ? await withHttpInstance(run) : await run();
    replacements.push({ start: block.start, end: block.end, text: `${lines.join('\n')}\n` });
  }
  const examples = discordExamples(readme);
  if (examples.length > 0) {
    const engine = (await openEngine(KNOWLEDGE_DIR, {})).engine;
    const registry = await loadRegistry();
    const context = consoleContext({
      config: loadConfig({}),
      logger: pino({ level: 'silent' }),
      engine: () => engine,
      registry,
    });
    for (const example of examples) {
      const text = await discordSketch(example.question, context);
      replacements.push({ start: example.start, end: example.end, text: `${text}\n` });
    }
  }
  return splice(readme, replacements);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readme = await currentExamples(readFileSync(README_FILE, 'utf8'));
  writeFileSync(README_FILE, await withGeneratedTables(readme));
  console.log('README.md: examples, permissions and visibility tables written');
  console.log(await writeQualityTable(await measureQuality(KNOWLEDGE_DIR)));
}
