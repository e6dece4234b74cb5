/**
 * Faults end to end: the real discord.js client (started by startBot, or the
 * real `npm start` process) against the fake Discord while things go wrong —
 * the gateway socket dies, the session is invalidated, REST answers 500 or
 * 429, a knowledge reload cannot build an index, and the process is stopped
 * with SIGTERM in the middle of a burst of questions.
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  chatInput,
  rateLimited,
  snowflake,
  startFakeDiscord,
  type FakeDiscord,
  type RecordedRequest,
} from '../fixtures/fake-discord.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { article, KNOWLEDGE_DIR, tempKnowledge, type TempKnowledge } from '../helpers/knowledge.ts';
import { runScript, type RunResult } from '../helpers/run.ts';
import { askCommand, bodyOf, finalReply, MODERATOR } from '../helpers/discord.ts';

const MANAGE_GUILD = PermissionFlagsBits.ManageGuild;
const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
/** Answered from knowledge/002_…: "…117 drones…". */
const DRONES = 'How many drones were smuggled into Russia?';

const ask = (question: string, id?: string) => askCommand(question, id ? { id } : {});

function knowledge(subcommand: string) {
  return chatInput(
    'knowledge',
    [{ name: subcommand, type: ApplicationCommandOptionType.Subcommand }],
    {
      user: MODERATOR,
      permissions: MANAGE_GUILD,
    },
  );
}

const isCallbackOf = (id: string) => (r: RecordedRequest) =>
  r.method === 'POST' && CALLBACK.test(r.route) && r.params.interactionId === id;
const succeeded = (r: RecordedRequest) => r.status !== undefined && r.status < 300;

/** A public answer citing the drones article: proves the bot is serving from the real index. */
async function expectDronesAnswer(fake: FakeDiscord): Promise<void> {
  const body = bodyOf(await fake.sendInteraction(ask(DRONES)));
  expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  expect(body.data?.embeds?.[0]?.description).toMatch(/117/);
}

// Every test starts its own bot; whatever a test started is stopped here even if it failed.
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function bot(options: Parameters<typeof startTestBot>[0] = {}): Promise<TestBot> {
  const t = await startTestBot(options);
  cleanups.push(() => t.stop());
  return t;
}

describe('gateway faults', () => {
  it('a dropped socket (1006) is resumed without a new IDENTIFY, and interactions keep flowing', async () => {
    const t = await bot();
    await expectDronesAnswer(t.fake);
    expect(t.fake.identifies).toHaveLength(1);
    const [session] = t.fake.gatewayEvents.filter((e) => e.type === 'ready');

    const eventsBefore = t.fake.gatewayEvents.length;
    t.fake.dropConnection();
    // Dispatched while the socket is gone: it waits in the session's backlog and must be replayed.
    const missed = t.fake.sendInteraction(ask('who led the russian delegation'));
    missed.catch(() => undefined); // awaited below; keeps an early failure from going unhandled
    await t.fake.waitForGatewayEvent((e) => e.type === 'resumed');

    const since = t.fake.gatewayEvents.slice(eventsBefore).map((e) => e.type);
    expect(since).toEqual(expect.arrayContaining(['close', 'open', 'resume', 'resumed']));
    expect(since).not.toContain('resume-rejected');
    expect(since).not.toContain('identify');
    expect(t.fake.identifies).toHaveLength(1);
    const resumed = t.fake.gatewayEvents.find((e) => e.type === 'resumed');
    expect(resumed?.sessionId).toBe(session?.sessionId);

    expect(bodyOf(await missed).type).toBe(InteractionResponseType.ChannelMessageWithSource);
    await expectDronesAnswer(t.fake);
    expect(t.bot.client.isReady()).toBe(true);
    await expect.poll(() => t.logs.some((l) => l.msg === 'Gateway resumed')).toBe(true);
  });

  it('a non-resumable INVALID_SESSION makes the client IDENTIFY again, and interactions keep flowing', async () => {
    // The fake holds an interaction until the new session (discord.js waits 1–5 s to
    // identify again); real Discord would have expired it, and the bot drops what is too
    // old to answer. This test is about the session, so nothing is shed here.
    const t = await bot({
      overload: { dropAfterMs: 60_000, busyAfterMs: 60_000, deferAfterMs: 60_000 },
    });
    // Not in the same tick as a READY/RESUMED: a served interaction shows the session is settled.
    await expectDronesAnswer(t.fake);
    expect(t.fake.identifies).toHaveLength(1);

    t.fake.invalidateSession(false);
    // Sent while the old session is dead: the fake holds it until a new session exists.
    const waiting = t.fake.sendInteraction(ask('who chaired the second meeting'), {
      timeoutMs: 15_000,
    });
    waiting.catch(() => undefined); // awaited below; keeps an early failure from going unhandled
    const first = t.fake.gatewayEvents.find((e) => e.type === 'ready');
    await t.fake.waitForGatewayEvent(
      (e) => e.type === 'ready' && e.sessionId !== first?.sessionId,
      15_000,
    );
    expect(t.fake.identifies).toHaveLength(2);
    expect(t.fake.identifies.every((i) => i.accepted)).toBe(true);
    expect(t.fake.gatewayEvents.map((e) => e.type)).toContain('invalid-session');

    expect(bodyOf(await waiting).type).toBe(InteractionResponseType.ChannelMessageWithSource);
    await expectDronesAnswer(t.fake);
    expect(t.bot.client.isReady()).toBe(true);
  }, 20_000);
});

