/**
 * The command contract. A command module (in commands/) holds one command's
 * definition and its handlers; handlers take plain arguments and return a
 * Reply, so the same module runs under Discord and in the local console.
 *
 * Definitions are written `as const satisfies CommandDefinition`, and
 * `defineCommand` derives the handlers' argument names from them: a typo in
 * `args.string('questoin')` does not compile.
 */
import type {
  ApplicationCommandOptionType,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../config.ts';
import type { Engine } from '../engine/engine.ts';
import type { KnowledgeLibrary } from '../engine/library.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import type { Cooldown } from './cooldown.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Reply } from './reply.ts';

/** Discord's JSON types, readonly all the way down so `as const` definitions satisfy them. */
type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Exactly what is sent to Discord when commands are deployed. */
export type CommandDefinition =
  | DeepReadonly<RESTPostAPIChatInputApplicationCommandsJSONBody>
  | DeepReadonly<RESTPostAPIContextMenuApplicationCommandsJSONBody>;

/** Every option of a definition, subcommands' options included. */
type OptionOf<T> = T extends { readonly options?: readonly (infer O)[] } ? O | OptionOf<O> : never;
/** The names of a definition's options of one type ("question" for /ask's string option). */
type OptionNames<D, Type extends ApplicationCommandOptionType> =
  Extract<OptionOf<D>, { readonly type: Type }> extends { readonly name: infer N extends string }
    ? N
    : never;

/** What every handler may use; nothing else is reachable from a command. */
export interface CommandContext {
  /** The current engine (a knowledge reload swaps it, so ask each time). */
  readonly engine: () => Engine;
  readonly config: Config;
  readonly logger: Logger;
  /** The commands this bot registers (what /help lists). */
  readonly commands: () => readonly CommandDefinition[];
  /** Live knowledge changes; absent where the folder is read-only (the CLI). */
  readonly library?: KnowledgeLibrary;
  /** Settings, feedback and confirmed answers; in the console, only the confirmed answers are read. */
  readonly store?: Store;
  /**
   * Whose confirmed answers apply when an invocation has no server: the
   * console's and CLI's own (LOCAL_SCOPE); undefined in Discord (a DM uses none).
   */
  readonly localScope?: string;
  readonly cooldowns?: { readonly ask: Cooldown };
  /** Counters for the operator (ops/metrics.ts); absent in the console and CLI. */
  readonly metrics?: Metrics;
}

/** An uploaded file option. */
export interface AttachmentArg {
  readonly name: string;
  readonly url: string;
  readonly size: number;
}

/**
 * A command's arguments, whoever typed them. `D` is the command's definition;
 * each getter accepts only the names of that definition's options of its type.
 */
export interface CommandArgs<D> {
  string(name: OptionNames<D, ApplicationCommandOptionType.String>): string | undefined;
  boolean(name: OptionNames<D, ApplicationCommandOptionType.Boolean>): boolean | undefined;
  /** A user option: the id of the member picked. */
  user(name: OptionNames<D, ApplicationCommandOptionType.User>): string | undefined;
  /** A channel option: the channel's id. */
  channel(name: OptionNames<D, ApplicationCommandOptionType.Channel>): string | undefined;
  attachment(
    name: OptionNames<D, ApplicationCommandOptionType.Attachment>,
  ): AttachmentArg | undefined;
  /** The subcommand used ("add" in /knowledge add), if the command has them. */
  subcommand(): OptionNames<D, ApplicationCommandOptionType.Subcommand> | undefined;
}

/** Arguments as the runtime reads them: by any name (the handler's types checked the names). */
export interface ArgsByName {
  string(name: string): string | undefined;
  boolean(name: string): boolean | undefined;
  user(name: string): string | undefined;
  channel(name: string): string | undefined;
  attachment(name: string): AttachmentArg | undefined;
  subcommand(): string | undefined;
}

/** The message a button or message command acts on. */
export interface TargetMessage {
  readonly id: string;
  readonly channelId: string;
  readonly authorId: string;
  readonly content: string;
  /** Whether the bot itself wrote it. */
  readonly fromBot: boolean;
  /**
   * For the bot's answers: the id of the question they answer (from their
   * buttons); the text is kept in the store (confirmations' `askedQuestion`).
   */
  readonly questionId?: string;
  /** For the bot's answers: the keys of their sentences, first first. */
  readonly answerKeys?: readonly string[];
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
  /** Deletes one of the bot's messages. */
  deleteMessage(channelId: string, messageId: string): Promise<void>;
  /** Posts a reply to a member's message (a reply that references it). */
  replyTo(channelId: string, messageId: string, reply: Reply): Promise<void>;
  /** Posts a message in a channel or thread. */
  post(channelId: string, reply: Reply): Promise<void>;
  /** Starts a public thread from a message; resolves to the thread's id. */
  startThread(channelId: string, messageId: string, name: string): Promise<string>;
  /** Downloads an attachment, refusing more than `maxBytes`. */
  download(url: string, maxBytes: number): Promise<Uint8Array>;
}

export interface Invocation<Args = ArgsByName> {
  readonly args: Args;
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

/** A command's handlers, typed by its definition. */
export interface CommandHandlers<D extends CommandDefinition> {
  execute(invocation: Invocation<CommandArgs<D>>, context: CommandContext): Reply | Promise<Reply>;
  /**
   * Choices for the focused option while the member types. `quick`: the bot
   * is busy, so only what is cheap (word completions, no previews).
   */
  autocomplete?(
    option: {
      name: OptionNames<D, ApplicationCommandOptionType.String>;
      value: string;
      quick?: boolean;
      /** The server it is typed in (none in a DM). */
      guildId?: string;
    },
    context: CommandContext,
  ): Choice[] | Promise<Choice[]>;
  /**
   * Work may take longer than Discord's 3-second window (re-indexing): the
   * interaction is acknowledged first and the reply follows, visible only to
   * the member.
   */
  readonly slow?: boolean;
  /**
   * Runs in the local console too: it needs nothing but the engine (no store,
   * no Discord, no knowledge changes). The console offers only these.
   */
  readonly console?: boolean;
  /** Buttons this command puts on its replies, by button name. */
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
}

/** A command as the registry, the bot and the console see it. */
export interface CommandModule {
  readonly definition: CommandDefinition;
  execute(invocation: Invocation, context: CommandContext): Reply | Promise<Reply>;
  autocomplete?(
    option: { name: string; value: string; quick?: boolean; guildId?: string },
    context: CommandContext,
  ): Choice[] | Promise<Choice[]>;
  readonly slow?: boolean;
  readonly console?: boolean;
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
}

/** Binds handlers to their definition; the arguments they read are checked against it. */
export function defineCommand<const D extends CommandDefinition>(
  definition: D,
  handlers: CommandHandlers<D>,
): CommandModule {
  // The runtime reads arguments by name; the handlers' types already checked the names.
  return { ...(handlers as unknown as Omit<CommandModule, 'definition'>), definition };
}
