/**
 * /ask question [hide] [mention] — cited sentences from the articles.
 * Buttons on the answer: Show context, Sources, Pin (moderators), 👍 / 👎, 🗑 Delete
 * (the asker or a moderator); under
 * "not found", related questions the articles answer.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  PermissionFlagsBits,
} from 'discord.js';
import { answerItemsOf, answerReply } from '../src/command/answer-reply.ts';
import { cooldownNotice } from '../src/command/cooldown.ts';
import { memberHas } from '../src/command/member-permissions.ts';
import {
  defineCommand,
  DiscordActionError,
  type CommandContext,
  type CommandDefinition,
  type Invocation,
} from '../src/command/module.ts';
import { pinAnswer } from '../src/command/pin.ts';
import {
  CONFIRMATIONS_FULL,
  isModerator,
  learningOf,
  noteAnswer,
  recordConfirmation,
  scopeOf,
  verdictOfVotes,
} from '../src/command/learning.ts';
import { clip } from '../src/render/clip.ts';
import { safeText } from '../src/render/discord-markdown.ts';
import type { AnswerItem } from '../src/search/types.ts';
import { privateNotice, type Reply } from '../src/command/reply.ts';
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
  if (invocation.userId !== askerId && !memberHas(invocation, PermissionFlagsBits.ManageMessages)) {
    return privateNotice('Only the member who asked, or a moderator, can delete this answer.');
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

/** A 👍/👎 button: one vote per member per answer, changeable; enough of them confirm it. */
function vote(direction: 'up' | 'down') {
  return async (
    payload: string,
    invocation: Invocation,
    context: CommandContext,
  ): Promise<Reply> => {
    const { message, guildId } = invocation;
    if (!context.store || !message || !guildId)
      return privateNotice('Votes are counted in servers only.');
    const items = answerItemsOf(payload, context);
    const moderator = isModerator(invocation);
    const result = await context.store.feedback.vote({
      messageId: message.id,
      guildId,
      channelId: message.channelId,
      userId: invocation.userId,
      question: message.question ?? '',
      sentences: items.map((item) => item.text),
      vote: direction,
      moderator,
      ...(items[0] && { firstKey: items[0].key }),
    });
    const mark = direction === 'up' ? '👍' : '👎';
    const text = {
      recorded: `Thanks — your ${mark} is recorded.`,
      changed: `Changed your vote to ${mark}.`,
      unchanged: `You already voted ${mark} on this answer.`,
    }[result];
    const decided = await applyVotes(invocation, context, items[0]);
    return privateNotice(decided ? `${text}\n${decided}` : text);
  };
}

/**
 * Votes that reach a verdict confirm the answer's first sentence for its
 * question, or mark it wrong; votes that no longer reach one (a member
 * changed their mind) take back what votes confirmed.
 */
async function applyVotes(
  invocation: Invocation,
  context: CommandContext,
  first: AnswerItem | undefined,
): Promise<string | undefined> {
  const { message, guildId } = invocation;
  const { store, config } = context;
  if (!store || !message?.question || !guildId || !first) return undefined;
  const verdict = verdictOfVotes(await store.feedback.tally(message.id), {
    upVotes: config.confirmUpVotes,
    downVotes: config.wrongDownVotes,
  });
  const earlier = await store.confirmations.fromMessage(guildId, message.id);
  if (verdict === undefined) {
    if (earlier?.how === 'votes') await store.confirmations.forget(guildId, earlier.id);
    return undefined;
  }
  // Already so (by these votes, or a moderator's pin): nothing to change.
  if (earlier?.verdict === verdict) return undefined;
  const outcome = await recordConfirmation(context, {
    scope: guildId,
    question: message.question,
    sentenceKey: first.key,
    sentence: first.text,
    verdict,
    how: 'votes',
    byUserId: invocation.userId,
    ...(invocation.userName !== undefined && { byName: invocation.userName }),
    messageId: message.id,
  });
  if (outcome && !outcome.ok) return CONFIRMATIONS_FULL;
  return verdict === 'right'
    ? "With the votes so far, this answer is now this server's confirmed answer to its question."
    : "This answer is now marked wrong for its question: it won't be given first for it again.";
}

/**
 * "Sentence 2 instead" under a pin's note: the moderator moves the
 * confirmation to another sentence of the answer.
 */
async function confirmOtherSentence(
  payload: string,
  invocation: Invocation,
  context: CommandContext,
): Promise<Reply> {
  if (!isModerator(invocation)) {
    return privateNotice('Only moderators (Manage Messages) can choose the confirmed answer.');
  }
  const [id, key] = payload.split(':');
  const scope = scopeOf(invocation, context);
  const [item] = context.engine().explain([key ?? '']);
  const confirmation =
    scope === undefined ? undefined : await context.store?.confirmations.get(scope, Number(id));
  if (!item || !confirmation) {
    return privateNotice('That confirmation or sentence no longer exists; nothing changed.');
  }
  await context.store!.confirmations.changeSentence(scope!, confirmation.id, item.key, item.text);
  context.logger.info(
    { confirmationId: confirmation.id, sentenceKey: item.key, userId: invocation.userId },
    'Confirmed answer moved to another sentence',
  );
  return privateNotice(`✓ Confirmed instead: "${safeText(clip(item.text, 300))}"`);
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
    suggest: async (payload, invocation, context) =>
      answerReply(
        context.engine().answerSentence(payload) ??
          context.engine().answer(payload, await learningOf(invocation, context)),
        { askerId: invocation.userId },
      ),
    confirm: confirmOtherSentence,
    delete: deleteAnswer,
    up: vote('up'),
    down: vote('down'),
  },
});
