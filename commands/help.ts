/** /help — every command the bot registers, built from their definitions. */
import { ApplicationCommandOptionType, ApplicationCommandType, bold, inlineCode } from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/runtime/module.ts';
import { privateNotice } from '../src/runtime/reply.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'help',
  description: 'How to use this bot',
} as const satisfies CommandDefinition;

type Option = NonNullable<Extract<CommandDefinition, { options?: unknown }>['options']>[number];

/** "/ask question [hide] [mention]", "/knowledge add|list|remove|reload". */
function usage(name: string, options: readonly Option[]): string {
  const subcommands = options.filter(
    (o) =>
      o.type === ApplicationCommandOptionType.Subcommand ||
      o.type === ApplicationCommandOptionType.SubcommandGroup,
  );
  if (subcommands.length > 0) return `/${name} ${subcommands.map((o) => o.name).join('|')}`;
  const args = options.map((o) => ('required' in o && o.required ? o.name : `[${o.name}]`));
  return [`/${name}`, ...args].join(' ');
}

/** One line per slash command, then the message commands (right-click menu). */
export function helpText(definitions: readonly CommandDefinition[]): string {
  const lines = [
    `${bold('Ask about the 2025 Istanbul Russia–Ukraine peace talks.')} Answers quote news articles, each sentence cited.`,
  ];
  const messageCommands: string[] = [];
  for (const command of definitions) {
    const moderators = command.default_member_permissions ? ' (moderators)' : '';
    if (command.type === ApplicationCommandType.Message) {
      messageCommands.push(`${bold(command.name)}${moderators}`);
    } else if (command.type === ApplicationCommandType.ChatInput || command.type === undefined) {
      const options = 'options' in command ? (command.options ?? []) : [];
      lines.push(
        `• ${inlineCode(usage(command.name, options))} — ${command.description}${moderators}`,
      );
    }
  }
  if (messageCommands.length > 0) {
    lines.push(`• Right-click a message → Apps: ${messageCommands.join(', ')}`);
  }
  lines.push(
    `Answers have buttons: ${bold('Show context')} (the text around each sentence), ${bold('Sources')} (full citations) and ${bold('🗑 Delete')} (for whoever asked).`,
    "If the articles don't cover a question, I say so instead of guessing.",
  );
  return lines.join('\n');
}

export const command = defineCommand(definition, {
  execute: (_invocation, { commands }) => privateNotice(helpText(commands())),
});
