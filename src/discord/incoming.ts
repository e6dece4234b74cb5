/**
 * An interaction as the runtime sees it, whichever way it arrived: the
 * gateway (discord.js objects, gateway-incoming.ts) or the HTTP endpoint (raw
 * JSON, http-incoming.ts). Each transport has one parser that produces this;
 * everything after it (respond.ts) is shared.
 */
import type { ArgsByName } from '../runtime/module.ts';

/** A message a button or message command acts on, as both transports read it. */
export interface IncomingMessage {
  readonly id: string;
  readonly channelId: string;
  readonly authorId: string;
  readonly content: string;
  readonly pinned: boolean;
  /** Every button id on the message (the bot's answers carry their state there). */
  readonly buttonIds: readonly string[];
}

/** Who acted and where: the parts of an invocation that come from Discord. */
export interface IncomingInvocation {
  readonly args: ArgsByName;
  readonly userId: string;
  readonly userName?: string;
  readonly guildId?: string;
  readonly channelId?: string;
  readonly memberPermissions?: bigint;
  readonly message?: IncomingMessage;
}

interface Common {
  readonly id: string;
  /** The bot's own user id (= the application's id), to tell its own messages. */
  readonly botId: string | undefined;
  /** What the log calls it: the command name or the button's command:button. */
  readonly label: string;
  readonly userId: string;
  readonly guildId?: string;
}

export type Incoming = Common &
  (
    | { readonly kind: 'ping' }
    | {
        readonly kind: 'autocomplete';
        readonly command: string;
        readonly focused?: { readonly name: string; readonly value: string };
      }
    /** A slash command or a message command (its target in `invocation.message`). */
    | {
        readonly kind: 'command';
        readonly command: string;
        readonly invocation: IncomingInvocation;
      }
    | {
        readonly kind: 'button';
        readonly customId: string;
        readonly invocation: IncomingInvocation;
      }
    /** Anything else that expects a reply (a select menu, a modal): "I don't know that". */
    | { readonly kind: 'other' }
  );

/** The log label of a button: its command and button name, not its payload. */
export function buttonLabel(customId: string): string {
  return customId.split(':').slice(0, 2).join(':');
}
