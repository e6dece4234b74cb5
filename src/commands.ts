/**
 * The command contract. A command module (in commands/) holds one command's
 * definition and its handlers; handlers take plain arguments and return a
 * Reply, so the same module runs under Discord and in the local console.
 */
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { Config } from './config.ts';
import type { Engine } from './engine.ts';
import type { Logger } from './logger.ts';
import type { Reply } from './reply.ts';

/** What every handler may use; nothing else is reachable from a command. */
export interface CommandContext {
  /** The current engine (a knowledge reload swaps it, so ask each time). */
  readonly engine: () => Engine;
  readonly config: Config;
  readonly logger: Logger;
}

/** A command's arguments, whoever typed them. */
export interface CommandArgs {
  string(name: string): string | undefined;
  boolean(name: string): boolean | undefined;
  /** A user option: the id of the member picked. */
  user(name: string): string | undefined;
}

export interface Invocation {
  readonly args: CommandArgs;
  /** Who ran the command. */
  readonly userId: string;
  readonly guildId?: string;
  readonly channelId?: string;
}

/** An autocomplete choice: Discord shows `name` and submits `value`. */
export interface Choice {
  readonly name: string;
  readonly value: string;
}

/** A button press: `payload` is what the command put after its button name in the custom id. */
export type ButtonHandler = (
  payload: string,
  invocation: Invocation,
  context: CommandContext,
) => Reply | Promise<Reply>;

export interface CommandModule {
  /** Exactly what is sent to Discord when commands are deployed. */
  readonly definition: RESTPostAPIApplicationCommandsJSONBody;
  execute(invocation: Invocation, context: CommandContext): Reply | Promise<Reply>;
  /** Choices for the focused option while the member types. */
  autocomplete?(option: { name: string; value: string }, context: CommandContext): Choice[];
  /** Buttons this command puts on its replies, by button name. */
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
}

/** Button custom ids are "command:button:payload" (≤ 100 characters, Discord's limit). */
export function buttonId(command: string, button: string, payload: string): string {
  return `${command}:${button}:${payload}`.slice(0, 100);
}

export function parseButtonId(
  customId: string,
): { command: string; button: string; payload: string } | undefined {
  const match = /^([^:]+):([^:]+):(.*)$/s.exec(customId);
  return match ? { command: match[1]!, button: match[2]!, payload: match[3]! } : undefined;
}
