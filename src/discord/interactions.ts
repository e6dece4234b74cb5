/**
 * Routes each interaction to its command module and sends the rendered reply.
 * One place owns what a member sees when something goes wrong: a short
 * ephemeral note with a reference id that is also in the log line.
 */
import { randomBytes } from 'node:crypto';
import {
  inlineCode,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionReplyOptions,
  type Message,
  type MessageContextMenuCommandInteraction,
  type RepliableInteraction,
} from 'discord.js';
import { argsFrom } from '../runtime/args.ts';
import { answerKeysFromButtons } from '../runtime/answer-reply.ts';
import { parseButtonId } from '../runtime/button-id.ts';
import {
  type ArgsByName,
  type CommandContext,
  type DiscordActions,
  type Invocation,
  type TargetMessage,
} from '../runtime/module.ts';
import type { Logger } from '../logger.ts';
import type { CommandRegistry } from '../runtime/registry.ts';
import { privateNotice, type Reply } from '../runtime/reply.ts';
import { renderChoices, renderReply, type MessagePayload } from '../render/discord.ts';
import { BUSY_NOTE, createdAt, type OverloadGuard } from './overload.ts';

export interface InteractionDependencies {
  readonly registry: CommandRegistry;
  readonly context: CommandContext;
  readonly logger: Logger;
  readonly discord: DiscordActions;
  /** Past capacity, how to spend less on interactions that waited (overload.ts). */
  readonly overload?: OverloadGuard;
}

/** Interactions deferred publicly before their reply's visibility was known (overload). */
const deferredPublicly = new WeakSet<RepliableInteraction>();

/**
 * The one way a reply reaches Discord: the first response to an interaction,
 * the edit of a deferred one, or a follow-up once it has been answered.
 */
async function send(interaction: RepliableInteraction, reply: Reply): Promise<void> {
  const options = toReplyOptions(renderReply(reply));
  if (interaction.deferred && !interaction.replied) {
    if (deferredPublicly.has(interaction) && options.flags === MessageFlags.Ephemeral) {
      // A private reply cannot replace a public "thinking…": remove it, then answer privately.
      await interaction.deleteReply();
      await interaction.followUp(options);
      return;
    }
    // The deferral already fixed the reply's visibility; flags cannot change now.
    const { flags: _fixed, ...edit } = options;
    await interaction.editReply(edit);
  } else if (interaction.replied) await interaction.followUp(options);
  else await interaction.reply(options);
}

/** Short, unambiguous reference a member can quote to a moderator. */
export function errorReference(): string {
  return randomBytes(4).toString('hex');
}

/** What a member sees when handling their interaction failed: a reference to quote. */
export function failureNotice(reference: string): Reply {
  return privateNotice(
    `Sorry, something went wrong on my side. Please try again; if it keeps happening, give a moderator this reference: ${inlineCode(reference)}.`,
  );
}

/** discord.js spells allowed_mentions in camelCase; everything else passes as API JSON. */
export function toReplyOptions(payload: MessagePayload): InteractionReplyOptions {
  const { allowed_mentions, ...rest } = payload;
  return { ...rest, allowedMentions: allowed_mentions };
}

export const UNKNOWN_COMMAND = privateNotice(
  "I don't know that command any more (it may have been removed). `/help` lists what I can do.",
);
export const EXPIRED_BUTTON = privateNotice(
  'This button has expired. Ask again with `/ask` to get fresh buttons.',
);

function chatInputArgs(interaction: ChatInputCommandInteraction): ArgsByName {
  const { options } = interaction;
  return {
    string: (name) => options.getString(name) ?? undefined,
    boolean: (name) => options.getBoolean(name) ?? undefined,
    user: (name) => options.getUser(name)?.id,
    channel: (name) => options.getChannel(name)?.id,
    attachment: (name) => {
      const file = options.getAttachment(name);
      return file ? { name: file.name, url: file.url, size: file.size } : undefined;
    },
    subcommand: () => options.getSubcommand(false) ?? undefined,
  };
}

const NO_ARGS = argsFrom({});

