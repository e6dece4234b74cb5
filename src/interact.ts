/**
 * `npm run interact`: talk to an HTTP interactions endpoint the way Discord
 * does, from a terminal — a signed PING, any slash command, or the
 * autocomplete list of its question box — and print what a member would
 * see. For checking a local or HTTP-only instance without Discord.
 * `keygen` makes the key pair: the instance trusts its public key
 * (DISCORD_PUBLIC_KEY), this tool signs with its private key.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { InteractionResponseType, MessageFlags } from 'discord.js';
import dotenv from 'dotenv';
import { loadConfig } from './config.ts';
import { loadRegistry } from './runtime/registry.ts';
import {
  commandPayload,
  LOCAL_SENDER,
  PayloadError,
  pingPayload,
} from './discord/interaction-payload.ts';
import {
  generateSigningKey,
  privateKeyFromPem,
  publicKeyHex,
  signatureHeaders,
} from './discord/interaction-signature.ts';
import { sketchMessage, type SketchedMessage } from './render/message-sketch.ts';
import { terminalBold } from './render/plain-text.ts';

const USAGE = `Usage:
  npm run interact -- keygen                          make a key pair for local testing
  npm run interact -- ping                            a signed PING (the endpoint answers PONG)
  npm run interact -- ask "who chaired the second meeting"
  npm run interact -- <command> [text] [option:value …]   any slash command, e.g. sources, timeline from:2025-06
  npm run interact -- --autocomplete ask "who chai"   what the question box suggests
Options:
  --url <url>    the endpoint (default http://127.0.0.1:<INTERACTIONS_PORT or 8080>/interactions)
  --key <file>   the private key to sign with (default <DATA_DIR>/interact-key.pem)
  --moderator    send as a member with Manage Server, Manage Messages and Pin Messages
  --json         print the endpoint's response as JSON
Exit status: 0 answered, 1 refused or unreachable, 2 usage mistake.`;

/**
 * The two settings this tool reads (from .env or the environment), checked as
 * the bot checks them; the instance's other settings are its own business.
 */
