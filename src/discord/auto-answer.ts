/**
 * Auto-answer: in the Q&A channels moderators enabled, a new message that
 * reads as a question gets an answer in a thread — only when the engine is
 * confident, never for bots (itself included), never twice for one message
 * (remembered in the store, across restarts), and within cooldowns.
 */
import type { Message } from 'discord.js';
import { answerReply } from '../command/answer-reply.ts';
import type { CommandContext } from '../command/module.ts';
import type { Cooldown } from '../command/cooldown.ts';
import type { Store } from '../store/store.ts';
import { clip } from '../render/clip.ts';
import { renderReply } from '../render/discord.ts';

const QUESTION_START =
  /^(?:who|whom|whose|what|when|where|why|how|which|is|are|was|were|did|does|do|can|could|will|would|has|have|had|should)\b/i;

/** A message reads as a question: it ends with "?" or starts like one, and has a few words. */
export function looksLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  const words = trimmed.split(/\s+/).filter(Boolean).length;
  return words >= 3 && (trimmed.endsWith('?') || QUESTION_START.test(trimmed));
}

export function createAutoAnswer(context: CommandContext & { store: Store }, cooldown: Cooldown) {
  const { store, logger } = context;
  return async function onMessage(message: Message): Promise<void> {
    if (!message.inGuild() || message.author.bot || message.webhookId || message.system) return;
    if (!store.settings.qaChannels(message.guildId).includes(message.channelId)) return;
    if (!looksLikeQuestion(message.content)) return;

    const log = logger.child({
      messageId: message.id,
      guildId: message.guildId,
      channelId: message.channelId,
    });
    const answer = context.engine().answer(message.content);
    const { confidence } = answer;
    // Nobody asked the bot, so it speaks only when confident (never "uncertain").
    if (!answer.answered || answer.uncertain) {
      log.debug({ confidence }, 'Auto-answer skipped: not confident');
      return;
    }
    if (cooldown.take(`${message.channelId}:${message.author.id}`) > 0) {
      log.debug('Auto-answer skipped: cooldown');
      return;
    }
    if (!store.autoAnswers.claim(message.id, message.guildId)) return; // already answered once
    try {
      const thread = await message.startThread({
        name: clip(message.content.replace(/\s+/g, ' '), 100),
      });
      const {
        allowed_mentions,
        flags: _never,
        ...payload
      } = renderReply(answerReply(answer, { askerId: message.author.id }));
      await thread.send({ ...payload, allowedMentions: allowed_mentions });
      log.info({ confidence, threadId: thread.id }, 'Auto-answered');
    } catch (error) {
      log.warn(
        { err: error },
        'Auto-answer failed (check Create Public Threads and Send Messages in Threads)',
      );
    }
  };
}
