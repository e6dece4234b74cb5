/**
 * Where answer() spends its time: runs the engine worker under `node
 * --cpu-prof` (answer phase only) and summarises the profile over the
 * stretch of time in which the worker was answering: self time per function,
 * inclusive time per function and self time per module.
 *
 *   npx tsx bench/profile.ts                        10,000 articles, 2,000 questions
 *   npx tsx bench/profile.ts --articles 1000 --questions 500 --top 30
 *
 * The .cpuprofile is kept (its path is printed) for Chrome DevTools or speedscope.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { runWorker } from './protocol.ts';
import { fmt, table } from './stats.ts';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** "rankCandidates answer.ts", "(garbage collector)", "search minisearch/index.js:1279". */
function frameName({ functionName, url, lineNumber }: CallFrame): string {
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = url.includes('/node_modules/')
    ? url.slice(url.lastIndexOf('/node_modules/') + 14).replace(/\/dist\/es\//, '/')
    : url.startsWith('node:')
      ? url
      : basename(url);
  // tsx compiles TypeScript without source maps in the profile: its line numbers mean nothing.
  return /\.[cm]?ts$/.test(url) ? `${name} ${file}` : `${name} ${file}:${lineNumber + 1}`;
}

function moduleName({ url, functionName }: CallFrame): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.includes('/node_modules/')) {
    const rest = url.slice(url.lastIndexOf('/node_modules/') + 14);
    const parts = rest.split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) return 'node internals';
  const src = url.indexOf('/src/');
  return src >= 0 ? url.slice(src + 1) : basename(url);
}

export interface ProfileSummary {
  readonly windowMs: number;
  readonly inAnswerMs: number;
  readonly gcMs: number;
  readonly self: readonly [string, number][];
  readonly inclusive: readonly [string, number][];
  readonly modules: readonly [string, number][];
}

/**
 * Summarises the samples taken in `window` (monotonic µs: the timed calls, past
 * the warm-up), or else between the first and the last sample inside answer().
 */
export function summarizeProfile(
  profile: CpuProfile,
  window?: { fromUs: number; toUs: number },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const isAnswer = (frame: CallFrame) =>
    frame.functionName === 'answer' && frame.url.endsWith('/src/search/answer/answer.ts');
  const stackOf = (id: number): ProfileNode[] => {
    const stack: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      stack.push(byId.get(at)!);
    }
    return stack;
  };

  const inAnswer = profile.samples.map((id) => stackOf(id).some((n) => isAnswer(n.callFrame)));
  let first = inAnswer.indexOf(true);
  let last = inAnswer.lastIndexOf(true);
  if (first < 0)
    throw new Error('no samples inside answer(): did the worker run the answer phase?');
  if (window && window.fromUs >= profile.startTime && window.toUs <= profile.endTime) {
    let t = profile.startTime;
    const times = profile.timeDeltas.map((delta) => (t += delta));
    first = times.findIndex((x) => x >= window.fromUs);
    last = times.findLastIndex((x) => x <= window.toUs);
  }

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const modules = new Map<string, number>();
  let windowMs = 0;
  let inAnswerMs = 0;
  let gcMs = 0;
  const add = (map: Map<string, number>, key: string, ms: number) =>
    map.set(key, (map.get(key) ?? 0) + ms);
  for (let i = first; i <= last; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const stack = stackOf(profile.samples[i]!);
    const leaf = stack[0]!.callFrame;
    windowMs += ms;
    if (inAnswer[i]) inAnswerMs += ms;
    if (leaf.functionName === '(garbage collector)') gcMs += ms;
    add(self, frameName(leaf), ms);
    add(modules, moduleName(leaf), ms);
    for (const name of new Set(stack.map((n) => frameName(n.callFrame)))) add(inclusive, name, ms);
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    windowMs,
    inAnswerMs,
    gcMs,
    self: sorted(self),
    inclusive: sorted(inclusive).filter(([name]) => !name.startsWith('(root)')),
    modules: sorted(modules),
  };
}

function render(summary: ProfileSummary, top: number): string {
  const pct = (ms: number) => `${fmt((100 * ms) / summary.windowMs, 1)}%`;
  const rows = (entries: readonly [string, number][]) =>
    entries.slice(0, top).map(([name, ms]) => [name, fmt(ms, 0), pct(ms)]);
  return [
    `timed answer() calls: ${fmt(summary.windowMs / 1000, 1)} s sampled, ${pct(summary.inAnswerMs)} inside answer(), ` +
      `${pct(summary.gcMs)} garbage collection`,
    '',
    'self time by function',
    table(['function', 'ms', 'share'], rows(summary.self)),
    '',
    'inclusive time by function',
    table(['function', 'ms', 'share'], rows(summary.inclusive)),
    '',
    'self time by module',
    table(['module', 'ms', 'share'], rows(summary.modules)),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '10000' },
      questions: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      top: { type: 'string', default: '25' },
      interval: { type: 'string', default: '250' },
      profile: { type: 'string' },
    },
  });
  let file = values.profile;
  let window: { fromUs: number; toUs: number } | undefined;
  if (file === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'talks-bot-profile-'));
    process.stderr.write(`profiling answer() at ${values.articles} articles into ${dir}\n`);
    const result = await runWorker(
      [
        ...['--side', 'engine', '--articles', values.articles, '--questions', values.questions],
        ...['--seed', values.seed, '--only', 'answer'],
      ],
      {
        timeoutMs: 60 * 60_000,
        nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', values.interval],
      },
    );
    if (result.error) throw new Error(`the worker ${result.error}`);
    const name = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!name) throw new Error(`no .cpuprofile in ${dir}`);
    file = join(dir, name);
    const answered = result.phases.answer;
    if (answered) window = { fromUs: answered.timedFromUs, toUs: answered.timedToUs };
    const latency = answered?.latency;
    if (latency) {
      process.stdout.write(
        `answer() under the profiler: p50 ${fmt(latency.p50, 2)} ms, p99 ${fmt(latency.p99, 2)} ms ` +
          `over ${latency.n} questions\n`,
      );
    }
  }
  process.stdout.write(`profile: ${file}\n\n`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(`${render(summarizeProfile(profile, window), Number(values.top))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
