/**
 * The reply to a question, wherever it was asked: /ask, "Answer with sources"
 * and auto-answers all post the same answer with the same buttons. The
 * buttons route back to the /ask module, which handles the presses.
 */
import type { CommandContext } from './module.ts';
import { buttonId, parseButtonId } from './button-id.ts';
import type { Reply, ReplyButton } from './reply.ts';
import { visibilityOf } from './visibility.ts';
import type { Answer, AnswerItem, RelatedQuestion } from '../search/types.ts';
import { questionId } from '../store/types.ts';

/** The command whose module handles the answer buttons. */
export const ANSWER_COMMAND = 'ask';

/** Answer keys travel in button ids; "." never occurs in a key. */
const KEY_SEPARATOR = '.';
/** Before it in a vote button's payload: the question's id ("~" occurs in neither). */
const QUESTION_SEPARATOR = '~';

function answerButtons(
  items: readonly AnswerItem[],
  hidden: boolean,
  askerId: string | undefined,
  question: string,
): ReplyButton[] {
  const keys = items.map((item) => item.key).join(KEY_SEPARATOR);
  // What a pin or votes confirm is the question exactly as asked: kept in the store
  // under this id (store.questions), never read back from the message's text.
  const asked = questionId(question);
  const voted = `${asked}${QUESTION_SEPARATOR}${keys}`;
  return [
    { label: 'Show context', customId: buttonId(ANSWER_COMMAND, 'context', keys) },
    { label: 'Sources', customId: buttonId(ANSWER_COMMAND, 'sources', keys) },
    // An ephemeral answer cannot be pinned; everyone else's view has the button.
    ...(hidden ? [] : [{ label: 'Pin', customId: buttonId(ANSWER_COMMAND, 'pin', asked) }]),
    { label: '👍', customId: buttonId(ANSWER_COMMAND, 'up', voted) },
    { label: '👎', customId: buttonId(ANSWER_COMMAND, 'down', voted) },
    // Whoever asked (and moderators) may remove a public answer; the id says who asked.
    ...(hidden || askerId === undefined
      ? []
      : [{ label: '🗑 Delete', customId: buttonId(ANSWER_COMMAND, 'delete', askerId) }]),
  ];
}

/** Buttons that show the related questions' answers: the label asks, the id carries the sentence key. */
function suggestionButtons(suggestions: readonly RelatedQuestion[]): ReplyButton[] {
  return suggestions.map(({ question, key }) => ({
    label: question,
    customId: buttonId(ANSWER_COMMAND, 'suggest', key),
  }));
}

/**
 * The answer as a reply to a question someone asked: the sentences and their
 * buttons, or "not found" with its related questions as buttons that ask
 * them. Who sees it is runtime/visibility.ts's rule; an answer that cannot be
 * public gets no Pin or Delete.
 */
export function answerReply(
  answer: Answer,
  options: {
    hidden?: boolean;
    mentionUserId?: string;
    /** The member whose question this answers: they may delete the public answer. */
    askerId?: string;
  } = {},
): Reply {
  const reply = {
    kind: 'answer',
    answer,
    hidden: options.hidden ?? false,
    ...(options.mentionUserId !== undefined && { mentionUserId: options.mentionUserId }),
  } as const;
  const hidden = visibilityOf(reply) === 'private';
  return {
    ...reply,
    buttons: answer.answered
      ? answerButtons(answer.answers, hidden, options.askerId, answer.question)
      : suggestionButtons(answer.suggestions ?? []),
  };
}

/**
 * The sentence keys of an answer message, first first, read from its buttons'
 * ids (the Show context button carries them all).
 */
export function answerKeysFromButtons(customIds: readonly string[]): string[] {
  for (const id of customIds) {
    const parsed = parseButtonId(id);
    if (parsed?.command === ANSWER_COMMAND && parsed.button === 'context') {
      return parsed.payload.split(KEY_SEPARATOR).filter(Boolean);
    }
  }
  return [];
}

/**
 * The id of the question an answer message answers, from its Pin or vote
 * buttons; undefined for messages posted before questions were kept.
 */
export function questionIdFromButtons(customIds: readonly string[]): string | undefined {
  for (const id of customIds) {
    const parsed = parseButtonId(id);
    if (parsed?.command !== ANSWER_COMMAND) continue;
    if (parsed.button === 'pin' && parsed.payload !== '') return parsed.payload;
    if (
      (parsed.button === 'up' || parsed.button === 'down') &&
      parsed.payload.includes(QUESTION_SEPARATOR)
    )
      return parsed.payload.split(QUESTION_SEPARATOR)[0];
  }
  return undefined;
}

/** The answer items behind a button's payload (empty when the articles changed since). */
export function answerItemsOf(payload: string, context: CommandContext): AnswerItem[] {
  const keys = payload.split(QUESTION_SEPARATOR).at(-1) ?? '';
  return context.engine().explain(keys.split(KEY_SEPARATOR).filter(Boolean));
}
