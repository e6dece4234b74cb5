/** The HTTP endpoint's parser: an interaction's raw JSON → Incoming. */
import { ApplicationCommandOptionType, InteractionType } from 'discord.js';
import { argsFrom } from '../runtime/args.ts';
import type { ArgsByName, AttachmentArg } from '../runtime/module.ts';
import {
  buttonLabel,
  type Incoming,
  type IncomingInvocation,
  type IncomingMessage,
} from './incoming.ts';

export type JsonObject = Record<string, unknown>;
export const obj = (value: unknown): JsonObject =>
  value !== null && typeof value === 'object' ? (value as JsonObject) : {};
export const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

interface RawOption {
  readonly name: string;
  readonly type: number;
  readonly value?: unknown;
  readonly focused?: boolean;
  readonly options?: readonly RawOption[];
}

/** A command's options as the command runtime reads them (a subcommand's, if it has one). */
function argsOf(data: JsonObject): { args: ArgsByName; focused?: RawOption } {
  let options = (data.options ?? []) as readonly RawOption[];
  let subcommand: string | undefined;
  while (
    options[0]?.type === ApplicationCommandOptionType.Subcommand ||
    options[0]?.type === ApplicationCommandOptionType.SubcommandGroup
  ) {
    subcommand = options[0].name;
    options = options[0].options ?? [];
  }
  const values = new Map(options.map((o) => [o.name, o.value]));
  const attachments = obj(obj(data.resolved).attachments);
  const attachment = (name: string): AttachmentArg | undefined => {
    const file = obj(attachments[String(values.get(name))]);
    const url = str(file.url);
    return url
      ? { name: str(file.filename) ?? 'file', url, size: Number(file.size ?? 0) }
      : undefined;
  };
  const text = (name: string) => {
    const value = values.get(name);
    return value === undefined ? undefined : String(value);
  };
  const focused = options.find((o) => o.focused);
  return {
    args: {
      string: text,
      boolean: (name) =>
        typeof values.get(name) === 'boolean' ? (values.get(name) as boolean) : undefined,
      user: text,
      channel: text,
      attachment,
      subcommand: () => subcommand,
    },
    ...(focused && { focused }),
  };
}

function messageOf(raw: JsonObject): IncomingMessage {
  return {
    id: str(raw.id) ?? '',
    channelId: str(raw.channel_id) ?? '',
    authorId: str(obj(raw.author).id) ?? '',
    content: str(raw.content) ?? '',
    pinned: raw.pinned === true,
    buttonIds: ((raw.components ?? []) as JsonObject[]).flatMap((row) =>
      ((row.components ?? []) as JsonObject[]).flatMap((c) =>
        str(c.custom_id) ? [str(c.custom_id)!] : [],
      ),
    ),
  };
}

function invocationOf(raw: JsonObject, args: ArgsByName, message?: JsonObject): IncomingInvocation {
  const member = obj(raw.member);
  const user = obj(member.user ?? raw.user);
  const guildId = str(raw.guild_id);
  const channelId = str(raw.channel_id) ?? str(obj(raw.channel).id);
  const permissions = str(member.permissions);
  return {
    args,
    userId: str(user.id) ?? '',
    ...(str(user.username) !== undefined && { userName: str(user.username)! }),
    ...(guildId !== undefined && { guildId }),
    ...(channelId !== undefined && { channelId }),
    ...(permissions !== undefined && { memberPermissions: BigInt(permissions) }),
    ...(message && { message: messageOf(message) }),
  };
}

export function incomingFromJson(raw: JsonObject): Incoming {
  const data = obj(raw.data);
  const guildId = str(raw.guild_id);
  const common = {
    id: str(raw.id) ?? '0',
    botId: str(raw.application_id),
    userId: str(obj(obj(raw.member).user ?? raw.user).id) ?? '',
    ...(guildId !== undefined && { guildId }),
  };
  const name = str(data.name) ?? '';
  switch (raw.type) {
    case InteractionType.Ping:
      return { ...common, kind: 'ping', label: 'ping' };
    case InteractionType.ApplicationCommandAutocomplete: {
      const { focused } = argsOf(data);
      return {
        ...common,
        kind: 'autocomplete',
        label: name,
        command: name,
        ...(focused && { focused: { name: focused.name, value: String(focused.value ?? '') } }),
      };
    }
    case InteractionType.ApplicationCommand: {
      const targetId = str(data.target_id);
      const invocation =
        targetId === undefined
          ? invocationOf(raw, argsOf(data).args)
          : invocationOf(raw, argsFrom({}), obj(obj(obj(data.resolved).messages)[targetId]));
      return { ...common, kind: 'command', label: name, command: name, invocation };
    }
    case InteractionType.MessageComponent: {
      const customId = str(data.custom_id) ?? '';
      // Select menus and other components carry a component_type other than a button's (2).
      if (data.component_type !== 2)
        return { ...common, kind: 'other', label: buttonLabel(customId) };
      return {
        ...common,
        kind: 'button',
        label: buttonLabel(customId),
        customId,
        invocation: invocationOf(raw, argsFrom({}), obj(raw.message)),
      };
    }
    default:
      return { ...common, kind: 'other', label: `type ${String(raw.type)}` };
  }
}
