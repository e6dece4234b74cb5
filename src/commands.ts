/**
 * The command contract. A command module (in commands/) holds one command's
 * definition and its handlers; handlers take plain arguments and return a
 * Reply, so the same module runs under Discord and in the local console.
 */
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { Config } from './config.ts';
import type { Cooldown } from './cooldown.ts';
import type { Engine } from './engine.ts';
import type { KnowledgeLibrary } from './library.ts';
import type { Logger } from './logger.ts';
import type { Reply } from './reply.ts';
import type { Store } from './store/store.ts';
import { truncate } from './text.ts';

/** What every handler may use; nothing else is reachable from a command. */
export interface CommandContext {
  /** The current engine (a knowledge reload swaps it, so ask each time). */
  readonly engine: () => Engine;
  readonly config: Config;
  readonly logger: Logger;
  /** Live knowledge changes; absent where the folder is read-only (the CLI). */
  readonly library?: KnowledgeLibrary;
  /** Settings and feedback; absent in the console. */
  readonly store?: Store;
  readonly cooldowns?: { readonly ask: Cooldown };
}

/** An uploaded file option. */
export interface AttachmentArg {
  readonly name: string;
  readonly url: string;
  readonly size: number;
}

/** A command's arguments, whoever typed them. */
export interface CommandArgs {
  string(name: string): string | undefined;
  boolean(name: string): boolean | undefined;
  /** A user option: the id of the member picked. */
  user(name: string): string | undefined;
  /** A channel option: the channel's id. */
  channel?(name: string): string | undefined;
  attachment?(name: string): AttachmentArg | undefined;
  /** The subcommand used ("add" in /knowledge add), if the command has them. */
  subcommand?(): string | undefined;
}

/** The message a button or message command acts on. */
export interface TargetMessage {
  readonly id: string;
  readonly channelId: string;
  readonly authorId: string;
  readonly content: string;
  /** Whether the bot itself wrote it. */
  readonly fromBot: boolean;
  /** For the bot's answers: the question they answer. */
  readonly question?: string;
  readonly pinned: boolean;
}

/** Why a Discord action failed, in terms a command can explain to a member. */
export type DiscordFailure = 'missing-permission' | 'pin-limit' | 'unknown-message' | 'failed';

export class DiscordActionError extends Error {
  override readonly name = 'DiscordActionError';
  constructor(
    readonly failure: DiscordFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What commands may ask of Discord besides replying. Absent in the console. */
export interface DiscordActions {
  pin(channelId: string, messageId: string, reason: string): Promise<void>;
  /** Edits one of the bot's answers to show who pinned it. */
  markPinned(channelId: string, messageId: string, moderatorName: string): Promise<void>;
  /** Posts a reply to a member's message (a reply that references it). */
  replyTo(channelId: string, messageId: string, reply: Reply): Promise<void>;
  /** Downloads an attachment, refusing more than `maxBytes`. */
  download(url: string, maxBytes: number): Promise<Uint8Array>;
}

export interface Invocation {
  readonly args: CommandArgs;
  /** Who ran the command. */
  readonly userId: string;
  /** Display name of who ran it, for audit-log reasons. */
  readonly userName?: string;
  readonly guildId?: string;
  readonly channelId?: string;
  /** The member's permissions in this channel (Discord bitfield), in a server. */
  readonly memberPermissions?: bigint;
  readonly message?: TargetMessage;
  readonly discord?: DiscordActions;
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
  /**
   * Work may take longer than Discord's 3-second window (re-indexing): the
   * interaction is acknowledged first and the reply follows, visible only to
   * the member.
   */
  readonly slow?: boolean;
  /** Buttons this command puts on its replies, by button name. */
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
}

/** Button custom ids are "command:button:payload" (≤ 100 characters, Discord's limit). */
export function buttonId(command: string, button: string, payload: string): string {
  return truncate(`${command}:${button}:${payload}`, 100);
}

export function parseButtonId(
  customId: string,
): { command: string; button: string; payload: string } | undefined {
  const match = /^([^:]+):([^:]+):(.*)$/s.exec(customId);
  return match ? { command: match[1]!, button: match[2]!, payload: match[3]! } : undefined;
}
