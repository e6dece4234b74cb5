/**
 * /answers teach|learned|gaps (moderators, Manage Messages): confirm the
 * sentence that answers a question, for every way of asking it; list and
 * forget what the server confirmed; see what members asked that the articles
 * did not answer well.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
} from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/runtime/module.ts';
import { defaultPermissions, may, refusal } from '../src/runtime/permissions.ts';
import { privateNotice } from '../src/runtime/reply.ts';
import {
  ANSWERS_COMMAND,
  forgetConfirmation,
  forgetGap,
  gapsHere,
  learnedHere,
  teachChoices,
  teachHere,
} from '../src/confirmations/moderation.ts';
import { MAX_QUESTION_LENGTH } from '../src/search/answer/options.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: ANSWERS_COMMAND,
  description: "The server's confirmed answers: teach one, list and forget them, see what to teach",
  default_member_permissions: defaultPermissions('teach'),
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'teach',
      description: 'Confirm the sentence that answers a question, for every way of asking it',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'question',
          description: 'The question, as members ask it (recent unanswered ones are offered)',
          required: true,
          max_length: MAX_QUESTION_LENGTH,
          autocomplete: true,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'answer',
          description: 'Start typing the answer and pick the sentence (or quote it)',
          required: true,
          autocomplete: true,
          max_length: MAX_QUESTION_LENGTH,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'learned',
      description: 'The answers this server confirmed, with buttons to forget them',
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'gaps',
      description: "Members' recent questions that got no answer or an unsure one: what to teach",
    },
  ],
} as const satisfies CommandDefinition;

export const command = defineCommand(definition, {
  execute(invocation, context) {
    if (!may(invocation, 'teach')) {
      return privateNotice(refusal('teach', 'confirm or forget answers'));
    }
    switch (invocation.args.subcommand()) {
      case 'teach':
        return teachHere(invocation, context);
      case 'learned':
        return learnedHere(invocation, context);
      case 'gaps':
        return gapsHere(invocation, context);
      default:
        return privateNotice('Use /answers teach, learned or gaps.');
    }
  },
  buttons: { forget: forgetConfirmation, forgetGap },
  autocomplete: teachChoices,
});
