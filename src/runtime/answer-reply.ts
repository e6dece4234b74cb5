/**
 * The reply to a question, wherever it was asked: /ask, "Answer with sources"
 * and auto-answers all post the same answer with the same buttons. The
 * buttons route back to the /ask module, which handles the presses.
 */
import type { CommandContext } from './module.ts';
import { buttonId, parseButtonId } from './button-id.ts';
import type { Reply, ReplyButton } from './reply.ts';
import type { Answer, AnswerItem, RelatedQuestion } from '../search/types.ts';

/** The command whose module handles the answer buttons. */
export const ANSWER_COMMAND = 'ask';

/** Answer keys travel in button ids; "." never occurs in a key. */
const KEY_SEPARATOR = '.';

function answerButtons(
  items: readonly AnswerItem[],
  hidden: boolean,
  askerId: string | undefined,
): ReplyButton[] {
  const keys = items.map((item) => item.key).join(KEY_SEPARATOR);
  return [
    { label: 'Show context', customId: buttonId(ANSWER_COMMAND, 'context', keys) },
    { label: 'Sources', customId: buttonId(ANSWER_COMMAND, 'sources', keys) },
    // An ephemeral answer cannot be pinned; everyone else's view has the button.
    ...(hidden ? [] : [{ label: 'Pin', customId: buttonId(ANSWER_COMMAND, 'pin', '') }]),
    { label: '👍', customId: buttonId(ANSWER_COMMAND, 'up', keys) },
    { label: '👎', customId: buttonId(ANSWER_COMMAND, 'down', keys) },
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
 * The answer as a reply to a question someone asked explicitly (/ask, "Answer
 * with sources", a related-question button): public when it answers,
 * confident or not — uncertain passages are labelled "may answer it", so the
 * channel sees them and a moderator can pin (confirm) them — unless the
 * member hid it; "not found" is for the asker only, with its related questions
 * as buttons that ask them. Unsolicited answers (auto-answer) are posted only
 * when confident: that is the caller's decision.
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
  const hidden = (options.hidden ?? false) || !answer.answered;
  return {
    kind: 'answer',
    answer,
    hidden,
    ...(options.mentionUserId !== undefined && { mentionUserId: options.mentionUserId }),
    buttons: answer.answered
      ? answerButtons(answer.answers, hidden, options.askerId)
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

/** The answer items behind a button's payload (empty when the articles changed since). */
export function answerItemsOf(payload: string, context: CommandContext): AnswerItem[] {
  return context.engine().explain(payload.split(KEY_SEPARATOR).filter(Boolean));
}
