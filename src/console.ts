/**
 * The local console: the bot's commands in a terminal, no Discord needed.
 * `/ask …` or plain text asks; `/sources`, `/source …`, `/help`, `/quit`.
 * It runs the same command modules as Discord and renders their replies as text.
 */
import { createInterface } from 'node:readline/promises';
import { ApplicationCommandOptionType } from 'discord.js';
import { argsFrom } from './command/args.ts';
import type { ArgsByName, CommandContext, CommandModule } from './command/module.ts';
import type { CommandRegistry } from './command/registry.ts';
import { renderReplyText } from './render/plain-text.ts';

export const CONSOLE_HELP = `Ask a question about the Istanbul peace talks, or use a command:
  /ask <question>   answer with cited sentences (plain text works too)
  /sources          list the articles I answer from
  /source <title>   one article's details
  /timeline         the dated events in the articles
  /help             what the Discord commands do
  /quit             leave (Ctrl+D works too)`;

/** Console text after a command name fills the command's first text option. */
function argsFor(command: CommandModule, text: string): ArgsByName {
  const { definition } = command;
  const options = 'options' in definition ? (definition.options ?? []) : [];
  const first = options.find((option) => option.type === ApplicationCommandOptionType.String);
  return argsFrom(first ? { [first.name]: text } : {});
}

/** One console input line → the text to print, or null to quit. */
export async function handleConsoleLine(
  registry: CommandRegistry,
  context: CommandContext,
  line: string,
): Promise<string | null> {
  const input = line.trim();
  if (input.length === 0) return '';
  const [, name = 'ask', rest = input] = /^\/(\S*)\s*(.*)$/s.exec(input) ?? [];
  if (name === 'quit' || name === 'exit') return null;
  const command = registry.get(name.toLowerCase());
  if (!command) return `Unknown command /${name}.\n${CONSOLE_HELP}`;
  const reply = await command.execute({ args: argsFor(command, rest), userId: 'console' }, context);
  return renderReplyText(reply);
}

export async function runConsole(
  registry: CommandRegistry,
  context: CommandContext,
  banner: string,
): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  process.stdout.write(`${banner}\n${CONSOLE_HELP}\n`);
  try {
    while (true) {
      let line: string;
      try {
        line = await rl.question('\n> ');
      } catch {
        break; // input closed (Ctrl+D)
      }
      const output = await handleConsoleLine(registry, context, line);
      if (output === null) break;
      if (output) process.stdout.write(`${output}\n`);
    }
  } finally {
    rl.close();
  }
}
