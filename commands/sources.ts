/** /sources — the articles the bot answers from. */
import {
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandModule } from '../src/commands.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'sources',
  description: 'List the articles I answer from',
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const command: CommandModule = {
  definition,
  execute: (_invocation, { engine }) => ({ kind: 'articles', articles: engine().articles }),
};
