/**
 * `npm run knowledge -- add <url|file>`, `list`, `remove <id>`: the operator's
 * way to change the articles in KNOWLEDGE_DIR from the command line, with the
 * same checks as /knowledge in Discord, and `teach`, `learned`, `forget`
 * for the confirmed answers of the local scope (npm run ask and the
 * console use them). Exit status: 0 when it was done; 1
 * when the change was refused or failed (every reason on stderr, nothing
 * changed); 2 for a usage mistake (what was wrong, then the usage).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { exitWithError, readConfig } from './bootstrap.ts';
import { duplicateProblems, previewLink } from './engine/import-link.ts';
import type { ChangeResult } from './engine/library.ts';
import { openKnowledge, type OpenedKnowledge } from './engine/shared-knowledge.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { describeHow, describeUse, learnedEntries, teach } from './confirmations/teaching.ts';
import type { Engine } from './engine/engine.ts';
import { LOCAL_SCOPE } from './store/store.ts';
import { describeFeed } from './feeds/describe.ts';
import { instanceName } from './feeds/feed-service.ts';
import { followFeed } from './feeds/follow.ts';
import { pollDueFeeds } from './feeds/poll-feed.ts';
import { openStore, type Store } from './store/store.ts';

const USAGE = `Usage:
  npm run knowledge -- add <https://…|file.md>     fetch a page (or read a file) and add its article
  npm run knowledge -- list                        the articles, one per line: id, sentences, title
  npm run knowledge -- remove <id>                 remove an article by id (see list)
  npm run knowledge -- teach "<question>" <key|quote>
                                                   confirm the sentence that answers a question
  npm run knowledge -- learned                     the confirmed answers: id, question, sentence, key, how, use
  npm run knowledge -- forget <id>                 forget a confirmed answer (see learned)
  npm run knowledge -- gaps                        questions asked here that got no answer or an unsure one
  npm run knowledge -- follow <feed url> [--match "<words>"]
                                                   follow an RSS, Atom or JSON feed: add its new articles
                                                   that contain every word (without words: those on topic)
  npm run knowledge -- feeds                       the followed feeds: id, url, title, status, last poll, last new article
  npm run knowledge -- unfollow <id>               stop following a feed (see feeds)
  npm run knowledge -- poll                        poll every followed feed once, now
The folder is KNOWLEDGE_DIR (default: knowledge); confirmed answers are kept in
DATA_DIR and used by npm run ask and the console. With DATABASE_URL both live in
that database, and a change reaches every instance of the bot. Links and feeds may reach only
public addresses unless their host is in LINK_ALLOWED_HOSTS. The running bot polls feeds every
FEED_POLL_MINUTES and announces new articles in each server's news channel.
Exit status: 0 done, 1 refused or failed (nothing changed), 2 usage mistake.`;

const ACTIONS = [
  'add',
  'list',
  'remove',
  'teach',
  'learned',
  'forget',
  'gaps',
  'follow',
  'feeds',
  'unfollow',
  'poll',
] as const;
type Action = (typeof ACTIONS)[number];
const USE = 'use add, list, remove, teach, learned, forget, gaps, follow, feeds, unfollow or poll';

/** Exit 2: what was wrong with the command line, then how to use it. */
function usageError(problem: string): never {
  process.stderr.write(`${problem}\n\n${USAGE}\n`);
  process.exit(2);
}

/** How many arguments each action takes after its name. */
const ARITY: Readonly<Record<Action, number>> = {
  add: 1,
  list: 0,
  remove: 1,
  teach: 2,
  learned: 0,
  forget: 1,
  gaps: 0,
  follow: 1,
  feeds: 0,
  unfollow: 1,
  poll: 0,
};
const MISSING: Readonly<Record<Action, string>> = {
  add: 'add needs a link (https://…) or an article file.',
  list: '',
  remove: 'remove needs an article id (npm run knowledge -- list shows them).',
  teach: 'teach needs the question (in quotes) and the answer: a sentence key or a quote.',
  learned: '',
  forget: 'forget needs the id of a confirmed answer (npm run knowledge -- learned shows them).',
  gaps: '',
  follow: 'follow needs the address of an RSS, Atom or JSON feed (https://…).',
  feeds: '',
  unfollow: 'unfollow needs the id of a feed (npm run knowledge -- feeds shows them).',
  poll: '',
};

