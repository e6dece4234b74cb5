/**
 * /ask question [hide] [mention] — cited sentences from the articles.
 * Buttons on the answer: Show context, Sources.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { buttonId, type CommandModule } from '../src/commands.ts';
import type { Reply, ReplyButton } from '../src/reply.ts';
import type { AnswerItem } from '../src/search/types.ts';

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

function answerButtons(items: readonly AnswerItem[]): ReplyButton[] {
  const keys = items.map((item) => item.key).join(KEY_SEPARATOR);
  return [
    { label: 'Show context', customId: buttonId('ask', 'context', keys) },
    { label: 'Sources', customId: buttonId('ask', 'sources', keys) },
  ];
}

const EXPIRED: Reply = {
  kind: 'notice',
  text: 'The articles behind this answer have changed since it was posted. Ask again with /ask.',
  hidden: true,
};

function explain(payload: string, engine: { explain(keys: string[]): AnswerItem[] }) {
  return engine.explain(payload.split(KEY_SEPARATOR).filter(Boolean));
}

export const command: CommandModule = {
  definition,
  execute({ args }, { engine }) {
    const question = (args.string('question') ?? '').slice(0, MAX_QUESTION_LENGTH);
    const mention = args.user('mention');
    const answer = engine().answer(question);
    return {
      kind: 'answer',
      answer,
      hidden: args.boolean('hide') ?? false,
      ...(mention !== undefined && { mentionUserId: mention }),
      buttons: answerButtons(answer.answers),
    };
  },
  autocomplete({ value }, { engine }) {
    return engine()
      .suggest(value)
      .map((choice) => ({ name: choice, value: choice }));
  },
  buttons: {
    context(payload, _invocation, { engine }) {
      const items = explain(payload, engine());
      return items.length > 0 ? { kind: 'context', items } : EXPIRED;
    },
    sources(payload, _invocation, { engine }) {
      const items = explain(payload, engine());
      return items.length > 0 ? { kind: 'citations', items } : EXPIRED;
    },
  },
};
