/** Runs one of the project's entry points as a real process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  /** Called once the process runs, e.g. to signal it later. */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs an entry point as the npm scripts do: node with tsx as a loader, so signals reach it. */
export function runScript(
  script: string,
  args: string[] = [],
  options: RunOptions = {},
): Promise<RunResult> {
  return runCommand(process.execPath, ['--import', 'tsx', script, ...args], options);
}

/** Async, so a fake Discord in the same test process keeps serving while it runs. */
export function runCommand(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      // A clean environment: no .env surprises beyond what the test sets.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'warn',
        DISCORD_TOKEN: '',
        ...options.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    child.stdin.end(options.input ?? '');
    options.onSpawn?.(child);
  });
}
