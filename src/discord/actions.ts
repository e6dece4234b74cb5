/**
 * DiscordActions over discord.js REST: what commands may do besides replying.
 * Discord's error codes are turned into DiscordActionError failures that a
 * command can explain to the member in plain words.
 */
import {
  ButtonStyle,
  ComponentType,
  DiscordAPIError,
  Routes,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIChannel,
  type APIMessage,
  type REST,
} from 'discord.js';
import { parseButtonId } from '../runtime/button-id.ts';
import { DiscordActionError, type DiscordActions } from '../runtime/module.ts';
import type { Reply } from '../runtime/reply.ts';
import { renderReply, type MessagePayload } from '../render/discord.ts';
import { visibilityOf } from '../runtime/visibility.ts';

/** Discord JSON error codes we explain (discord-api-docs: JSON error codes). */
const MISSING_PERMISSIONS = 50013;
const MISSING_ACCESS = 50001;
const MAX_PINS_REACHED = 30003;
const UNKNOWN_MESSAGE = 10008;
const UNKNOWN_CHANNEL = 10003;

function toActionError(error: unknown, what: string): DiscordActionError {
  if (error instanceof DiscordAPIError) {
    if (
      error.code === MISSING_PERMISSIONS ||
      error.code === MISSING_ACCESS ||
      error.status === 403
    ) {
      return new DiscordActionError('missing-permission', `${what}: missing permission`, {
        cause: error,
      });
    }
    if (error.code === MAX_PINS_REACHED) {
      return new DiscordActionError('pin-limit', `${what}: pin limit reached`, { cause: error });
    }
    if (error.code === UNKNOWN_MESSAGE || error.code === UNKNOWN_CHANNEL || error.status === 404) {
      return new DiscordActionError('unknown-message', `${what}: message not found`, {
        cause: error,
      });
    }
  }
  return new DiscordActionError(
    'failed',
    `${what}: ${error instanceof Error ? error.message : error}`,
    {
      cause: error,
    },
  );
}

/** The bot's answer buttons with the Pin button replaced by a disabled "Pinned by …". */
function withPinnedButton(
  rows: APIActionRowComponent<APIButtonComponent>[],
  moderatorName: string,
): APIActionRowComponent<APIButtonComponent>[] {
  return rows.map((row) => ({
    ...row,
    components: row.components.map((button) =>
      'custom_id' in button && parseButtonId(button.custom_id)?.button === 'pin'
        ? {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            custom_id: button.custom_id,
            label: `Pinned by ${moderatorName}`.slice(0, 80),
            disabled: true,
          }
        : button,
    ),
  }));
}

/**
 * A reply as a channel message: everyone in the channel sees it, so only a
 * public reply may be one (runtime/visibility.ts).
 */
function channelMessage(reply: Reply): Omit<MessagePayload, 'flags'> {
  if (visibilityOf(reply) !== 'public') {
    throw new DiscordActionError('failed', 'a private reply cannot be posted in a channel');
  }
  const { flags: _none, ...payload } = renderReply(reply);
  return payload;
}

export function createDiscordActions(rest: REST): DiscordActions {
  return {
    async pin(channelId, messageId, reason) {
      try {
        await rest.put(Routes.channelMessagesPin(channelId, messageId), { reason });
      } catch (error) {
        throw toActionError(error, 'pin');
      }
    },

    async deleteMessage(channelId, messageId) {
      try {
        await rest.delete(Routes.channelMessage(channelId, messageId));
      } catch (error) {
        throw toActionError(error, 'delete');
      }
    },

    async markPinned(channelId, messageId, moderatorName) {
      try {
        const message = (await rest.get(Routes.channelMessage(channelId, messageId))) as APIMessage;
        const components = (message.components ??
          []) as APIActionRowComponent<APIButtonComponent>[];
        await rest.patch(Routes.channelMessage(channelId, messageId), {
          body: { components: withPinnedButton(components, moderatorName) },
        });
      } catch (error) {
        throw toActionError(error, 'mark pinned');
      }
    },

    async replyTo(channelId, messageId, reply: Reply) {
      try {
        await rest.post(Routes.channelMessages(channelId), {
          body: {
            ...channelMessage(reply),
            message_reference: { message_id: messageId, fail_if_not_exists: false },
          },
        });
      } catch (error) {
        throw toActionError(error, 'reply');
      }
    },

    async post(channelId, reply) {
      try {
        await rest.post(Routes.channelMessages(channelId), { body: channelMessage(reply) });
      } catch (error) {
        throw toActionError(error, 'post');
      }
    },

    async startThread(channelId, messageId, name) {
      try {
        const thread = (await rest.post(Routes.threads(channelId, messageId), {
          body: { name },
        })) as APIChannel;
        return thread.id;
      } catch (error) {
        throw toActionError(error, 'start a thread');
      }
    },

    async download(url, maxBytes) {
      const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      if (!response.ok || !response.body) {
        throw new DiscordActionError('failed', `download failed with HTTP ${response.status}`);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > maxBytes)
          throw new DiscordActionError('failed', `the file is larger than ${maxBytes} bytes`);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    },
  };
}
