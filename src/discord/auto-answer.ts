/**
 * Auto-answer: in the Q&A channels moderators enabled, a new message that
 * reads as a question gets an answer in a thread — only when the engine is
 * confident, never for bots (itself included), never twice for one message
 * (remembered in the store, across restarts), and within cooldowns. In a Q&A
 * forum channel a new post (its title and first message) gets the answer
 * inside the post itself, which already is a thread.
 */
import { ChannelType, type AnyThreadChannel, type Message } from 'discord.js';
import { answerReply } from '../runtime/answer-reply.ts';
import type { CommandContext, DiscordActions } from '../runtime/module.ts';
import type { Cooldown } from '../runtime/cooldown.ts';
import type { Store } from '../store/store.ts';
import { learningOf, rememberQuestion } from '../confirmations/confirmations.ts';
import { mayPostUnasked } from '../runtime/visibility.ts';
import { clip } from '../render/clip.ts';

const QUESTION_START =
  /^(?:who|whom|whose|what|when|where|why|how|which|is|are|was|were|did|does|do|can|could|will|would|has|have|had|should)\b/i;

/** A message reads as a question: it ends with "?" or starts like one, and has a few words. */
export function looksLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  const words = trimmed.split(/\s+/).filter(Boolean).length;
  return words >= 3 && (trimmed.endsWith('?') || QUESTION_START.test(trimmed));
}

/** What a message asks, and where: `post` is set when it opened a post in a Q&A forum. */
interface Question {
  readonly text: string;
  /** The Q&A channel (the forum, for a post): cooldowns count per member per Q&A channel. */
  readonly qaChannelId: string;
  readonly post: AnyThreadChannel | null;
}

/**
 * A question in a Q&A text channel, or a new post in a Q&A forum, or nothing.
 * A forum post is a thread under the forum whose first (starter) message has
 * the thread's own id; later messages in the post are conversation, not new
 * questions. discord.js only emits messages of channels it knows (threads
 * arrive by THREAD_CREATE or GUILD_CREATE), so `message.channel` is set.
 */
function questionOf(message: Message<true>, qaChannels: readonly string[]): Question | null {
  const { channel } = message;
  if (channel.isThread()) {
    const isNewPost = message.id === channel.id && channel.parent?.type === ChannelType.GuildForum;
    if (!isNewPost || !channel.parentId || !qaChannels.includes(channel.parentId)) return null;
    if (!looksLikeQuestion(channel.name) && !looksLikeQuestion(message.content)) return null;
    // The title often carries the question and the message the details: the engine reads both.
    const text = [channel.name, message.content].filter((part) => part.trim()).join('\n');
    return { text, qaChannelId: channel.parentId, post: channel };
  }
  if (!qaChannels.includes(message.channelId) || !looksLikeQuestion(message.content)) return null;
  return { text: message.content, qaChannelId: message.channelId, post: null };
}

export function createAutoAnswer(
  context: CommandContext & { store: Store },
  cooldown: Cooldown,
  discord: DiscordActions,
) {
  const { store, logger } = context;
  return async function onMessage(message: Message): Promise<void> {
    if (!message.inGuild() || message.author.bot || message.webhookId || message.system) return;
    const question = questionOf(message, await store.settings.qaChannels(message.guildId));
    if (!question) return;

    const log = logger.child({
      messageId: message.id,
      guildId: message.guildId,
      channelId: question.qaChannelId,
    });
    const answer = context
      .engine()
      .answer(question.text, await learningOf({ guildId: message.guildId }, context));
    const { confidence } = answer;
    // Nobody asked the bot, so it speaks only when confident (never "uncertain").
    if (!mayPostUnasked(answer)) {
      log.debug({ confidence }, 'Auto-answer skipped: not confident');
      return;
    }
    if (cooldown.take(`${question.qaChannelId}:${message.author.id}`) > 0) {
      log.debug('Auto-answer skipped: cooldown');
      return;
    }
    // A post's starter message has the post's id, so this is also "once per post".
    if (!(await store.autoAnswers.claim(message.id, message.guildId))) return; // already answered once
    try {
      // A forum post already is a thread: answer inside it rather than opening another.
      const threadId =
        question.post?.id ??
        (await discord.startThread(
          message.channelId,
          message.id,
          clip(message.content.replace(/\s+/g, ' '), 100),
        ));
      rememberQuestion(context, answer);
      await discord.post(threadId, answerReply(answer, { askerId: message.author.id }));
      log.info({ confidence, threadId }, 'Auto-answered');
    } catch (error) {
      log.warn(
        { err: error },
        question.post
          ? 'Auto-answer failed (check Send Messages in Threads in the forum)'
          : 'Auto-answer failed (check Create Public Threads and Send Messages in Threads)',
      );
    }
  };
}
