/**
 * Load: the bot as an operator runs it (`npm start`: dist/src/main.js in its own process,
 * logging JSON lines) against the fake Discord in this process, with a steady
 * stream of /ask and autocomplete interactions. Reports what members got
 * (answers, deferred answers, "busy" notes, thinned or empty autocomplete
 * lists, nothing), the interaction→first-response latency, the bot's CPU per
 * interaction, its event-loop delay and heap, and, counted apart, the time
 * the fake spent checking request bodies against Discord's contract.
 *
 *   npm run load                                5,000 interactions at 250/s
 *   npm run load -- --count 10000 --rate 1000
 *   npm run load -- --count 20000 --rate 2000 --json
 *   npm run load -- --http --count 10000 --rate 1000   signed POSTs to the HTTP interactions endpoint
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InteractionResponseType, MessageFlags } from 'discord.js';
import {
  autocomplete,
  chatInput,
  startFakeDiscord,
  type FakeDiscord,
  type PartialInteraction,
  type RecordedRequest,
} from '../tests/fixtures/fake-discord.ts';
import { percentile } from './percentile.ts';
import { startBotProcess, stopBotProcess, type BotProcess } from '../tests/helpers/bot-process.ts';

/** What a member got for one interaction. */
export type Outcome =
  'answered' | 'deferred-then-answered' | 'busy' | 'choices' | 'no-choices' | 'lost';

export interface LoadReport {
  readonly sent: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** Interactions with no response, or a first response later than Discord's 3 s. */
  readonly failed: number;
  readonly targetRate: number;
  readonly achievedRate: number;
  /** Interaction → first response (reply, deferral or choices). */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Interaction → final content (the edit, for a deferred answer). */
  readonly finalLatencyMs: { readonly p99: number; readonly max: number };
  readonly bot: BotFigures;
  /** The fake Discord's own cost of checking every body against Discord's contract. */
  readonly contractCheck: { readonly bodies: number; readonly msPerBody: number };
}

interface BotFigures {
  readonly cpuMsPerInteraction: number;
  /** What the bot shed past capacity, by how (overload.ts), from its own summary. */
  readonly shed: Readonly<Record<string, number>>;
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly heapMB: number;
  readonly overloadEpisodes: number;
}

const QUESTIONS = [
  'how many drones were smuggled into russia',
  'who chaired the second meeting',
  'what did erdogan offer',
  'when was the first round of talks',
  'how much damage did the drones cause',
  'what is the weather in paris',
  'kiev ceasefire demands',
  'who led the russian delegation',
];

/** CPU time (user + system) a process has used, in ms, from /proc (Linux). */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 (1-based), in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * The bot as `npm start` runs it, plus --expose-gc so the heap it reports is
 * after a collection; ready once logged in over the gateway, or (`http`)
 * serving the HTTP interactions endpoint alone.
 */
