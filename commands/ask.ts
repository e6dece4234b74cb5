/**
 * /ask question [hide] [mention] — cited sentences from the articles.
 * Buttons on the answer: Show context, Sources, Pin (moderators), 👍 / 👎.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import {
  buttonId,
  type CommandContext,
  type CommandModule,
  type Invocation,
} from '../src/commands.ts';
import { cooldownNotice } from '../src/cooldown.ts';
import { pinAnswer, privateNote } from '../src/moderation.ts';
import type { Reply, ReplyButton } from '../src/reply.ts';
import type { Answer, AnswerItem } from '../src/search/types.ts';

export const MAX_QUESTION_LENGTH = 300;

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
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Answer keys travel in button ids; "." never occurs in a key. */
const KEY_SEPARATOR = '.';

function answerButtons(items: readonly AnswerItem[], hidden: boolean): ReplyButton[] {
  const keys = items.map((item) => item.key).join(KEY_SEPARATOR);
  return [
    { label: 'Show context', customId: buttonId('ask', 'context', keys) },
    { label: 'Sources', customId: buttonId('ask', 'sources', keys) },
    // An ephemeral answer cannot be pinned; everyone else's view has the button.
    ...(hidden ? [] : [{ label: 'Pin', customId: buttonId('ask', 'pin', '') }]),
    { label: '👍', customId: buttonId('ask', 'up', keys) },
    { label: '👎', customId: buttonId('ask', 'down', keys) },
  ];
}

/** The /ask reply for a question: also used by "Answer with sources" and auto-answers. */
export function answerReply(
  answer: Answer,
  options: { hidden?: boolean; mentionUserId?: string } = {},
): Reply {
  const hidden = options.hidden ?? false;
  return {
    kind: 'answer',
    answer,
    hidden,
    ...(options.mentionUserId !== undefined && { mentionUserId: options.mentionUserId }),
    buttons: answer.answered ? answerButtons(answer.answers, hidden) : [],
  };
}

const EXPIRED = privateNote(
  'The articles behind this answer have changed since it was posted. Ask again with /ask.',
);

function explain(payload: string, context: CommandContext): AnswerItem[] {
  return context.engine().explain(payload.split(KEY_SEPARATOR).filter(Boolean));
}

/** A 👍/👎 button: one vote per member per answer, changeable. */
function vote(direction: 'up' | 'down') {
  return (payload: string, invocation: Invocation, context: CommandContext): Reply => {
    const { message, guildId } = invocation;
    if (!context.store || !message || !guildId)
      return privateNote('Votes are counted in servers only.');
    const result = context.store.feedback.vote({
      messageId: message.id,
      guildId,
      channelId: message.channelId,
      userId: invocation.userId,
      question: message.question ?? '',
      sentences: explain(payload, context).map((item) => item.text),
      vote: direction,
    });
    const mark = direction === 'up' ? '👍' : '👎';
    const text = {
      recorded: `Thanks — your ${mark} is recorded.`,
      changed: `Changed your vote to ${mark}.`,
      unchanged: `You already voted ${mark} on this answer.`,
    }[result];
    return privateNote(text);
  };
}

export const command: CommandModule = {
  definition,
  execute({ args, userId }, { engine, cooldowns }) {
    const wait = cooldowns?.ask.take(userId) ?? 0;
    if (wait > 0) return privateNote(cooldownNotice(wait));
    const question = (args.string('question') ?? '').slice(0, MAX_QUESTION_LENGTH);
    const mention = args.user('mention');
    return answerReply(engine().answer(question), {
      hidden: args.boolean('hide') ?? false,
      ...(mention !== undefined && { mentionUserId: mention }),
    });
  },
  autocomplete({ value }, { engine }) {
    return engine()
      .suggest(value)
      .map((choice) => ({ name: choice, value: choice }));
  },
  buttons: {
    context(payload, _invocation, context) {
      const items = explain(payload, context);
      return items.length > 0 ? { kind: 'context', items } : EXPIRED;
    },
    sources(payload, _invocation, context) {
      const items = explain(payload, context);
      return items.length > 0 ? { kind: 'citations', items } : EXPIRED;
    },
    pin: (_payload, invocation, context) => pinAnswer(invocation, context),
    up: vote('up'),
    down: vote('down'),
  },
};
