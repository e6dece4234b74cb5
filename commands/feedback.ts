/** /feedback (moderators): 👍/👎 totals and the questions most often marked unhelpful. */
import {
  ApplicationCommandType,
  bold,
  InteractionContextType,
  PermissionFlagsBits,
} from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/command/module.ts';
import { memberHas } from '../src/command/member-permissions.ts';
import { privateNotice } from '../src/command/reply.ts';
import { safeText } from '../src/render/discord-markdown.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'feedback',
  description: 'Helpful/unhelpful votes on answers, and the questions answered worst',
  default_member_permissions: PermissionFlagsBits.ManageMessages.toString(),
  contexts: [InteractionContextType.Guild],
} as const satisfies CommandDefinition;

export const command = defineCommand(definition, {
  async execute(invocation, { store }) {
    if (!store || !invocation.guildId)
      return privateNotice('Feedback is kept per server; use this in a server.');
    if (!memberHas(invocation, PermissionFlagsBits.ManageMessages)) {
      return privateNotice('Only moderators (Manage Messages) can see feedback.');
    }
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
