/** /sources — the articles the bot answers from. */
import { ApplicationCommandType } from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/runtime/module.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'sources',
  description: 'List the articles I answer from',
} as const satisfies CommandDefinition;

export const command = defineCommand(definition, {
  console: true,
  execute: (_invocation, { engine }) => ({ kind: 'articles', articles: engine().articles }),
});
