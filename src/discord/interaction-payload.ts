/**
 * Interactions as Discord POSTs them to an HTTP interactions endpoint, built
 * from a command's own definition and what a member typed: a PING, a slash
 * command, or the autocomplete request for one of its options. Used by
 * `npm run interact` to talk to a local HTTP-only instance.
 */
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionType,
  PermissionFlagsBits,
} from 'discord.js';
import type { CommandDefinition } from '../runtime/module.ts';

/** Discord's epoch (2015-01-01): a snowflake's top bits are milliseconds since it. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** A snowflake made now, so the endpoint's overload guard sees a fresh interaction. */
export function snowflakeNow(): string {
  const ms = BigInt(Date.now()) - DISCORD_EPOCH_MS;
  return ((ms << 22n) | BigInt(randomBytes(2).readUInt16BE() & 0xfff)).toString();
}

/** Who sends the interaction, and where from; fixed ids make a local test's data easy to find. */
export interface Sender {
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly userId: string;
  readonly userName: string;
  /** A moderator: Manage Server, Manage Messages and Pin Messages. */
  readonly moderator: boolean;
}

export const LOCAL_SENDER: Sender = {
  applicationId: '100000000000000000',
  guildId: '100000000000000010',
  channelId: '100000000000000020',
  userId: '100000000000000030',
  userName: 'local-tester',
  moderator: false,
};

const MODERATOR =
  PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageMessages | (1n << 51n);

type RawOption = {
  name: string;
  type: number;
  value?: unknown;
  focused?: boolean;
  options?: RawOption[];
};
type DefinedOption = NonNullable<
  Extract<CommandDefinition, { readonly options?: unknown }>['options']
>[number];

/** A usage mistake in what was typed, said in the member's terms. */
export class PayloadError extends Error {}

function envelope(sender: Sender, type: InteractionType): Record<string, unknown> {
  return {
    id: snowflakeNow(),
    application_id: sender.applicationId,
    type,
    token: randomBytes(24).toString('base64url'),
    version: 1,
  };
}

export function pingPayload(sender: Sender = LOCAL_SENDER): Record<string, unknown> {
  return envelope(sender, InteractionType.Ping);
}

/** The option's value as Discord sends it: numbers as numbers, booleans as booleans, the rest as text. */
function typedValue(option: DefinedOption, text: string): unknown {
  switch (option.type) {
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const value = Number(text);
      if (!Number.isFinite(value)) throw new PayloadError(`${option.name} must be a number.`);
      return value;
    }
    case ApplicationCommandOptionType.Boolean:
      if (text !== 'true' && text !== 'false') {
        throw new PayloadError(`${option.name} must be true or false.`);
      }
      return text === 'true';
    case ApplicationCommandOptionType.Attachment:
      throw new PayloadError(`${option.name} is a file upload, which only Discord can send.`);
    default:
      return text;
  }
}

/**
 * What a member typed after the command's name, as Discord's option tree:
 * `name:value` words set that option; other words, joined, fill the first
 * text option (as in the console); for a command with subcommands the first
 * word picks one. `focus` marks the option being typed (autocomplete).
 */
function optionsFor(
  definition: CommandDefinition,
  words: readonly string[],
  focus: boolean,
): { options: RawOption[]; focused?: string } {
  const defined = ('options' in definition ? (definition.options ?? []) : []) as DefinedOption[];
  const sub = defined.find(
    (o) =>
      (o.type === ApplicationCommandOptionType.Subcommand ||
        o.type === ApplicationCommandOptionType.SubcommandGroup) &&
      o.name === words[0],
  );
  if (defined.some((o) => o.type === ApplicationCommandOptionType.Subcommand) && !sub) {
    const names = defined.map((o) => o.name).join(', ');
    throw new PayloadError(`/${definition.name} needs one of: ${names}.`);
  }
  if (sub) {
    const inner = optionsFor(
      { ...definition, options: 'options' in sub ? sub.options : [] } as CommandDefinition,
      words.slice(1),
      focus,
    );
    return {
      options: [{ name: sub.name, type: sub.type, options: inner.options }],
      ...(inner.focused && { focused: inner.focused }),
    };
  }
  const named = new Map<string, string>();
  const free: string[] = [];
  for (const word of words) {
    const match = /^([-_\p{L}\p{N}]{1,32}):(.*)$/su.exec(word);
    if (match && defined.some((o) => o.name === match[1])) named.set(match[1]!, match[2]!);
    else free.push(word);
  }
  const text = defined.find((o) => o.type === ApplicationCommandOptionType.String);
  if (free.length > 0) {
    if (!text) throw new PayloadError(`/${definition.name} takes no text: ${free.join(' ')}`);
    if (!named.has(text.name)) named.set(text.name, free.join(' '));
  }
  const focusedName = focus
    ? (defined.find((o) => 'autocomplete' in o && o.autocomplete === true && named.has(o.name))
        ?.name ?? text?.name)
    : undefined;
  const missing = defined.find((o) => 'required' in o && o.required && !named.has(o.name));
  if (missing && !focus) {
    throw new PayloadError(`/${definition.name} needs ${missing.name} (e.g. ${missing.name}:…).`);
  }
  const options = defined.flatMap((option): RawOption[] => {
    const value = named.get(option.name);
    if (value === undefined) return [];
    const focused = option.name === focusedName;
    return [
      {
        name: option.name,
        type: option.type,
        value: focused ? value : typedValue(option, value),
        ...(focused && { focused: true }),
      },
    ];
  });
  return { options, ...(focusedName && { focused: focusedName }) };
}

/** A slash command (or, with `autocomplete`, the request for its focused option's choices). */
export function commandPayload(
  definition: CommandDefinition,
  words: readonly string[],
  { sender = LOCAL_SENDER, autocomplete = false } = {},
): Record<string, unknown> {
  if (definition.type !== undefined && definition.type !== ApplicationCommandType.ChatInput) {
    throw new PayloadError(
      `"${definition.name}" is a context-menu command: only Discord sends it.`,
    );
  }
  const { options, focused } = optionsFor(definition, words, autocomplete);
  if (autocomplete && !focused) {
    throw new PayloadError(`/${definition.name} has no option that autocompletes.`);
  }
  const permissions = sender.moderator ? MODERATOR : 0n;
  return {
    ...envelope(
      sender,
      autocomplete
        ? InteractionType.ApplicationCommandAutocomplete
        : InteractionType.ApplicationCommand,
    ),
    guild_id: sender.guildId,
    channel_id: sender.channelId,
    channel: { id: sender.channelId, type: 0, guild_id: sender.guildId },
    member: {
      user: { id: sender.userId, username: sender.userName, discriminator: '0', global_name: null },
      roles: [],
      permissions: permissions.toString(),
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
    app_permissions: '0',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { 0: sender.guildId },
    context: 0,
    data: {
      id: sender.applicationId,
      name: definition.name,
      type: ApplicationCommandType.ChatInput,
      options,
      guild_id: sender.guildId,
    },
  };
}
