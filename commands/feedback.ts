/** /feedback (moderators): 👍/👎 totals and the questions most often marked unhelpful. */
import { ApplicationCommandType, bold, InteractionContextType } from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/runtime/module.ts';
import { defaultPermissions, may, refusal } from '../src/runtime/permissions.ts';
import { privateNotice } from '../src/runtime/reply.ts';
import { safeText } from '../src/render/discord-markdown.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'feedback',
  description: 'Helpful/unhelpful votes on answers, and the questions answered worst',
  default_member_permissions: defaultPermissions('feedback'),
  contexts: [InteractionContextType.Guild],
} as const satisfies CommandDefinition;

export const command = defineCommand(definition, {
  async execute(invocation, { store }) {
    if (!store || !invocation.guildId)
      return privateNotice('Feedback is kept per server; use this in a server.');
    if (!may(invocation, 'feedback')) return privateNotice(refusal('feedback', 'see feedback'));
    const totals = await store.feedback.totals(invocation.guildId);
    if (totals.answers === 0)
      return privateNotice('No votes yet. Members vote with 👍/👎 under public answers.');
    const worst = await store.feedback.mostUnhelpful(invocation.guildId, 5);
    const lines = [
      `${bold('Votes:')} ${totals.up} 👍 · ${totals.down} 👎 on ${totals.answers} answer${totals.answers === 1 ? '' : 's'}.`,
    ];
    if (worst.length > 0) {
      lines.push(bold('Most often unhelpful:'));
      for (const [i, q] of worst.entries()) {
        lines.push(
          `${i + 1}. ${safeText(q.question.replace(/\s+/g, ' ').slice(0, 150))} — ${q.down} 👎 · ${q.up} 👍`,
        );
      }
      lines.push('Consider adding an article that answers these (`/knowledge add`).');
    }
    return privateNotice(lines.join('\n'));
  },
});
