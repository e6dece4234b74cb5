/**
 * /ask question [hide] [mention] — cited sentences from the articles.
 * Buttons on the answer: Show context, Sources, Pin (moderators), 👍 / 👎, 🗑 Delete
 * (the asker or a moderator); under
 * "not found", related questions the articles answer.
 */
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { answerItemsOf, answerReply } from '../src/runtime/answer-reply.ts';
import { cooldownNotice } from '../src/runtime/cooldown.ts';
import { may, refusal } from '../src/runtime/permissions.ts';
import {
  defineCommand,
  DiscordActionError,
  type CommandContext,
  type CommandDefinition,
  type Invocation,
} from '../src/runtime/module.ts';
import { pinAnswer } from '../src/confirmations/pin.ts';
import { learningOf, noteAnswer, rememberQuestion } from '../src/confirmations/confirmations.ts';
import { confirmOtherSentence, vote } from '../src/confirmations/votes.ts';
import { privateNotice, type Reply } from '../src/runtime/reply.ts';
import { MAX_QUESTION_LENGTH } from '../src/search/answer/options.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'ask',
  description: 'Ask about the Istanbul peace talks; answers quote the articles with citations',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'question',
      description: 'Your question, e.g. "how many prisoners were exchanged?"',
      required: true,
      max_length: MAX_QUESTION_LENGTH,
      autocomplete: true,
    },
    {
      type: ApplicationCommandOptionType.Boolean,
      name: 'hide',
      description: 'Show the answer only to me',
    },
    {
      type: ApplicationCommandOptionType.User,
      name: 'mention',
      description: 'A member to point the answer at',
    },
  ],
} as const satisfies CommandDefinition;

const ASK_FOR_A_QUESTION =
  'What would you like to know? Put the question after /ask, e.g. /ask when was the second round held';

const EXPIRED = privateNotice(
  'The articles behind this answer have changed since it was posted. Ask again with /ask.',
);

/** 🗑 Delete: the member who asked (the button's payload) or a moderator removes the answer. */
async function deleteAnswer(
  askerId: string,
  invocation: Invocation,
  { logger }: CommandContext,
): Promise<Reply> {
  const { message, discord } = invocation;
  if (!message || !discord) return privateNotice('Only answers in a channel can be deleted.');
  if (!may(invocation, 'deleteAnswer', { askerId })) {
    return privateNotice(refusal('deleteAnswer', 'delete this answer'));
  }
  try {
    await discord.deleteMessage(message.channelId, message.id);
  } catch (error) {
    if (error instanceof DiscordActionError && error.failure === 'unknown-message') {
      return privateNotice('That answer was already deleted.');
    }
    if (error instanceof DiscordActionError) {
      logger.warn({ err: error, messageId: message.id }, 'Could not delete an answer');
      return privateNotice(
        'Discord did not let me delete that answer. Please try again in a moment.',
      );
    }
    throw error;
  }
  logger.info({ messageId: message.id, userId: invocation.userId }, 'Answer deleted');
  return privateNotice('🗑 Deleted.');
}

export const command = defineCommand(definition, {
  console: true,
  async execute(invocation, context) {
    const { args, userId } = invocation;
    const { engine, cooldowns } = context;
    const wait = cooldowns?.ask.take(userId) ?? 0;
    if (wait > 0) return privateNotice(cooldownNotice(wait));
    const question = (args.string('question') ?? '').slice(0, MAX_QUESTION_LENGTH);
    // Discord requires the question; the console lets "/ask" arrive bare.
    if (question.trim().length === 0) return privateNotice(ASK_FOR_A_QUESTION);
    const mention = args.user('mention');
    // A previewed sentence picked while typing arrives as its key; a key that no
    // longer exists (the articles changed) is just text.
    const picked = engine().answerSentence(question.trim());
    const answer = picked ?? engine().answer(question, await learningOf(invocation, context));
    if (!picked) noteAnswer(invocation, context, question, answer);
    rememberQuestion(context, answer);
    return answerReply(answer, {
      hidden: args.boolean('hide') ?? false,
      askerId: userId,
      ...(mention !== undefined && { mentionUserId: mention }),
    });
  },
  autocomplete: ({ value, quick }, { engine }) =>
    engine().suggest(value, undefined, { previews: !quick }),
  buttons: {
    context(payload, _invocation, context) {
      const items = answerItemsOf(payload, context);
      return items.length > 0 ? { kind: 'context', items } : EXPIRED;
    },
    sources(payload, _invocation, context) {
      const items = answerItemsOf(payload, context);
      return items.length > 0 ? { kind: 'citations', items } : EXPIRED;
    },
    pin: (_payload, invocation, context) => pinAnswer(invocation, context),
    /**
     * A related question offered under "not found": shows the sentence it was
     * made from (its key), first, with its sources. Older buttons carried the
     * question itself, which is asked.
     */
    async suggest(payload, invocation, context) {
      const answer =
        context.engine().answerSentence(payload) ??
        context.engine().answer(payload, await learningOf(invocation, context));
      rememberQuestion(context, answer);
      return answerReply(answer, { askerId: invocation.userId });
    },
    confirm: confirmOtherSentence,
    delete: deleteAnswer,
    up: vote('up'),
    down: vote('down'),
  },
});
