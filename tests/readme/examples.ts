/**
 * README examples that come from the code. Two kinds of block are checked
 * (tests/readme/readme.test.ts) and rewritten (`npm run readme`):
 *
 * - ```console transcripts: each `$ command` line is run in a shell at the
 *   project root, and the lines after it are what it prints on stdout (npm's
 *   "> talks-bot@… script" banner left out, as `npm run -s` does).
 * - a ```text block right after `<!-- discord-example: /ask <question> -->`:
 *   the /ask reply as the Discord renderer builds it, sketched as the text a
 *   member reads (markdown rendered, buttons in brackets).
 *
 * The answer-quality table between `<!-- quality-table -->` and
 * `<!-- /quality-table -->` is written from `npm run eval`'s figures
 * (tests/golden/report.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { argsFrom } from '../../src/command/args.ts';
import type { CommandContext } from '../../src/command/module.ts';
import { loadRegistry } from '../../src/command/registry.ts';
import { renderReply } from '../../src/render/discord.ts';
import { plainFromMarkdown } from '../../src/render/plain-text.ts';
import { ROOT } from '../helpers/run.ts';

export const README_FILE = join(ROOT, 'README.md');

export interface Transcript {
  /** Where the block's body starts and ends in the README text. */
  readonly start: number;
  readonly end: number;
  readonly commands: readonly { readonly command: string; readonly output: string }[];
}

const CONSOLE_BLOCK = /^```console\n([\s\S]*?)^```$/gm;

/** Every ```console block: its commands and the output shown for each. */
export function transcripts(readme: string): Transcript[] {
  return [...readme.matchAll(CONSOLE_BLOCK)].map((match) => {
    const start = match.index + '```console\n'.length;
    const commands: { command: string; output: string }[] = [];
    for (const line of match[1]!.split('\n')) {
      if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: '' });
      else if (commands.length > 0) commands.at(-1)!.output += `${line}\n`;
    }
    for (const entry of commands) entry.output = entry.output.trimEnd();
    return { start, end: start + match[1]!.length, commands };
  });
}

/** npm's run-script banner: a blank line, "> package@version script", "> command", a blank line. */
const NPM_BANNER = /^\n> \S+@\S+ \S+\n> [^\n]*\n\n/;

/**
 * Runs one example as a user would (a shell at the project root), with no
 * token and a throwaway DATA_DIR so the run leaves nothing behind; returns
 * stdout without npm's banner.
 */
export function runExample(command: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-readme-'));
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`"${command}" exited ${code}:\n${stderr}`));
      else resolve(stdout.replace(NPM_BANNER, '').trimEnd());
    });
  });
}

const DISCORD_EXAMPLE = /^<!-- discord-example: \/ask (.+?) -->\n+```text\n([\s\S]*?)^```$/gm;

export interface DiscordExample {
  readonly question: string;
  readonly start: number;
  readonly end: number;
  readonly shown: string;
}

export function discordExamples(readme: string): DiscordExample[] {
  return [...readme.matchAll(DISCORD_EXAMPLE)].map((match) => {
    const start = match.index + match[0].indexOf('```text\n') + '```text\n'.length;
    return {
      question: match[1]!,
      start,
      end: start + match[2]!.length,
      shown: match[2]!.trimEnd(),
    };
  });
}

function embedSketch(embed: APIEmbed): string[] {
  return [
    ...(embed.title ? [embed.title] : []),
    ...(embed.description ? [embed.description] : []),
    ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    ...(embed.footer ? [embed.footer.text] : []),
  ].map(plainFromMarkdown);
}

/** What a member sees for `/ask question`: the reply's text, embeds and buttons, as lines. */
export async function discordSketch(question: string, context: CommandContext): Promise<string> {
  const ask = (await loadRegistry()).get('ask')!;
  const reply = await ask.execute(
    { args: argsFrom({ question }), userId: '100000000000000001' },
    context,
  );
  const payload = renderReply(reply);
  const rows = (payload.components ?? []) as APIActionRowComponent<APIButtonComponent>[];
  return [
    ...(payload.content ? [plainFromMarkdown(payload.content)] : []),
    ...(payload.embeds ?? []).flatMap((embed) => embedSketch(embed as APIEmbed)),
    ...rows.map((row) =>
      row.components.map((button) => `[${'label' in button ? button.label : ''}]`).join(' '),
    ),
  ].join('\n');
}

/** The README with `replacements` (sorted or not) spliced in, each over its [start, end). */
export function splice(
  text: string,
  replacements: readonly { start: number; end: number; text: string }[],
): string {
  let result = text;
  for (const { start, end, text: replacement } of [...replacements].sort(
    (a, b) => b.start - a.start,
  )) {
    result = result.slice(0, start) + replacement + result.slice(end);
  }
  return result;
}
