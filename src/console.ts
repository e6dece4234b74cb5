/**
 * The local console: the bot's answers in a terminal, no Discord needed.
 * `/ask …` or plain text asks; `/sources`, `/help`, `/quit`.
 */
import { createInterface } from 'node:readline/promises';
import type { Engine } from './engine.ts';
import { renderAnswerText, renderSourcesText } from './render/text.ts';

export const CONSOLE_HELP = `Ask a question about the Istanbul peace talks, or use a command:
  /ask <question>   answer with cited sentences (plain text works too)
  /sources          list the articles I answer from
  /help             this list
  /quit             leave (Ctrl+D works too)`;

/** One console input line → the text to print, or null to quit. */
export function handleConsoleLine(engine: Engine, line: string): string | null {
  const input = line.trim();
  if (input.length === 0) return '';
  const [, command = '', rest = ''] = /^\/(\S*)\s*(.*)$/s.exec(input) ?? [];
  if (!input.startsWith('/')) return renderAnswerText(engine.answer(input));
  switch (command.toLowerCase()) {
    case 'ask':
      return rest ? renderAnswerText(engine.answer(rest)) : 'Usage: /ask <question>';
    case 'sources':
      return renderSourcesText(engine.articles);
    case 'help':
      return CONSOLE_HELP;
    case 'quit':
    case 'exit':
      return null;
    default:
      return `Unknown command /${command}. ${CONSOLE_HELP}`;
  }
}

export async function runConsole(engine: Engine, banner: string): Promise<void> {
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
      const output = handleConsoleLine(engine, line);
      if (output === null) break;
      if (output) process.stdout.write(`${output}\n`);
    }
  } finally {
    rl.close();
  }
}
