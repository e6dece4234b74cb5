/**
 * `npm run knowledge -- add <url|file>`, `list`, `remove <id>`: the operator's
 * way to change the articles in KNOWLEDGE_DIR from the command line, with the
 * same checks as /knowledge in Discord. Exit status: 0 when it was done; 1
 * when the change was refused or failed (every reason on stderr, nothing
 * changed); 2 for a usage mistake (what was wrong, then the usage).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { exitWithError, readConfig } from './bootstrap.ts';
import { duplicateProblems, previewLink } from './engine/import-link.ts';
import { createLibrary, type ChangeResult } from './engine/library.ts';
import { openEngine } from './engine/open.ts';
import { createLogger } from './logger.ts';

const USAGE = `Usage:
  npm run knowledge -- add <https://…|file.md>   fetch a page (or read a file) and add its article
  npm run knowledge -- list                      the articles, one per line: id, sentences, title
  npm run knowledge -- remove <id>               remove an article by id (see list)
The folder is KNOWLEDGE_DIR (default: knowledge). Links may reach only public
addresses unless their host is in LINK_ALLOWED_HOSTS.
Exit status: 0 done, 1 refused or failed (nothing changed), 2 usage mistake.`;

const ACTIONS = ['add', 'list', 'remove'] as const;
type Action = (typeof ACTIONS)[number];

/** Exit 2: what was wrong with the command line, then how to use it. */
function usageError(problem: string): never {
  process.stderr.write(`${problem}\n\n${USAGE}\n`);
  process.exit(2);
}

/** The action and its one argument, or a usage error naming what was wrong. */
function readCommandLine(positionals: readonly string[]): { action: Action; target?: string } {
  const [action, target, ...extra] = positionals;
  if (action === undefined) usageError('No command given: use add, list or remove.');
  if (!(ACTIONS as readonly string[]).includes(action)) {
    usageError(`Unknown command "${action}": use add, list or remove.`);
  }
  if (action === 'add' && !target) usageError('add needs a link (https://…) or an article file.');
  if (action === 'remove' && !target) {
    usageError('remove needs an article id (npm run knowledge -- list shows them).');
  }
  const unexpected = action === 'list' ? [target, ...extra] : extra;
  const surplus = unexpected.filter((word) => word !== undefined);
  if (surplus.length > 0) {
    usageError(
      `Unexpected argument${surplus.length > 1 ? 's' : ''} after ${action}: ${surplus.join(' ')}`,
    );
  }
  return { action: action as Action, ...(target !== undefined && { target }) };
}

function fail(what: string, problems: readonly string[]): never {
  process.stderr.write(
    `${what} failed; nothing changed:\n${problems.map((p) => `  • ${p}`).join('\n')}\n`,
  );
  process.exit(1);
}

function report(result: ChangeResult, what: string): void {
  if (!result.ok) fail(what, result.problems);
  process.stdout.write(`${result.message}\n`);
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help) return void process.stdout.write(`${USAGE}\n`);
  const { action, target } = readCommandLine(parsed.positionals);

  const config = readConfig();
  const logger = createLogger({
    level: process.env.LOG_LEVEL ? config.logLevel : 'warn',
    stream: 'stderr',
  });
  const openWith = { cacheDir: config.dataDir, logger };
  const { engine } = await openEngine(config.knowledgeDir, openWith);
  const library = createLibrary(config.knowledgeDir, engine, openWith);

  if (action === 'list') {
    for (const a of engine.articles) {
      process.stdout.write(`${a.id}\t${a.sentenceCount}\t${a.title}\n`);
    }
    return;
  }
  if (action === 'remove') {
    if (!engine.articles.some((a) => a.id === target)) {
      fail('Removing the article', [
        `no article has the id "${target}" (npm run knowledge -- list shows the ids)`,
      ]);
    }
    return report(await library.remove(target!), 'Removing the article');
  }

  const refuse = { refuse: duplicateProblems };
  if (/^[a-z][a-z0-9+.-]*:/i.test(target!) && !/^[a-z]:[\\/]/i.test(target!)) {
    const result = await previewLink(target!, config.knowledgeDir, engine, {
      allowedHosts: config.linkAllowedHosts,
    });
    if (!result.ok) fail('Adding the article', result.problems);
    const { preview } = result;
    const { article } = preview;
    process.stderr.write(
      `${article.title}\n  ${[article.published, article.publisher, article.url].filter(Boolean).join(' · ')}\n  ${preview.sentences.length} sentences\n`,
    );
    return report(
      await library.add(
        { fileName: preview.fileName, bytes: new TextEncoder().encode(preview.text) },
        refuse,
      ),
      'Adding the article',
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(target!);
  } catch (error) {
    fail('Adding the article', [
      `${target} could not be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    ]);
  }
  report(await library.add({ fileName: basename(target!), bytes }, refuse), 'Adding the article');
}

main().catch(exitWithError);
