/** The gateway's parser: a discord.js interaction → Incoming. */
import type { ChatInputCommandInteraction, Interaction, Message } from 'discord.js';
import { argsFrom } from '../runtime/args.ts';
import type { ArgsByName } from '../runtime/module.ts';
import {
  buttonLabel,
  type Incoming,
  type IncomingInvocation,
  type IncomingMessage,
} from './incoming.ts';

const idOption = (value: unknown) => (typeof value === 'string' ? value : undefined);

function chatInputArgs(interaction: ChatInputCommandInteraction): ArgsByName {
  const { options } = interaction;
  return {
    string: (name) => options.getString(name) ?? undefined,
    boolean: (name) => options.getBoolean(name) ?? undefined,
    // The option's own value is the id, as the HTTP parser reads it (resolved data not needed).
    user: (name) => idOption(options.get(name)?.value),
    channel: (name) => idOption(options.get(name)?.value),
    attachment: (name) => {
      const file = options.getAttachment(name);
      return file ? { name: file.name, url: file.url, size: file.size } : undefined;
    },
    subcommand: () => options.getSubcommand(false) ?? undefined,
  };
}

function messageOf(message: Message): IncomingMessage {
  return {
    id: message.id,
    channelId: message.channelId,
    authorId: message.author.id,
    content: message.content,
    pinned: message.pinned,
    buttonIds: message.components.flatMap((row) =>
      'components' in row
        ? row.components.flatMap((c) => ('customId' in c && c.customId ? [c.customId] : []))
        : [],
    ),
  };
}

function invocationOf(
  interaction: Interaction,
  args: ArgsByName,
  message?: Message,
): IncomingInvocation {
  return {
    args,
    userId: interaction.user.id,
    userName: interaction.user.username,
    ...(interaction.guildId !== null && { guildId: interaction.guildId }),
    ...(interaction.channelId !== null && { channelId: interaction.channelId }),
    ...(interaction.memberPermissions && {
      memberPermissions: interaction.memberPermissions.bitfield,
    }),
    ...(message && { message: messageOf(message) }),
  };
}

export function incomingFromGateway(interaction: Interaction): Incoming {
  const common = {
    id: interaction.id,
    botId: interaction.client.user.id,
    userId: interaction.user.id,
    ...(interaction.guildId !== null && { guildId: interaction.guildId }),
  };
  if (interaction.isAutocomplete()) {
    const focused = interaction.options.getFocused(true);
    return {
      ...common,
      kind: 'autocomplete',
      label: interaction.commandName,
      command: interaction.commandName,
      focused: { name: focused.name, value: String(focused.value) },
    };
  }
  if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
    return {
      ...common,
      kind: 'command',
      label: interaction.commandName,
      command: interaction.commandName,
      // A message command's input is its target message; a slash command's, its options.
      invocation: interaction.isChatInputCommand()
        ? invocationOf(interaction, chatInputArgs(interaction))
        : invocationOf(interaction, argsFrom({}), interaction.targetMessage),
    };
  }
  if (interaction.isButton()) {
    return {
      ...common,
      kind: 'button',
      label: buttonLabel(interaction.customId),
      customId: interaction.customId,
      invocation: invocationOf(interaction, argsFrom({}), interaction.message),
    };
  }
  return {
    ...common,
    kind: 'other',
    label: interaction.isMessageComponent()
      ? buttonLabel(interaction.customId)
      : `type ${interaction.type}`,
  };
}