describe('REST faults on the interaction callback', () => {
  it('a 500 is logged as "Interaction failed" with a ref; the bot stays ready and answers the next one', async () => {
    const t = await bot();
    t.fake.setResponder('POST', CALLBACK, apiError(500, 0, 'Internal Server Error'), { times: 1 });
    const id = snowflake();
    const first = await t.fake.sendInteraction(ask(DRONES, id));
    expect(first.status).toBe(500);

    await expect.poll(() => t.logs.find((l) => l.msg === 'Interaction failed')).toBeTruthy();
    const line = t.logs.find((l) => l.msg === 'Interaction failed');
    expect(line).toMatchObject({
      interactionId: id,
      command: 'ask',
      ref: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
    expect((line?.err as { status?: number } | undefined)?.status).toBe(500);

    await expectDronesAnswer(t.fake);
    expect(t.bot.client.isReady()).toBe(true);
  });

  it('a 429 is waited out and retried: the same interaction is answered once, nothing fails', async () => {
    const t = await bot();
    t.fake.setResponder('POST', CALLBACK, rateLimited(0.2), { times: 1 });
    const id = snowflake();
    const first = await t.fake.sendInteraction(ask(DRONES, id));
    expect(first.status).toBe(429);

    const retried = await t.fake.waitForRequest((r) => isCallbackOf(id)(r) && succeeded(r));
    expect(bodyOf(retried).type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(bodyOf(retried).data?.embeds?.[0]?.description).toMatch(/117/);
    // @discordjs/rest honours retry_after (plus its 50 ms offset) before retrying.
    expect(retried.at - first.at).toBeGreaterThanOrEqual(200);
    expect(t.fake.requests.filter(isCallbackOf(id)).map((r) => r.status)).toEqual([429, 204]);
    expect(t.logs.filter((l) => l.msg === 'Interaction failed')).toEqual([]);

    await expectDronesAnswer(t.fake);
    expect(t.bot.client.isReady()).toBe(true);
  });

  // discord.js retries a 429 quietly; the bot logs it (RESTEvents.Response / RateLimited).
  it('a 429 is visible in the logs (warn with the route and retry-after)', async () => {
    const t = await bot();
    t.fake.setResponder('POST', CALLBACK, rateLimited(0.2), { times: 1 });
    const id = snowflake();
    await t.fake.sendInteraction(ask(DRONES, id));
    await t.fake.waitForRequest((r) => isCallbackOf(id)(r) && succeeded(r));
    expect(
      t.logs.filter((l) => l.level >= 40 && /rate.?limit/i.test(JSON.stringify(l))),
    ).not.toEqual([]);
  });
});

describe('a knowledge reload that cannot build an index', () => {
  let folder: TempKnowledge;
  afterEach(() => folder?.remove());

  const articleFiles = () =>
    readdirSync(folder.dir).filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md');

  it.each([
    [
      'every article became invalid',
      () => {
        for (const file of articleFiles()) folder.write(file, 'No front matter any more.\n');
      },
      /no article could be loaded/,
    ],
    [
      'a new article was added, then vocabulary.yaml broke',
      () => {
        folder.write(
          'grain.md',
          article(
            'Black Sea grain corridor talks resume in Ankara',
            'Negotiators agreed that 42 cargo ships will be inspected every week in the Black Sea corridor.',
          ),
        );
        folder.write('vocabulary.yaml', 'aliases: [unclosed\n  : : :\n');
      },
      /vocabulary\.yaml is not valid/,
    ],
  ])(
    '%s → "failed; nothing changed", and /ask keeps answering from the old index',
    async (_, breakFolder, problem) => {
      folder = tempKnowledge({ withRealArticles: true });
      const t = await bot({ knowledgeDir: folder.dir });
      const before = await finalReply(t.fake, await t.fake.sendInteraction(knowledge('list')));
      expect(before?.content).toMatch(/\*\*5 articles\*\*/);

      breakFolder();
      const reload = await t.fake.sendInteraction(knowledge('reload'));
      expect(bodyOf(reload).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      const reply = await finalReply(t.fake, reload);
      expect(reply?.content).toMatch(/Reload failed; nothing changed\. Problems:/);
      expect(reply?.content).toMatch(problem);

      await expectDronesAnswer(t.fake);
      const grain = bodyOf(
        await t.fake.sendInteraction(ask('how many cargo ships will be inspected')),
      );
      expect(JSON.stringify(grain.data)).not.toMatch(/42(?:\*\*)? cargo ships/);
      const list = await t.fake.sendInteraction(knowledge('list'));
      expect(bodyOf(list).data?.flags).toBe(MessageFlags.Ephemeral);
      expect((await finalReply(t.fake, list))?.content).toMatch(/\*\*5 articles\*\*/);

      // Control: once the files are good again a reload works (and picks up the new article).
      cpSync(KNOWLEDGE_DIR, folder.dir, { recursive: true });
      const repaired = await t.fake.sendInteraction(knowledge('reload'));
      const added = articleFiles().includes('grain.md');
      expect((await finalReply(t.fake, repaired))?.content).toMatch(
        added ? /Reloaded: 6 articles/ : /Reloaded: 5 articles/,
      );
      if (added) {
        const answer = bodyOf(
          await t.fake.sendInteraction(ask('how many cargo ships will be inspected')),
        );
        expect(answer.data?.embeds?.[0]?.description).toMatch(/42(?:\*\*)? cargo ships/);
      }
    },
  );
});

// ---------------------------------------------------------------------------
// SIGTERM under load: `npm start` (tsx src/main.ts) as a real process
// ---------------------------------------------------------------------------

const BURST = 200;

interface ShutdownRun {
  fake: FakeDiscord;
  result: RunResult;
  /** The burst, all dispatched on the open socket before SIGTERM. */
  burst: string[];
  /** Interactions sent one every 10 ms after SIGTERM until the process was gone. */
  trickle: { id: string; afterClose: boolean }[];
  /** Burst interactions whose first callback got a 429 (their replies were in flight). */
  heldBack: Set<string>;
  /** Every callback attempt for this interaction, in order. */
  attempts(id: string): RecordedRequest[];
  /** The 2xx callbacks for this interaction. */
  successes(id: string): RecordedRequest[];
  stop(): Promise<void>;
}

/**
 * Starts the real process, fires BURST /ask at once, sends SIGTERM to it (the tsx process, as
 * `kill`, systemd or Docker would) once `inFlight` says replies are under way, keeps sending a
 * question every 10 ms while it shuts down, and collects what the fake saw.
 */
async function sigtermDuringBurst(options: {
  /** Every other burst interaction's first callback gets a 429 with this retry-after. */
  holdBackSeconds?: number;
  /** Resolves when SIGTERM should be sent. */
  inFlight: (run: ShutdownRun, limited: Set<string>) => Promise<unknown>;
}): Promise<ShutdownRun> {
  const fake = await startFakeDiscord({ defaultTimeoutMs: 20_000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-sigterm-'));
  // Filled just before the burst is sent: Discord delivers an interaction as it creates it, and
  // an id minted seconds earlier would look like one that waited in line (overload.ts).
  const burst: string[] = [];
  const heldBack = new Set<string>();
  const limited = new Set<string>();
  fake.setResponder('POST', CALLBACK, (req) => {
    const id = req.params.interactionId ?? '';
    if (!heldBack.has(id) || limited.has(id)) return undefined;
    limited.add(id);
    return rateLimited(options.holdBackSeconds ?? 0);
  });
  const attempts = (id: string) => fake.requests.filter(isCallbackOf(id));
  const run: ShutdownRun = {
    fake,
    result: { code: null, stdout: '', stderr: '', ms: 0 },
    burst,
    trickle: [],
    heldBack,
    attempts,
    successes: (id) => attempts(id).filter(succeeded),
    async stop() {
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  let child: ChildProcess | undefined;
  let exited = false;
  const running = runScript('src/main.ts', [], {
    env: {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ASK_COOLDOWN_SECONDS: '0',
    },
    timeoutMs: 30_000,
    onSpawn: (spawned) => (child = spawned),
  });
  void running.then(() => (exited = true));
  try {
    await fake.waitForGatewayEvent((e) => e.type === 'ready', 20_000);
    // Warm up (and prove the process answers) before the burst.
    const warm = bodyOf(await fake.sendInteraction(ask(DRONES)));
    if (warm.type !== 4) throw new Error(`warm-up answered with callback type ${warm.type}`);

    const questions = ['who chaired the second meeting', DRONES, 'prisoner exchange'];
    burst.push(...Array.from({ length: BURST }, () => snowflake()));
    if (options.holdBackSeconds)
      for (const id of burst.filter((_, i) => i % 2 === 0)) heldBack.add(id);
    for (const [i, id] of burst.entries()) {
      fake.sendInteraction(ask(questions[i % questions.length]!, id)).catch(() => undefined);
    }
    await options.inFlight(run, limited);
    const signalledAt = Date.now();
    child?.kill('SIGTERM');
    while (!exited && run.trickle.length < 100) {
      const afterClose = fake.gatewayEvents.some((e) => e.type === 'close' && e.at >= signalledAt);
      const id = snowflake();
      run.trickle.push({ id, afterClose });
      fake.sendInteraction(ask(DRONES, id)).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    if (!exited) child?.kill('SIGKILL');
    run.result = await running;
  }
  return run;
}

/** The accounting every shutdown must satisfy, whatever was cut off. */
function expectConsistentAccounting(run: ShutdownRun): void {
  const sent = [...run.burst, ...run.trickle.map((t) => t.id)];
  const answered = sent.filter((id) => run.successes(id).length > 0);
  const unanswered = sent.filter((id) => run.successes(id).length === 0);
  expect(answered.length + unanswered.length).toBe(sent.length);
  expect(answered.length).toBeGreaterThan(0);
  // Nothing was answered twice, and every answer is complete: a public reply, or (past
  // capacity, overload.ts) a deferral that its edit then completed before the exit.
  for (const id of answered) {
    expect(run.successes(id), id).toHaveLength(1);
    const [callback] = run.successes(id);
    const type = bodyOf(callback!).type;
    if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
      const token = run.fake.interactions.get(id)?.token;
      const edits = run.fake.requests.filter(
        (r) => r.method === 'PATCH' && r.route.includes(`/${token}/messages/@original`),
      );
      expect(
        edits.filter((r) => (r.status ?? 0) < 300),
        id,
      ).toHaveLength(1);
    } else {
      expect(type, id).toBe(InteractionResponseType.ChannelMessageWithSource);
    }
  }
  // A question sent after the socket closed never reached the bot (no attempt, no crash).
  for (const { id } of run.trickle.filter((t) => t.afterClose))
    expect(run.attempts(id)).toEqual([]);
}

describe('SIGTERM while the bot is busy answering a burst of 200 questions', () => {
  let run: ShutdownRun | undefined;
  beforeAll(async () => {
    run = await sigtermDuringBurst({
      // SIGTERM as soon as the first burst reply is out: ~199 are still being worked on.
      inFlight: ({ fake, burst }) =>
        fake.waitForRequest((r) => burst.some((id) => isCallbackOf(id)(r)), 15_000),
    });
  }, 30_000);
  afterAll(() => run?.stop());

  it('answered + unanswered = sent, nothing is answered twice or half', () => {
    expectConsistentAccounting(run!);
  });

  // npm start runs `node --import tsx`, so SIGTERM reaches the bot's own handler even while
  // its event loop is busy with a burst (tsx as a wrapper would SIGKILL it after ~30 ms).
  it('exits 0 after logging "Shutting down"', () => {
    expect(run!.result.code).toBe(0);
    expect(run!.result.stdout).toMatch(/"signal":"SIGTERM","msg":"Shutting down"/);
  });
});

describe('SIGTERM while 100 replies are waiting out a 429', () => {
  let run: ShutdownRun | undefined;
  beforeAll(async () => {
    run = await sigtermDuringBurst({
      holdBackSeconds: 1,
      // Every held-back reply got its 429 (so all 200 frames were read and handled), and the
      // other half is answered: the bot is idle, with 100 replies waiting to be retried.
      inFlight: ({ fake, burst, heldBack, successes }, limited) =>
        fake.waitForRequest(
          () =>
            limited.size === heldBack.size &&
            burst.every((id) => heldBack.has(id) || successes(id).length > 0),
          15_000,
        ),
    });
  }, 30_000);
  afterAll(() => run?.stop());

  it('exits 0 after "Shutting down"; answered + unanswered = sent, nothing answered twice', () => {
    const { result, burst, heldBack, attempts } = run!;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/"signal":"SIGTERM","msg":"Shutting down"/);
    expect(result.stdout).toMatch(/"msg":"Disconnected from Discord"/);
    expect(result.stderr).toBe('');
    expectConsistentAccounting(run!);
    // The held-back replies really were in flight when the signal came.
    for (const id of heldBack) expect(attempts(id)[0]?.status).toBe(429);
    expect(burst.filter((id) => attempts(id).length > 0)).toHaveLength(BURST);
  });

  // Shutdown waits (with a deadline) for the interaction handlers under way before it leaves
  // the gateway, so a reply the bot started is finished, not dropped.
  it('every interaction the bot started answering gets exactly one callback before exit', () => {
    const { burst, trickle, attempts, successes } = run!;
    // "Received" = the bot sent at least one callback attempt for it.
    const received = [...burst, ...trickle.map((t) => t.id)].filter(
      (id) => attempts(id).length > 0,
    );
    expect(received.filter((id) => successes(id).length !== 1)).toEqual([]);
  });
});