function readOwnSettings(): { dataDir: string; interactionsPort?: number } {
  dotenv.config({ quiet: true });
  const { DATA_DIR, INTERACTIONS_PORT } = process.env;
  try {
    return loadConfig({
      DATA_DIR,
      INTERACTIONS_PORT,
      // Only so the port validates: this tool signs with its own key, not the instance's.
      ...(INTERACTIONS_PORT?.trim() && { DISCORD_PUBLIC_KEY: '0'.repeat(64) }),
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

/** Exit 2: what was wrong with the command line, then how to use it. */
function usageError(problem: string): never {
  process.stderr.write(`${problem}\n\n${USAGE}\n`);
  process.exit(2);
}

/** Exit 1 with a sentence that says what to do. */
function fail(problem: string): never {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

function parseCommandLine() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        moderator: { type: 'boolean', default: false },
        autocomplete: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
}

/** A path as the user would type it: relative inside the project, absolute elsewhere. */
const shown = (path: string) => {
  const inside = relative(process.cwd(), path);
  return inside === '' || inside.startsWith('..') ? path : inside;
};

/** The start line that makes an instance trust this key. */
const startLine = (hex: string) =>
  `  DISCORD_PUBLIC_KEY=${hex} INTERACTIONS_PORT=8080 GATEWAY=false npm start`;

/** Writes a new key file, or reads the one already there (running keygen twice changes nothing). */
async function keygen(keyFile: string): Promise<void> {
  let hex: string;
  let made = false;
  try {
    hex = publicKeyHex(privateKeyFromPem(await readFile(keyFile, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      fail(`${shown(keyFile)} ${(error as Error).message}; move it away to make a new one.`);
    }
    const key = generateSigningKey();
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
    await chmod(keyFile, 0o600);
    hex = key.publicKeyHex;
    made = true;
  }
  process.stdout.write(
    [
      `${made ? 'Wrote' : 'Using'} the private key ${shown(keyFile)} (for local testing only; Discord signs with its own).`,
      `Its public key: ${hex}`,
      'Start an instance that trusts it, then run npm run interact -- ping:',
      startLine(hex),
      '',
    ].join('\n'),
  );
}

/** The response as a member would read it. */
function describeResponse(response: { type?: number; data?: Record<string, unknown> }): string {
  const data = response.data ?? {};
  switch (response.type) {
    case InteractionResponseType.Pong:
      return 'PONG: the endpoint checked the signature and answered.';
    case InteractionResponseType.ChannelMessageWithSource:
    case InteractionResponseType.UpdateMessage: {
      const flags = Number(data.flags ?? 0);
      // The answer and the phrase that answers in bold, where the terminal shows it.
      const text = sketchMessage(data as SketchedMessage, terminalBold(process.stdout));
      return (flags & MessageFlags.Ephemeral) !== 0 ? `(only you see this)\n${text}` : text;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource:
    case InteractionResponseType.DeferredMessageUpdate:
      return 'Deferred ("thinking…"): the reply follows as an edit through Discord\'s REST API (DISCORD_API_URL), which this tool does not receive.';
    case InteractionResponseType.ApplicationCommandAutocompleteResult: {
      const choices = (data.choices ?? []) as { name: string }[];
      return choices.length === 0 ? '(no suggestions)' : choices.map((c) => c.name).join('\n');
    }
    default:
      return `Response type ${response.type}: ${JSON.stringify(response)}`;
  }
}

/** The interaction to send for the words typed. */
async function payloadFor(
  words: readonly string[],
  options: { moderator: boolean; autocomplete: boolean },
): Promise<Record<string, unknown>> {
  const [name, ...rest] = words;
  if (name === undefined) usageError('Say what to send: ping, or a command such as ask.');
  if (name === 'ping') return pingPayload();
  const registry = await loadRegistry();
  const command = registry.get(name.replace(/^\//, '').toLowerCase());
  if (!command) {
    const names = registry.all.map((c) => c.definition.name).join(', ');
    usageError(`Unknown command "${name}": use ping or one of ${names}.`);
  }
  try {
    return commandPayload(command.definition, rest, {
      sender: { ...LOCAL_SENDER, moderator: options.moderator },
      autocomplete: options.autocomplete,
    });
  } catch (error) {
    if (error instanceof PayloadError) usageError(error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine();
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const { dataDir, interactionsPort } = readOwnSettings();
  const keyFile = values.key ?? join(dataDir, 'interact-key.pem');
  if (positionals[0] === 'keygen') {
    if (positionals.length > 1) usageError(`Unexpected argument after keygen: ${positionals[1]}`);
    return keygen(keyFile);
  }
  const url = values.url ?? `http://127.0.0.1:${interactionsPort ?? 8080}/interactions`;
  const payload = await payloadFor(positionals, {
    moderator: values.moderator,
    autocomplete: values.autocomplete,
  });

  let key;
  try {
    key = privateKeyFromPem(await readFile(keyFile, 'utf8'));
  } catch (error) {
    fail(
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `No signing key at ${shown(keyFile)}: make one with npm run interact -- keygen (or give --key <file>).`
        : `${shown(keyFile)} ${(error as Error).message}.`,
    );
  }
  const body = JSON.stringify(payload);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signatureHeaders(key, body) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    fail(
      `Nothing answered at ${url} (${reason}). Start an instance with INTERACTIONS_PORT and DISCORD_PUBLIC_KEY (npm run interact -- keygen prints the line), or give --url.`,
    );
  }
  const text = await response.text();
  if (response.status === 401) {
    fail(
      `${url} refused the signature (401): the instance checks with another public key. Start it with DISCORD_PUBLIC_KEY=${publicKeyHex(key)} (the key in ${shown(keyFile)}).`,
    );
  }
  if (!response.ok) fail(`${url} answered ${response.status}: ${text}`);
  let parsed: { type?: number; data?: Record<string, unknown> };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    fail(`${url} answered 200 with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  process.stdout.write(`${values.json ? JSON.stringify(parsed) : describeResponse(parsed)}\n`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
