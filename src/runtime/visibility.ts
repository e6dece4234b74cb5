/**
 * Who sees a reply: the one rule. The renderer makes a reply ephemeral exactly
 * when this says private; the answer's buttons (Pin and Delete need a public
 * message) and the Discord edge's deferral read it too. README's visibility
 * table is generated from VISIBILITY_RULES (`npm run readme`).
 */
import type { Answer } from '../search/types.ts';
import type { Reply } from './reply.ts';

export type Visibility = 'public' | 'private';

/** The rule, row by row, as README shows it. */
export const VISIBILITY_RULES: readonly { readonly reply: string; readonly seen: string }[] = [
  {
    reply: 'a confident answer to a question someone asked (/ask, "Answer with sources", a button)',
    seen: 'everyone in the channel',
  },
  {
    reply: 'passages that may answer it (uncertain), labelled so',
    seen: 'everyone in the channel: a moderator can pin the one that answers',
  },
  { reply: 'not found, with related questions', seen: 'only the member who asked' },
  { reply: 'anything asked with `hide:true`', seen: 'only the member who asked' },
  {
    reply: 'context, sources, article lists, notes, refusals, errors',
    seen: 'only the member who acted',
  },
  { reply: 'a timeline', seen: 'everyone in the channel' },
  {
    reply: 'a new article from a followed feed ("📰 New article", in the news channel)',
    seen: 'everyone in the news channel, once per article; nothing when it adds nothing new',
  },
  {
    reply: 'an answer nobody asked for (auto-answer in a Q&A channel or forum)',
    seen: 'everyone, and only when confident; otherwise nothing is posted',
  },
];

/** Who sees `reply` when it answers a member's interaction. */
export function visibilityOf(reply: Reply): Visibility {
  switch (reply.kind) {
    case 'answer':
      return reply.hidden === true || !reply.answer.answered ? 'private' : 'public';
    case 'timeline':
    case 'news':
      return 'public';
    case 'notice':
      return reply.hidden === false ? 'public' : 'private';
    case 'context':
    case 'citations':
    case 'articles':
    case 'article':
      return 'private';
  }
}

/** Whether an answer may be posted where nobody asked the bot: only when confident. */
export function mayPostUnasked(answer: Answer): boolean {
  return answer.answered && answer.uncertain !== true;
}

/** README's visibility table (`npm run readme` writes it, the README test checks it). */
export function visibilityTable(): string {
  const rows = VISIBILITY_RULES.map(({ reply, seen }) => `| ${reply} | ${seen} |`);
  return ['| the bot replies with … | who sees it |', '| --- | --- |', ...rows].join('\n');
}
