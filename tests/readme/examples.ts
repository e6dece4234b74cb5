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
import { argsFrom } from '../../src/runtime/args.ts';
import type { CommandContext } from '../../src/runtime/module.ts';
import { loadRegistry } from '../../src/runtime/registry.ts';
import { renderReply } from '../../src/render/discord.ts';
import { sketchMessage } from '../../src/render/message-sketch.ts';
import { ROOT } from '../helpers/run.ts';

export const README_FILE = join(ROOT, 'README.md');

export interface Transcript {
  /** Where the block's body starts and ends in the README text. */
  readonly start: number;
  readonly end: number;
  readonly commands: readonly { readonly command: string; readonly output: string }[];
  /** Marked `<!-- http-instance -->`: its commands talk to a local HTTP-only instance. */
  readonly httpInstance: boolean;
}

const CONSOLE_BLOCK = /^(<!-- http-instance -->\n+)?```console\n([\s\S]*?)^```$/gm;

/** Every ```console block: its commands and the output shown for each. */
export function transcripts(readme: string): Transcript[] {
  return [...readme.matchAll(CONSOLE_BLOCK)].map((match) => {
    const start = match.index + match[0].indexOf('```console\n') + '```console\n'.length;
    const commands: { command: string; output: string }[] = [];
    for (const line of match[2]!.split('\n')) {
      if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: '' });
      else if (commands.length > 0) commands.at(-1)!.output += `${line}\n`;
    }
    for (const entry of commands) entry.output = entry.output.trimEnd();
    return { start, end: start + match[2]!.length, commands, httpInstance: match[1] !== undefined };
  });
}

/** npm's run-script banner: a blank line, "> package@version script", "> command", a blank line. */
const NPM_BANNER = /^\n> \S+@\S+ \S+\n> [^\n]*\n\n/;

/**
 * Runs one example as a user would (a shell at the project root), with no
 * token and a throwaway DATA_DIR (unless `env` gives one) so the run leaves
 * nothing behind; returns stdout without npm's banner.
 */
export function runExample(command: string, env: Record<string, string> = {}): Promise<string> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'talks-bot-readme-'));
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: dataDir,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (env.DATA_DIR === undefined) rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`"${command}" exited ${code}:\n${stderr}`));
      else resolve(stdout.replace(NPM_BANNER, '').trimEnd());
    });
  });
}

/**
 * Runs `work` with an HTTP-only instance as README tells a reader to start
 * one: a key pair from `npm run interact -- keygen` in a throwaway DATA_DIR,
 * `npm start` trusting its public key. `work` gets the environment under
 * which `npm run interact` reaches it (that DATA_DIR and its port).
 */
export async function withHttpInstance<T>(
  work: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-readme-http-'));
  const made = await runExample('npm run -s interact -- keygen', { DATA_DIR: dataDir });
  const publicKey = /public key: ([0-9a-f]{64})/.exec(made)?.[1] ?? '';
  const instance = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dataDir,
      DISCORD_PUBLIC_KEY: publicKey,
      INTERACTIONS_PORT: '0',
      GATEWAY: 'false',
      ASK_COOLDOWN_SECONDS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let logs = '';
      const read = (chunk: Buffer) => {
        logs += chunk.toString();
        const found = /"port":(\d+),"msg":"HTTP interactions endpoint listening"/.exec(logs);
        if (found) resolve(found[1]!);
      };
      instance.stdout.on('data', read);
      instance.stderr.on('data', read);
      instance.once('exit', () => reject(new Error(`the HTTP instance exited:\n${logs}`)));
    });
    return await work({ DATA_DIR: dataDir, INTERACTIONS_PORT: port });
  } finally {
    instance.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
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

/** What a member sees for `/ask question`: the reply's text, embeds and buttons, as lines. */
export async function discordSketch(question: string, context: CommandContext): Promise<string> {
  const ask = (await loadRegistry()).get('ask')!;
  const reply = await ask.execute(
    { args: argsFrom({ question }), userId: '100000000000000001' },
    context,
  );
  // Bold as Discord's markdown shows it: the short answer and the phrase that answers.
  return sketchMessage(renderReply(reply), (text) => `**${text}**`);
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
