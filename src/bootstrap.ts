/**
 * Start-up shared by every entry point (bot, console, CLI, deploy): settings
 * and how a start-up failure is reported.
 */
import dotenv from 'dotenv';
import { loadConfig, type Config } from './config.ts';

/** Reads .env (without overriding the real environment) and validates settings. */
export function readConfig(): Config {
  // quiet: dotenv would otherwise print a banner to stdout, where --json output goes.
  dotenv.config({ quiet: true });
  return loadConfig();
}

/** Prints a start-up failure in words and exits non-zero. */
export function exitWithError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
