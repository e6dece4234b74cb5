/**
 * `npm run ask -- [--json] [--limit N] "question"` and
 * `npm run ask -- --json --stdin` (one question per line in, one JSON object
 * per line out, in order; logs go to stderr so stdout stays machine-readable).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { exitWithError, readConfig } from './bootstrap.ts';
import type { Config } from './config.ts';
import type { Engine } from './engine/engine.ts';
import { openKnowledge } from './engine/shared-knowledge.ts';
import { createLogger, type Logger } from './logger.ts';
import type { AnswerRequest } from './search/answer/answer.ts';
import { recordAnswerUse } from './confirmations/confirmations.ts';
import { LOCAL_SCOPE, openStore, type Store } from './store/store.ts';
import { CLI_SURFACE, renderAnswerText, styledFor } from './render/plain-text.ts';

const USAGE = `Usage:
  npm run ask -- "question"               readable answer with numbered citations
  npm run ask -- --json "question"        one JSON object
  npm run ask -- --json --stdin           one question per input line, one JSON line each
Options: --limit N (sentences per answer, default 3)`;

function parseCli(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        stdin: { type: 'boolean', default: false },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    exitWithError(`${error instanceof Error ? error.message : error}\n${USAGE}`);
  }
}

/** `--limit N` as an answer option override (none when not given). */
function parseLimit(value: string | undefined): { limit?: number } {
  if (value === undefined) return {};
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10) {
    exitWithError(`--limit must be a whole number from 1 to 10 (got "${value}").`);
  }
  return { limit };
}

const WITHOUT_CONFIRMATIONS = 'Answering from the articles, without the confirmed answers.';

/**
 * A store that cannot be used costs the confirmed answers, not the answer:
 * one plain line on stderr says so (the stack only at debug level).
 */
function storeUnavailable(logger: Logger, error: unknown): undefined {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${reason} ${WITHOUT_CONFIRMATIONS}\n`);
  logger.debug({ err: error }, WITHOUT_CONFIRMATIONS);
  return undefined;
}

/** The store, for the local scope's confirmed answers (and, with DATABASE_URL, the articles). */
async function openLocalStore(config: Config, logger: Logger): Promise<Store | undefined> {
  try {
    return await openStore(config, { logger });
  } catch (error) {
    return storeUnavailable(logger, error);
  }
}

async function answerStdin(engine: Engine, json: boolean, overrides: AnswerRequest): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const answer = engine.answer(line, overrides);
    process.stdout.write(
      json
        ? `${JSON.stringify(answer)}\n`
        : `${renderAnswerText(answer, styledFor(CLI_SURFACE, process.stdout))}\n\n`,
    );
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseCli(process.argv.slice(2));
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const overrides = parseLimit(values.limit);
  const question = positionals.join(' ').trim();
  if (!values.stdin && question.length === 0) exitWithError(`No question given.\n${USAGE}`);

  const config = readConfig();
  // Logs go to stderr, and only warnings by default: stdout is the answer.
  const logger = createLogger({
    level: process.env.LOG_LEVEL ? config.logLevel : 'warn',
    stream: 'stderr',
  });
  const store = await openLocalStore(config, logger);
  let engine: Engine;
  let request: AnswerRequest;
  try {
    const knowledge = await openKnowledge(config, store, { cacheDir: config.dataDir, logger });
    knowledge.stop();
    engine = knowledge.engine;
    const confirmations = await store?.confirmations
      .list(LOCAL_SCOPE)
      .catch((error: unknown) => storeUnavailable(logger, error));
    request = { ...overrides, ...(confirmations && { learned: engine.learn(confirmations) }) };
    if (values.stdin) {
      await store?.close();
      return answerStdin(engine, values.json, request);
    }
  } catch (error) {
    await store?.close();
    throw error;
  }

  const answer = engine.answer(question, request);
  // What it answered, and what it could not, for the local scope's `npm run knowledge --
  // learned | gaps` (a store that fails here costs nothing but that note).
  if (store) {
    await recordAnswerUse({ store, engine }, LOCAL_SCOPE, question, answer).catch(
      (error: unknown) =>
        logger.debug({ err: error }, 'Could not note how the question was answered'),
    );
    await store.close();
  }
  process.stdout.write(
    values.json
      ? `${JSON.stringify(answer)}\n`
      : `${renderAnswerText(answer, styledFor(CLI_SURFACE, process.stdout))}\n`,
  );
}

main().catch(exitWithError);
