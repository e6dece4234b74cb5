/**
 * `npm run knowledge -- add <url|file>`, `list`, `remove <id>`: the operator's
 * way to change the articles in KNOWLEDGE_DIR from the command line, with the
 * same checks as /knowledge in Discord. Exit status 0 when the change was
 * made; otherwise 1 with every reason on stderr (2 for a usage mistake).
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
addresses unless their host is in LINK_ALLOWED_HOSTS.`;

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
    process.stderr.write(`${error instanceof Error ? error.message : error}\n${USAGE}\n`);
    process.exit(2);
  }
  const [action, target, ...extra] = parsed.positionals;
  if (parsed.values.help) return void process.stdout.write(`${USAGE}\n`);
  const needsTarget = action === 'add' || action === 'remove';
  if (
    !['add', 'list', 'remove'].includes(action ?? '') ||
    (needsTarget && !target) ||
    extra.length > 0 ||
    (action === 'list' && target)
  ) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }

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
  if (action === 'remove') return report(await library.remove(target!), 'Removing the article');

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
