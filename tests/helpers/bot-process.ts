/**
 * The bot as `npm start` runs it, in a process of its own, pointed at a fake
 * Discord: for load runs and for several instances side by side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeDiscord } from '../fixtures/fake-discord.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BotProcess {
  readonly child: ChildProcess;
  /** Everything it wrote so far (JSON log lines). */
  logs(): string;
  /** Its HTTP interactions endpoint, when it serves one. */
  readonly endpoint?: string;
}

export interface BotProcessOptions {
  /** Settings on top of the fake's API URL and a quiet cooldown; DATA_DIR at least. */
  readonly env: Readonly<Record<string, string>>;
  /** Node flags before the entry point, e.g. --expose-gc. */
  readonly nodeArgs?: readonly string[];
  /** Resolve once it has logged in over the gateway (it has DISCORD_TOKEN and the gateway on). */
  readonly waitForGateway?: boolean;
  /** Run dist/ (what `npm start` runs) instead of the sources. */
  readonly compiled?: boolean;
  readonly timeoutMs?: number;
}

/**
 * Starts it; resolves once it is ready: logged in over the gateway, and
 * serving its HTTP endpoint when INTERACTIONS_PORT is set (whose address it
 * returns).
 */
export async function startBotProcess(
  fake: FakeDiscord,
  options: BotProcessOptions,
): Promise<BotProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      // Compiled as `npm start` runs it (npm run build), or the sources under tsx.
      ...(options.compiled ? ['dist/src/main.js'] : ['--import', 'tsx', 'src/main.ts']),
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DISCORD_API_URL: fake.apiUrl,
        ASK_COOLDOWN_SECONDS: '0',
        LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const logs = () => output;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const http = options.env.INTERACTIONS_PORT !== undefined;
  let endpoint: string | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const port = /"port":(\d+),"msg":"HTTP interactions endpoint listening"/.exec(output)?.[1];
    if (port) endpoint = `http://127.0.0.1:${port}/interactions`;
    const loggedIn = !options.waitForGateway || /"msg":"Connected to Discord"/.test(output);
    if (loggedIn && (!http || endpoint)) return { child, logs, ...(endpoint && { endpoint }) };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the bot did not get ready:\n${output}`);
}

/** Stops it as a service manager does (SIGTERM), or kills it outright. */
export function stopBotProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
