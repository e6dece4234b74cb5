/**
 * Routes each interaction to its command module and sends the rendered reply.
 * One place owns what a member sees when something goes wrong: a short
 * ephemeral note with a reference id that is also in the log line.
 */
import { randomBytes } from 'node:crypto';
import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionReplyOptions,
  type RepliableInteraction,
} from 'discord.js';
import {
  parseButtonId,
  type CommandArgs,
  type CommandContext,
  type Invocation,
} from '../commands.ts';
import type { Logger } from '../logger.ts';
import type { CommandRegistry } from '../registry.ts';
import type { Reply } from '../reply.ts';
import { renderChoices, renderReply, type MessagePayload } from './render.ts';

export interface InteractionDependencies {
  readonly registry: CommandRegistry;
  readonly context: CommandContext;
  readonly logger: Logger;
}

/** Short, unambiguous reference a member can quote to a moderator. */
export function errorReference(): string {
  return randomBytes(4).toString('hex');
}

/** discord.js spells allowed_mentions in camelCase; everything else passes as API JSON. */
export function toReplyOptions(payload: MessagePayload): InteractionReplyOptions {
  const { allowed_mentions, ...rest } = payload;
  return { ...rest, allowedMentions: allowed_mentions };
}

function notice(text: string): Reply {
  return { kind: 'notice', text, hidden: true };
}

const UNKNOWN_COMMAND = notice(
  "I don't know that command any more (it may have been removed). `/help` lists what I can do.",
);
const EXPIRED_BUTTON = notice(
  'This button has expired. Ask again with `/ask` to get fresh buttons.',
);

function chatInputArgs(interaction: ChatInputCommandInteraction): CommandArgs {
  return {
    string: (name) => interaction.options.getString(name) ?? undefined,
    boolean: (name) => interaction.options.getBoolean(name) ?? undefined,
    user: (name) => interaction.options.getUser(name)?.id,
  };
}

const NO_ARGS: CommandArgs = {
  string: () => undefined,
  boolean: () => undefined,
  user: () => undefined,
};

function invocationOf(interaction: Interaction, args: CommandArgs): Invocation {
  return {
    args,
    userId: interaction.user.id,
    ...(interaction.guildId !== null && { guildId: interaction.guildId }),
    ...(interaction.channelId !== null && { channelId: interaction.channelId }),
  };
}

/** What the log calls this interaction: the command name or button id. */
function labelOf(interaction: Interaction): string {
  if (interaction.isCommand() || interaction.isAutocomplete()) return interaction.commandName;
  if (interaction.isMessageComponent())
    return interaction.customId.split(':').slice(0, 2).join(':');
  return `type ${interaction.type}`;
}

export function createInteractionHandler({ registry, context, logger }: InteractionDependencies) {
  async function send(interaction: RepliableInteraction, reply: Reply): Promise<void> {
    const options = toReplyOptions(renderReply(reply));
    if (interaction.deferred || interaction.replied) await interaction.followUp(options);
    else await interaction.reply(options);
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = registry.get(interaction.commandName);
    const focused = interaction.options.getFocused(true);
    const choices =
      command?.autocomplete?.({ name: focused.name, value: String(focused.value) }, context) ?? [];
    await interaction.respond(renderChoices(choices));
  }

  async function onChatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = registry.get(interaction.commandName);
    if (!command) return send(interaction, UNKNOWN_COMMAND);
    await send(
      interaction,
      await command.execute(invocationOf(interaction, chatInputArgs(interaction)), context),
    );
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const id = parseButtonId(interaction.customId);
    const handler = id && registry.get(id.command)?.buttons?.[id.button];
    if (!id || !handler) return send(interaction, EXPIRED_BUTTON);
    await send(interaction, await handler(id.payload, invocationOf(interaction, NO_ARGS), context));
  }

  async function tellMember(
    interaction: Interaction,
    reference: string,
    log: Logger,
  ): Promise<void> {
    try {
      if (interaction.isAutocomplete()) {
        if (!interaction.responded) await interaction.respond([]);
        return;
      }
      if (!interaction.isRepliable()) return;
      const text = `Sorry, something went wrong on my side. Please try again; if it keeps happening, give a moderator this reference: \`${reference}\`.`;
      const options = {
        content: text,
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      } as const;
      if (interaction.deferred || interaction.replied) await interaction.followUp(options);
      else await interaction.reply(options);
    } catch (error) {
      // Discord itself failed (token expired, 5xx): the log line is all that is left.
      log.warn({ err: error, ref: reference }, 'Could not tell the member about the failure');
    }
  }

  return async function handleInteraction(interaction: Interaction): Promise<void> {
    const started = performance.now();
    const log = logger.child({
      interactionId: interaction.id,
      command: labelOf(interaction),
      guildId: interaction.guildId ?? undefined,
      userId: interaction.user.id,
    });
    try {
      if (interaction.isAutocomplete()) await onAutocomplete(interaction);
      else if (interaction.isChatInputCommand()) await onChatInput(interaction);
      else if (interaction.isButton()) await onButton(interaction);
      else if (interaction.isRepliable()) await send(interaction, UNKNOWN_COMMAND);
      log.debug({ latencyMs: Math.round(performance.now() - started) }, 'Interaction answered');
    } catch (error) {
      const reference = errorReference();
      log.error(
        { err: error, ref: reference, latencyMs: Math.round(performance.now() - started) },
        'Interaction failed',
      );
      await tellMember(interaction, reference, log);
    }
  };
}
