/**
 * The two ways a decided reply is carried out: through a discord.js
 * interaction (gateway) or over REST with the HTTP response as the first
 * response (HTTP interactions). Both take rendered payloads; what to send
 * when is respond.ts's decision (delivery.ts).
 */
import {
  InteractionResponseType,
  MessageFlags,
  Routes,
  type APIApplicationCommandOptionChoice,
  type InteractionReplyOptions,
  type REST,
  type RepliableInteraction,
  type AutocompleteInteraction,
} from 'discord.js';
import type { MessagePayload } from '../render/discord.ts';
import type { Visibility } from '../runtime/visibility.ts';

export interface InteractionExecutor {
  /** First response: the message itself. */
  reply(payload: MessagePayload): Promise<void>;
  /** First response: "thinking…", seen by everyone or only the member. */
  defer(visibility: Visibility): Promise<void>;
  /** First response to autocomplete. */
  choices(choices: APIApplicationCommandOptionChoice[]): Promise<void>;
  /** First response to Discord's PING (HTTP only). */
  pong(): Promise<void>;
  /** The deferred placeholder becomes this message (its visibility cannot change). */
  editOriginal(payload: Omit<MessagePayload, 'flags'>): Promise<void>;
  deleteOriginal(): Promise<void>;
  followUp(payload: MessagePayload): Promise<void>;
}

/** discord.js spells allowed_mentions in camelCase; everything else passes as API JSON. */
function toReplyOptions(payload: MessagePayload): InteractionReplyOptions {
  const { allowed_mentions, ...rest } = payload;
  return { ...rest, allowedMentions: allowed_mentions };
}

/** Over the gateway: the discord.js interaction's own methods. */
export function gatewayExecutor(
  interaction: RepliableInteraction | AutocompleteInteraction,
): InteractionExecutor {
  const repliable = () => {
    if (interaction.isAutocomplete()) throw new Error('An autocomplete interaction takes choices');
    return interaction;
  };
  return {
    reply: async (payload) => void (await repliable().reply(toReplyOptions(payload))),
    defer: async (visibility) =>
      void (await repliable().deferReply(
        visibility === 'private' ? { flags: MessageFlags.Ephemeral } : {},
      )),
    choices: async (choices) => {
      if (!interaction.isAutocomplete()) throw new Error('Only autocomplete takes choices');
      await interaction.respond(choices);
    },
    pong: () => Promise.reject(new Error('The gateway does not send PING')),
    editOriginal: async (payload) => {
      const { allowed_mentions, ...rest } = payload;
      await repliable().editReply({ ...rest, allowedMentions: allowed_mentions });
    },
    deleteOriginal: () => repliable().deleteReply(),
    followUp: async (payload) => void (await repliable().followUp(toReplyOptions(payload))),
  };
}

/**
 * Over HTTP: the first response is the body of Discord's POST (`respond`
 * sends it); everything after goes to the interaction's webhook over REST.
 */
export function restExecutor(
  rest: REST,
  interaction: { applicationId: string; token: string },
  respond: (body: object) => void,
): InteractionExecutor {
  const { applicationId, token } = interaction;
  const original = Routes.webhookMessage(applicationId, token, '@original');
  const first = async (body: object) => {
    respond(body);
    // Let the response leave before anything that must follow it goes over REST.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    reply: (payload) =>
      first({ type: InteractionResponseType.ChannelMessageWithSource, data: payload }),
    defer: (visibility) =>
      first({
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        ...(visibility === 'private' && { data: { flags: MessageFlags.Ephemeral } }),
      }),
    choices: (choices) =>
      first({
        type: InteractionResponseType.ApplicationCommandAutocompleteResult,
        data: { choices },
      }),
    pong: () => first({ type: InteractionResponseType.Pong }),
    editOriginal: async (payload) =>
      void (await rest.patch(original, { body: payload, auth: false })),
    deleteOriginal: async () => void (await rest.delete(original, { auth: false })),
    followUp: async (payload) =>
      void (await rest.post(Routes.webhook(applicationId, token), { body: payload, auth: false })),
  };
}
