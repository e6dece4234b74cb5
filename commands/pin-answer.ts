/** "Pin answer" (message context menu, moderators): pins one of the bot's answers. */
import {
  ApplicationCommandType,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandModule } from '../src/commands.ts';
import { PIN_PERMISSIONS, pinAnswer } from '../src/moderation.ts';

export const definition = {
  type: ApplicationCommandType.Message,
  name: 'Pin answer',
  // Only members who can pin see it; pinAnswer checks again on every use.
  default_member_permissions: PIN_PERMISSIONS.toString(),
  contexts: [0],
} satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;

export const command: CommandModule = {
  definition,
  execute: (invocation, context) => pinAnswer(invocation, context),
};
