/** /feedback (moderators): 👍/👎 totals and the questions most often marked unhelpful. */
import {
  ApplicationCommandType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandModule } from '../src/commands.ts';
import { memberHas, privateNote } from '../src/moderation.ts';
import { safeText } from '../src/text.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'feedback',
  description: 'Helpful/unhelpful votes on answers, and the questions answered worst',
  default_member_permissions: PermissionFlagsBits.ManageMessages.toString(),
  contexts: [0],
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const command: CommandModule = {
  definition,
  execute(invocation, { store }) {
    if (!store || !invocation.guildId)
      return privateNote('Feedback is kept per server; use this in a server.');
    if (!memberHas(invocation, PermissionFlagsBits.ManageMessages)) {
      return privateNote('Only moderators (Manage Messages) can see feedback.');
    }
    const totals = store.feedback.totals(invocation.guildId);
    if (totals.answers === 0)
      return privateNote('No votes yet. Members vote with 👍/👎 under public answers.');
    const worst = store.feedback.mostUnhelpful(invocation.guildId, 5);
    const lines = [
      `**Votes:** ${totals.up} 👍 · ${totals.down} 👎 on ${totals.answers} answer${totals.answers === 1 ? '' : 's'}.`,
    ];
    if (worst.length > 0) {
      lines.push('**Most often unhelpful:**');
      for (const [i, q] of worst.entries()) {
        lines.push(
          `${i + 1}. ${safeText(q.question.replace(/\s+/g, ' ').slice(0, 150))} — ${q.down} 👎 · ${q.up} 👍`,
        );
      }
      lines.push('Consider adding an article that answers these (`/knowledge add`).');
    }
    return privateNote(lines.join('\n'));
  },
};
