/**
 * What a command answers, before it is rendered for Discord, the console or
 * JSON. Keeping this a plain value keeps commands testable without a client.
 */
import type { TimelineEvent } from '../search/timeline/timeline.ts';
import type { Answer, AnswerItem, ArticleSummary } from '../search/types.ts';
import type { NewsInput } from '../store/types.ts';

/** A button under a reply; the custom id routes the press back to its command. */
export interface ReplyButton {
  readonly label: string;
  readonly customId: string;
}

export type Reply =
  /** Cited sentences for a question (or the honest "not in the articles"). */
  | {
      readonly kind: 'answer';
      readonly answer: Answer;
      /** Only the asker sees it. */
      readonly hidden?: boolean;
      /** A member the answer is pointed at (the only one who may be pinged). */
      readonly mentionUserId?: string;
      readonly buttons?: readonly ReplyButton[];
    }
  /** The passage around each answer sentence. */
  | { readonly kind: 'context'; readonly items: readonly AnswerItem[] }
  /** Full citations for each answer sentence. */
  | { readonly kind: 'citations'; readonly items: readonly AnswerItem[] }
  | { readonly kind: 'articles'; readonly articles: readonly ArticleSummary[] }
  | { readonly kind: 'article'; readonly article: ArticleSummary }
  /** Dated events in order; `range` describes the from/to the member asked for. */
  | { readonly kind: 'timeline'; readonly events: readonly TimelineEvent[]; readonly range: string }
  /** An article a feed added, and the sentences it adds (a server's news channel). */
  | { readonly kind: 'news'; readonly news: NewsInput }
  /** A short message: help, a refusal, an error. */
  | {
      readonly kind: 'notice';
      readonly text: string;
      readonly hidden?: boolean;
      /** Choices under the note (a preview's Add / Cancel). */
      readonly buttons?: readonly ReplyButton[];
      /** The one member the note may ping (it names them as <@id>). */
      readonly mentionUserId?: string;
    };

/** A short note only the member who acted sees: a refusal, a confirmation, help. */
export function privateNotice(text: string, buttons?: readonly ReplyButton[]): Reply {
  return { kind: 'notice', text, hidden: true, ...(buttons && buttons.length > 0 && { buttons }) };
}