function startBot(fake: FakeDiscord, dataDir: string, http: boolean): Promise<BotProcess> {
  return startBotProcess(fake, {
    nodeArgs: [
      '--expose-gc',
      ...(process.env.LOAD_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_PROFILE}`]
        : []),
    ],
    compiled: true,
    waitForGateway: !http,
    env: {
      DATA_DIR: dataDir,
      ...(http
        ? { INTERACTIONS_PORT: '0', DISCORD_PUBLIC_KEY: fake.publicKeyHex }
        : { DISCORD_TOKEN: fake.token }),
    },
  });
}

/** The bot's own account of the run: its "Load summary" log line at shutdown. */
function summaryOf(logs: string): Omit<BotFigures, 'cpuMsPerInteraction'> {
  const line = logs
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((entry) => entry.msg === 'Load summary');
  const summary = (line ?? {}) as {
    eventLoopDelayMs?: BotFigures['eventLoopDelayMs'];
    heapMB?: number;
    episodes?: number;
    shed?: Record<string, number>;
  };
  return {
    shed: summary.shed ?? {},
    eventLoopDelayMs: summary.eventLoopDelayMs ?? { p50: NaN, p99: NaN, max: NaN },
    heapMB: summary.heapMB ?? NaN,
    overloadEpisodes: summary.episodes ?? NaN,
  };
}

/** What the member saw, and when they first and finally saw something. */
async function outcomeOf(
  fake: FakeDiscord,
  callback: RecordedRequest,
  sentAt: number,
): Promise<{ outcome: Outcome; first: number; final: number }> {
  const first = callback.at - sentAt;
  const body = callback.body as {
    type: number;
    data?: { flags?: number; choices?: unknown[]; content?: string };
  };
  if (body.type === InteractionResponseType.ApplicationCommandAutocompleteResult) {
    const outcome = (body.data?.choices ?? []).length === 0 ? 'no-choices' : 'choices';
    return { outcome, first, final: first };
  }
  if (body.type === InteractionResponseType.DeferredChannelMessageWithSource) {
    const token = fake.interactions.get(callback.params.interactionId ?? '')?.token;
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.route.includes(`/${token}/messages/@original`),
      30_000,
    );
    return { outcome: 'deferred-then-answered', first, final: edit.at - sentAt };
  }
  const busy =
    (body.data?.flags ?? 0) & MessageFlags.Ephemeral && /^Busy/.test(body.data?.content ?? '');
  return { outcome: busy ? 'busy' : 'answered', first, final: first };
}

export async function runLoad(options: {
  count: number;
  rate: number;
  /** Signed POSTs to the HTTP interactions endpoint instead of the gateway. */
  http?: boolean;
}): Promise<LoadReport> {
  // The fake keeps only recent history, so memory stays flat over long runs.
  const fake = await startFakeDiscord({ historyLimit: 2_000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-load-'));
  const { child, logs, endpoint } = await startBot(fake, dataDir, options.http === true);
  /** One interaction, delivered the chosen way; its first response as the fake saw it. */
  const deliver = async (interaction: PartialInteraction): Promise<RecordedRequest> => {
    if (!endpoint) return fake.sendInteraction(interaction, { timeoutMs: 15_000 });
    const { status, body, interactionId } = await fake.postInteraction(endpoint, interaction);
    if (status !== 200) throw new Error(`HTTP ${status}`);
    return { body, at: Date.now(), params: { interactionId } } as unknown as RecordedRequest;
  };
  try {
    // Warm up (JIT, caches, lazy loading) so the figures are the steady state.
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        deliver(chatInput('ask', { question: QUESTIONS[i % QUESTIONS.length]! })),
      ),
    );
    const contractBefore = { ...fake.contractCheck };
    const cpuBefore = cpuMsOf(child.pid!);

    const outcomes: Record<Outcome, number> = {
      answered: 0,
      'deferred-then-answered': 0,
      busy: 0,
      choices: 0,
      'no-choices': 0,
      lost: 0,
    };
    const firsts: number[] = [];
    const finals: number[] = [];
    let late = 0;
    const pending: Promise<void>[] = [];
    const started = performance.now();
    for (let i = 0; i < options.count; i++) {
      // Pace by the clock, not by replies: this is offered load, like a busy server.
      const due = started + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const question = QUESTIONS[i % QUESTIONS.length]!;
      const interaction =
        i % 3 === 2
          ? autocomplete('ask', { question: question.slice(0, 5 + (i % 20)) }, 'question')
          : chatInput('ask', { question });
      const sentAt = Date.now();
      pending.push(
        deliver(interaction)
          .then((callback) => outcomeOf(fake, callback, sentAt))
          .then(
            ({ outcome, first, final }) => {
              outcomes[outcome] += 1;
              firsts.push(first);
              finals.push(final);
              if (first > 3_000) late += 1;
            },
            () => {
              outcomes.lost += 1;
            },
          ),
      );
    }
    const elapsed = (performance.now() - started) / 1000;
    await Promise.all(pending);
    const cpu = cpuMsOf(child.pid!) - cpuBefore;
    await stopBotProcess(child);
    firsts.sort((a, b) => a - b);
    finals.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    const checked = fake.contractCheck.bodies - contractBefore.bodies;
    return {
      sent: options.count,
      outcomes,
      failed: outcomes.lost + late,
      targetRate: options.rate,
      achievedRate: Math.round(options.count / elapsed),
      latencyMs: {
        p50: round(percentile(firsts, 0.5)),
        p99: round(percentile(firsts, 0.99)),
        max: round(firsts.at(-1) ?? 0),
      },
      finalLatencyMs: { p99: round(percentile(finals, 0.99)), max: round(finals.at(-1) ?? 0) },
      bot: { cpuMsPerInteraction: round(cpu / options.count), ...summaryOf(logs()) },
      contractCheck: {
        bodies: checked,
        msPerBody: round((fake.contractCheck.ms - contractBefore.ms) / Math.max(checked, 1)),
      },
    };
  } finally {
    await stopBotProcess(child);
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '5000' },
      rate: { type: 'string', default: '250' },
      http: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const report = await runLoad({
    count: Number(values.count),
    rate: Number(values.rate),
    http: values.http,
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const r = report;
  const o = r.outcomes;
  process.stdout.write(
    [
      `interactions  sent ${r.sent} at ${r.targetRate}/s (achieved ${r.achievedRate}/s); failed ${r.failed} (no response, or none within 3 s)`,
      `members got   ${o.answered} answers, ${o['deferred-then-answered']} deferred then answered, ${o.busy} "busy" notes; autocomplete: ${o.choices} lists, ${o['no-choices']} empty; ${o.lost} lost`,
      `shed          ${
        Object.entries(r.bot.shed)
          .map(([how, n]) => `${how} ${n}`)
          .join(', ') || 'nothing'
      } (the bot's count, ${r.bot.overloadEpisodes} overload episodes)`,
      `latency       interaction→first response p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms; →final content p99 ${r.finalLatencyMs.p99} ms, max ${r.finalLatencyMs.max} ms`,
      `bot           CPU ${r.bot.cpuMsPerInteraction} ms per interaction; event-loop delay p50 ${r.bot.eventLoopDelayMs.p50} ms, p99 ${r.bot.eventLoopDelayMs.p99} ms, max ${r.bot.eventLoopDelayMs.max} ms; heap ${r.bot.heapMB} MB at the end (after GC)`,
      `harness       contract check of ${r.contractCheck.bodies} bodies, ${r.contractCheck.msPerBody} ms each (in the load process, not the bot's)`,
    ].join('\n') + '\n',
  );
}

if (process.argv[1]?.endsWith('load.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  });
}