/** The unescaped question an answer embed shows in its title. */
function questionOf(message: Message): string | undefined {
  return message.embeds[0]?.title?.replace(/\\([\\*_~`|>#[\]()-])/g, '$1') ?? undefined;
}

/** Every button id on a message. */
function buttonIdsOf(message: Message): string[] {
  return message.components.flatMap((row) =>
    'components' in row
      ? row.components.flatMap((c) => ('customId' in c && c.customId ? [c.customId] : []))
      : [],
  );
}

export function targetMessage(message: Message, botId: string | undefined): TargetMessage {
  const fromBot = message.author.id === botId;
  const question = fromBot ? questionOf(message) : undefined;
  const answerKeys = fromBot ? answerKeysFromButtons(buttonIdsOf(message)) : [];
  return {
    id: message.id,
    channelId: message.channelId,
    authorId: message.author.id,
    content: message.content,
    fromBot: message.author.id === botId,
    pinned: message.pinned,
    ...(question !== undefined && { question }),
    ...(answerKeys.length > 0 && { answerKeys }),
  };
}

/** What the log calls this interaction: the command name or button id. */
function labelOf(interaction: Interaction): string {
  if (interaction.isCommand() || interaction.isAutocomplete()) return interaction.commandName;
  if (interaction.isMessageComponent())
    return interaction.customId.split(':').slice(0, 2).join(':');
  return `type ${interaction.type}`;
}

export function createInteractionHandler({
  registry,
  context,
  logger,
  discord,
  overload,
}: InteractionDependencies) {
  function invocationOf(interaction: Interaction, args: ArgsByName, message?: Message): Invocation {
    return {
      args,
      userId: interaction.user.id,
      userName: interaction.user.username,
      discord,
      ...(interaction.guildId !== null && { guildId: interaction.guildId }),
      ...(interaction.channelId !== null && { channelId: interaction.channelId }),
      ...(interaction.memberPermissions && {
        memberPermissions: interaction.memberPermissions.bitfield,
      }),
      ...(message && { message: targetMessage(message, interaction.client.user.id) }),
    };
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const treatment = overload?.treat('autocomplete', createdAt(interaction.id)) ?? 'as-usual';
    if (treatment === 'empty') return interaction.respond([]);
    const command = registry.get(interaction.commandName);
    const focused = interaction.options.getFocused(true);
    const choices =
      (await command?.autocomplete?.(
        {
          name: focused.name,
          value: String(focused.value),
          quick: treatment === 'words-only',
          ...(interaction.guildId !== null && { guildId: interaction.guildId }),
        },
        context,
      )) ?? [];
    await interaction.respond(renderChoices(choices));
  }

  /**
   * Runs a command's (or button's) work for an interaction that may have
   * waited: as usual, deferred at once and answered on a later turn of the
   * event loop (so the acknowledgements of others go first), or a "busy" note.
   * A slow command is always deferred, privately.
   */
  async function respond(
    interaction: RepliableInteraction,
    slow: boolean,
    work: () => Reply | Promise<Reply>,
  ): Promise<void> {
    const treatment = overload?.treat('reply', createdAt(interaction.id)) ?? 'as-usual';
    if (treatment === 'busy') return send(interaction, privateNotice(BUSY_NOTE));
    if (slow) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    else if (treatment === 'defer') {
      await interaction.deferReply();
      deferredPublicly.add(interaction);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await send(interaction, await work());
  }

  async function onChatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = registry.get(interaction.commandName);
    if (!command) return send(interaction, UNKNOWN_COMMAND);
    await respond(interaction, command.slow === true, () =>
      command.execute(invocationOf(interaction, chatInputArgs(interaction)), context),
    );
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const id = parseButtonId(interaction.customId);
    const handler = id && registry.get(id.command)?.buttons?.[id.button];
    if (!id || !handler) return send(interaction, EXPIRED_BUTTON);
    const invocation = invocationOf(interaction, NO_ARGS, interaction.message);
    // A slow command's buttons (Add an article: re-indexing) get the same extra time.
    await respond(interaction, registry.get(id.command)?.slow === true, () =>
      handler(id.payload, invocation, context),
    );
  }

  async function onMessageCommand(
    interaction: MessageContextMenuCommandInteraction,
  ): Promise<void> {
    const command = registry.get(interaction.commandName);
    if (!command) return send(interaction, UNKNOWN_COMMAND);
    const invocation = invocationOf(interaction, NO_ARGS, interaction.targetMessage);
    await respond(interaction, command.slow === true, () => command.execute(invocation, context));
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
      await send(interaction, failureNotice(reference));
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
      else if (interaction.isMessageContextMenuCommand()) await onMessageCommand(interaction);
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
