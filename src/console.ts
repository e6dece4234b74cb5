/**
 * The local console: the bot's commands in a terminal, no Discord needed.
 * Plain text asks; the commands that need only the engine (`console: true`
 * in their module) run as `/name …`; `/help` and `/quit` belong to the
 * console. It runs the same command modules as Discord and renders their
 * replies as plain text.
 */
import { createInterface } from 'node:readline/promises';
import { ApplicationCommandOptionType } from 'discord.js';
import { argsFrom } from './runtime/args.ts';
import type { ArgsByName, CommandContext, CommandModule } from './runtime/module.ts';
import type { CommandRegistry } from './runtime/registry.ts';
import {
  CONSOLE_SURFACE,
  renderReplyText,
  styledFor,
  type PlainTextSurface,
} from './render/plain-text.ts';

/** Where a Discord-only command's work can be done from a terminal instead. */
const TERMINAL_ALTERNATIVES: Readonly<Record<string, string>> = {
  knowledge:
    'To change the articles from a terminal: npm run knowledge -- list | add <link or file> | remove <id>',
};

/** The first text option a console line fills ("/ask <question>"). */
function firstTextOption(command: CommandModule) {
  const { definition } = command;
  const options = 'options' in definition ? (definition.options ?? []) : [];
  return options.find((option) => option.type === ApplicationCommandOptionType.String);
}

/** Console text after a command name fills the command's first text option. */
function argsFor(command: CommandModule, text: string): ArgsByName {
  const option = firstTextOption(command);
  return argsFrom(option ? { [option.name]: text } : {});
}

/** The commands that work here, in the registry's order. */
export function consoleCommands(registry: CommandRegistry): CommandModule[] {
  return registry.all.filter((command) => command.console === true);
}

/** What the console can do, built from the commands that run here. */
export function consoleHelp(registry: CommandRegistry): string {
  const rows = consoleCommands(registry).map((command) => {
    const option = firstTextOption(command);
    const usage = `/${command.definition.name}${option ? ` <${option.name}>` : ''}`;
    const description = 'description' in command.definition ? command.definition.description : '';
    return [usage, description] as const;
  });
  rows.push(['/help', 'this list'], ['/quit', 'leave (Ctrl+D works too)']);
  const width = Math.max(...rows.map(([usage]) => usage.length)) + 2;
  return [
    'Type a question about the Istanbul peace talks, or a command:',
    ...rows.map(([usage, description]) => `  ${usage.padEnd(width)}${description}`),
  ].join('\n');
}

/** One console input line → the text to print, or null to quit. */
export async function handleConsoleLine(
  registry: CommandRegistry,
  context: CommandContext,
  line: string,
  surface: PlainTextSurface = CONSOLE_SURFACE,
): Promise<string | null> {
  const input = line.trim();
  if (input.length === 0) return '';
  const [, typed = 'ask', rest = input] = /^\/(\S*)\s*(.*)$/s.exec(input) ?? [];
  const name = typed.toLowerCase();
  if (name === 'quit' || name === 'exit') return null;
  if (name === 'help') return consoleHelp(registry);
  const command = registry.get(name);
  if (!command) return `Unknown command /${typed}.\n${consoleHelp(registry)}`;
  if (!command.console) {
    const alternative = TERMINAL_ALTERNATIVES[name];
    return `That command works only in Discord.${alternative ? `\n${alternative}` : ''}\nHere: /help lists what works.`;
  }
  const reply = await command.execute({ args: argsFor(command, rest), userId: 'console' }, context);
  return renderReplyText(reply, surface);
}

export async function runConsole(
  registry: CommandRegistry,
  context: CommandContext,
  banner: string,
): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  process.stdout.write(`${banner}\n${consoleHelp(registry)}\n`);
  try {
    while (true) {
      let line: string;
      try {
        line = await rl.question('\n> ');
      } catch {
        break; // input closed (Ctrl+D)
      }
      const output = await handleConsoleLine(
        registry,
        context,
        line,
        styledFor(CONSOLE_SURFACE, process.stdout),
      );
      if (output === null) break;
      if (output) process.stdout.write(`${output}\n`);
    }
  } finally {
    rl.close();
  }
}
