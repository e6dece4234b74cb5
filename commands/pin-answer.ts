/** "Pin answer" (message context menu, moderators): pins one of the bot's answers. */
import { ApplicationCommandType, InteractionContextType } from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/runtime/module.ts';
import { defaultPermissions } from '../src/runtime/permissions.ts';
import { pinAnswer } from '../src/confirmations/pin.ts';

export const definition = {
  type: ApplicationCommandType.Message,
  name: 'Pin answer',
  // Only members who can pin see it; pinAnswer checks again on every use.
  default_member_permissions: defaultPermissions('pin'),
  contexts: [InteractionContextType.Guild],
} as const satisfies CommandDefinition;

export const command = defineCommand(definition, {
  execute: (invocation, context) => pinAnswer(invocation, context),
});
