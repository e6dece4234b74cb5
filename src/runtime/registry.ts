/**
 * The command registry: every module in commands/ that exports `command`.
 * Loaded by the bot, the console and the deploy script alike.
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CommandModule } from './module.ts';

export const COMMANDS_DIR = fileURLToPath(new URL('../../commands', import.meta.url));

export interface CommandRegistry {
  get(name: string): CommandModule | undefined;
  readonly all: readonly CommandModule[];
}

function isCommandModule(value: unknown): value is CommandModule {
  const candidate = value as Partial<CommandModule> | undefined;
  return typeof candidate?.definition?.name === 'string' && typeof candidate.execute === 'function';
}

export function createRegistry(commands: readonly CommandModule[]): CommandRegistry {
  const byName = new Map<string, CommandModule>();
  for (const command of commands) {
    if (byName.has(command.definition.name)) {
      throw new Error(`Two command modules define "${command.definition.name}".`);
    }
    byName.set(command.definition.name, command);
  }
  return { get: (name) => byName.get(name), all: [...byName.values()] };
}

/** Imports every command module in `dir`; a file without a valid `command` export is an error. */
export async function loadRegistry(dir = COMMANDS_DIR): Promise<CommandRegistry> {
  const files = (await readdir(dir))
    .filter((file) => ['.ts', '.js'].includes(extname(file)) && !file.endsWith('.d.ts'))
    .sort();
  const commands = await Promise.all(
    files.map(async (file) => {
      const module = (await import(pathToFileURL(join(dir, file)).href)) as { command?: unknown };
      if (!isCommandModule(module.command)) {
        throw new Error(
          `${join(dir, file)} must export "command" with a definition and execute().`,
        );
      }
      return module.command;
    }),
  );
  return createRegistry(commands);
}
