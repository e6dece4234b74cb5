/** /help — what the bot can do, in a few lines. */
import {
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandModule } from '../src/commands.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'help',
  description: 'How to use this bot',
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const HELP_TEXT = [
  '**Ask about the 2025 Istanbul Russia–Ukraine peace talks.** Answers quote news articles, each sentence cited.',
  '• `/ask question` — the best sentences; add `hide` to see it alone, `mention` to point it at someone.',
  '  Buttons: **Show context** (the text around each sentence) and **Sources** (full citations).',
  '• `/sources` — the articles I know · `/source article` — one article in detail.',
  "If the articles don't cover a question, I say so instead of guessing.",
].join('\n');

export const command: CommandModule = {
  definition,
  execute: () => ({ kind: 'notice', text: HELP_TEXT, hidden: true }),
};