/** `follow <url> --match "<words>"` (or --match=<words>): the words, and the rest. */
function takeMatch(rest: readonly string[]): { match?: string; rest: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { match: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    const missingWords =
      (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
    usageError(
      missingWords
        ? '--match needs the words (in quotes).'
        : error instanceof Error
          ? error.message
          : String(error),
    );
  }
  const { match } = parsed.values;
  if (match !== undefined && match.trim() === '')
    usageError('--match needs the words (in quotes).');
  return { ...(match !== undefined && { match }), rest: parsed.positionals };
}

/** The action and its arguments, or a usage error naming what was wrong. */
function readCommandLine(positionals: readonly string[]): {
  action: Action;
  targets: string[];
  match?: string;
} {
  const [action, ...given] = positionals;
  if (action === undefined) usageError(`No command given: ${USE}.`);
  if (!(ACTIONS as readonly string[]).includes(action)) {
    usageError(`Unknown command "${action}": ${USE}.`);
  }
  const known = action as Action;
  const { match, rest } = known === 'follow' ? takeMatch(given) : { rest: given };
  const arity = ARITY[known];
  if (rest.length < arity || rest.slice(0, arity).some((word) => word.trim() === '')) {
    usageError(MISSING[known]);
  }
  const surplus = rest.slice(arity);
  if (surplus.length > 0) {
    usageError(
      `Unexpected argument${surplus.length > 1 ? 's' : ''} after ${action}: ${surplus.join(' ')}`,
    );
  }
  return { action: known, targets: rest, ...(match !== undefined && { match }) };
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

/** teach, learned and forget, in the local scope that npm run ask and the console use. */
async function confirmedAnswers(
  action: 'teach' | 'learned' | 'forget' | 'gaps',
  targets: readonly string[],
  engine: Engine,
  store: Store,
): Promise<void> {
  if (action === 'gaps') {
    const gaps = await store.gaps.list(LOCAL_SCOPE);
    // Lists go to stdout, tab-separated for scripts; an empty one is said on stderr.
    if (gaps.length === 0) process.stderr.write('No unanswered questions kept yet.\n');
    for (const gap of gaps) {
      const shown = gap.outcome === 'not-found' ? 'not found' : `shown: ${gap.shown ?? ''}`;
      process.stdout.write(`${gap.asked}\t${gap.question}\t${shown}\n`);
    }
    return;
  }
  if (action === 'learned') {
    const entries = await learnedEntries(engine, store, LOCAL_SCOPE);
    if (entries.length === 0) {
      process.stderr.write(
        'No confirmed answers yet. Teach one: npm run knowledge -- teach "<question>" "<sentence key or quote>"\n',
      );
    }
    for (const { confirmation: c, stale } of entries) {
      const notes = [
        describeHow(c),
        describeUse(c),
        ...(stale ? ['stale: the articles no longer hold it'] : []),
      ];
      process.stdout.write(
        `${c.id}\t${c.question}\t${c.sentence}\t${c.sentenceKey}\t${notes.join('; ')}\n`,
      );
    }
    return;
  }
  if (action === 'forget') {
    const id = Number(targets[0]);
    if (!Number.isInteger(id) || !(await store.confirmations.forget(LOCAL_SCOPE, id))) {
      fail('Forgetting', [
        `no confirmed answer has the id "${targets[0]}" (npm run knowledge -- learned shows them)`,
      ]);
    }
    process.stdout.write(`Forgotten: #${id}.\n`);
    return;
  }
  const [question = '', answer = ''] = targets;
  const outcome = await teach({ engine, store }, { scope: LOCAL_SCOPE, question, answer });
  if (!outcome.ok) {
    fail('Teaching', [
      outcome.problem,
      ...(outcome.choices ?? []).map((item) => `${item.key}  ${item.text}`),
    ]);
  }
  process.stdout.write(
    `Taught #${outcome.id}: "${question.trim()}" is answered by "${outcome.item.text}" (${outcome.item.key}).\n`,
  );
}

/**
 * Options come before the command; after it every argument is taken as it
 * is — a sentence key may start with "-" ("-cHoSpdJ-2").
 */
function splitCommandLine(argv: readonly string[]): { help: boolean; positionals: string[] } {
  const commandAt = argv.findIndex((arg) => !arg.startsWith('-'));
  const options = commandAt === -1 ? argv : argv.slice(0, commandAt);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...options],
      options: { help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  return {
    help: parsed.values.help,
    positionals: commandAt === -1 ? [] : argv.slice(commandAt),
  };
}

async function main(): Promise<void> {
  const { help, positionals } = splitCommandLine(process.argv.slice(2));
  if (help) return void process.stdout.write(`${USAGE}\n`);
  const { action, targets, match } = readCommandLine(positionals);

  const config = readConfig();
  const logger = createLogger({
    level: process.env.LOG_LEVEL ? config.logLevel : 'warn',
    stream: 'stderr',
  });
  // With DATABASE_URL the database holds the articles, and a change reaches every instance.
  const store = await openStore(config, { logger });
  try {
    const knowledge = await openKnowledge(config, store, { cacheDir: config.dataDir, logger });
    try {
      if (FEED_ACTIONS.has(action)) {
        await feedCommand(action, targets, match, knowledge, store, config, logger);
      } else {
        await change(action, targets, knowledge, store, config);
      }
      // An add answers at once from the extended index; the full build that
      // follows rewrites the index cache, so the next start need not rebuild.
      await knowledge.library.settled();
    } finally {
      knowledge.stop();
    }
  } finally {
    await store.close();
  }
}

const FEED_ACTIONS: ReadonlySet<Action> = new Set(['follow', 'feeds', 'unfollow', 'poll']);

/** follow, feeds, unfollow, poll: the followed feeds (README, "Following the news"). */
async function feedCommand(
  action: Action,
  targets: readonly string[],
  match: string | undefined,
  { library }: OpenedKnowledge,
  store: Store,
  config: Config,
  logger: Logger,
): Promise<void> {
  const fetch = { allowedHosts: config.linkAllowedHosts };
  const [target = ''] = targets;
  if (action === 'follow') {
    const result = await followFeed(
      { url: target, ...(match !== undefined && { match }) },
      store,
      fetch,
    );
    if (!result.ok) fail(`Following ${target}`, [result.problem]);
    const { feed } = result;
    process.stdout.write(
      `${result.created ? 'Following' : 'Already following'} #${feed.id} ${feed.title ?? feed.url} (${result.items} items now; words: ${feed.match ?? 'none, articles on topic'}). Run npm run knowledge -- poll to read it now, or the running bot does within FEED_POLL_MINUTES.\n`,
    );
    return;
  }
  if (action === 'feeds') {
    const feeds = await store.feeds.list();
    if (feeds.length === 0) {
      process.stderr.write(
        'No feeds followed yet. Follow one: npm run knowledge -- follow <feed url>\n',
      );
    }
    for (const feed of feeds)
      process.stdout.write(`${describeFeed(feed, Date.now()).join('\n')}\n`);
    return;
  }
  if (action === 'unfollow') {
    const id = Number(target);
    if (!Number.isInteger(id) || !(await store.feeds.unfollow(id))) {
      fail('Unfollowing', [
        `no feed has the id "${target}" (npm run knowledge -- feeds shows them)`,
      ]);
    }
    process.stdout.write(`No longer following #${id}; the articles it added stay.\n`);
    return;
  }
  // poll: every feed that is not paused, now, whatever its schedule.
  const reports = await pollDueFeeds(
    {
      store,
      library,
      logger,
      fetch,
      // FEED_POLL_MINUTES=0 means "not this instance", not "at once": space the next poll by the default.
      pollMinutes: config.feedPollMinutes || 30,
      holder: instanceName(),
    },
    true,
  );
  if (reports.length === 0)
    process.stderr.write('No feeds to poll (none followed, or all paused).\n');
  let failed = 0;
  for (const report of reports) {
    const what =
      report.outcome === 'failed'
        ? `failed: ${report.error}${report.paused ? ' (paused)' : ''}`
        : report.outcome === 'busy'
          ? 'being polled by another instance'
          : report.outcome === 'not-modified'
            ? 'unchanged'
            : `${report.added.length} added, ${report.skipped} skipped`;
    if (report.outcome === 'failed') failed++;
    process.stdout.write(`#${report.feedId}\t${what}\n`);
    for (const title of report.added) process.stdout.write(`  + ${title}\n`);
  }
  if (failed > 0) process.exitCode = 1;
}

async function change(
  action: Action,
  targets: readonly string[],
  { engine, library }: OpenedKnowledge,
  store: Store,
  config: Config,
): Promise<void> {
  if (action === 'teach' || action === 'learned' || action === 'forget' || action === 'gaps') {
    return confirmedAnswers(action, targets, engine, store);
  }
  const [target = ''] = targets;

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
    return report(await library.remove(target), 'Removing the article');
  }

  const refuse = { refuse: duplicateProblems };
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !/^[a-z]:[\\/]/i.test(target)) {
    const result = await previewLink(target, library.dir, engine, {
      allowedHosts: config.linkAllowedHosts,
    });
    if (!result.ok) fail(`Adding ${target}`, result.problems);
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
      `Adding ${target}`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(target);
  } catch (error) {
    fail(`Adding ${target}`, [
      `${target} could not be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    ]);
  }
  report(await library.add({ fileName: basename(target), bytes }, refuse), `Adding ${target}`);
}

main().catch(exitWithError);
