/**
 * Load: drives the real discord.js client (started by the project's own
 * startBot) through the fake Discord with a steady stream of /ask and
 * autocomplete interactions, and reports whether every one was answered, the
 * interaction→callback latency, and heap before and after.
 *
 *   npm run load                       5,000 interactions at 250/s
 *   npm run load -- --count 20000 --rate 400 --json
 *
 * Run with --expose-gc (the npm script does) so heap figures are after GC.
 */
import { parseArgs } from 'node:util';
import { autocomplete, chatInput } from '../tests/fixtures/fake-discord.ts';
import { startTestBot } from '../tests/helpers/bot.ts';
import { percentile } from './percentile.ts';

export interface LoadReport {
  readonly sent: number;
  readonly answered: number;
  readonly failed: number;
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly heapMB: { readonly before: number; readonly after: number };
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

function heapMB(): number {
  globalThis.gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
}

export async function runLoad(options: { count: number; rate: number }): Promise<LoadReport> {
  // The fake keeps only recent history, so heap figures are the bot's, not the recorder's.
  const t = await startTestBot({ fake: { historyLimit: 500 }, logLevel: 'warn' });
  try {
    // Warm up (JIT, caches, lazy loading) so "before" is the steady state, not a cold start.
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        t.fake.sendInteraction(chatInput('ask', { question: QUESTIONS[i % QUESTIONS.length]! }), {
          timeoutMs: 15_000,
        }),
      ),
    );
    const before = heapMB();

    const latencies: number[] = [];
    let answered = 0;
    let failed = 0;
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
      const sentAt = performance.now();
      pending.push(
        t.fake.sendInteraction(interaction, { timeoutMs: 15_000 }).then(
          () => {
            answered += 1;
            latencies.push(performance.now() - sentAt);
          },
          () => {
            failed += 1;
          },
        ),
      );
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const after = heapMB();
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      sent: options.count,
      answered,
      failed,
      targetRate: options.rate,
      achievedRate: Math.round(options.count / elapsed),
      latencyMs: {
        p50: round(percentile(latencies, 0.5)),
        p99: round(percentile(latencies, 0.99)),
        max: round(latencies.at(-1) ?? 0),
      },
      heapMB: { before, after },
    };
  } finally {
    await t.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '5000' },
      rate: { type: 'string', default: '250' },
      json: { type: 'boolean', default: false },
    },
  });
  const report = await runLoad({ count: Number(values.count), rate: Number(values.rate) });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const r = report;
  process.stdout.write(
    [
      `interactions  sent ${r.sent}, answered ${r.answered}, failed ${r.failed}`,
      `rate          target ${r.targetRate}/s, achieved ${r.achievedRate}/s`,
      `latency       interaction→callback p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
      `heap          before ${r.heapMB.before} MB, after ${r.heapMB.after} MB (after GC${globalThis.gc ? '' : ' — run with --expose-gc for real figures'})`,
    ].join('\n') + '\n',
  );
}

if (process.argv[1]?.endsWith('load.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  });
}
