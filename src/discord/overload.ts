/**
 * Graceful overload. Discord gives an interaction 3 seconds for its first
 * response; past that the member sees "The application did not respond",
 * whatever the bot does later. An interaction's age (now, against the time in
 * its snowflake id) says how long it waited in line before the bot got to it,
 * and past capacity the bot spends less on the ones that waited:
 *
 *   waited less than `thinAfterMs`        everything as usual
 *   autocomplete, from `thinAfterMs`      word completions only (no previews)
 *   autocomplete, from `emptyAfterMs`     an empty list, at once
 *   a reply, from `deferAfterMs`          deferred at once, answered when it can
 *   a reply, from `busyAfterMs`           a short private "busy" note instead
 *
 * Nothing is ever skipped: a response Discord refuses costs one request, a
 * skipped one could be a member left without an answer. The age is measured
 * against the shortest one seen in the last minutes, so a host clock ahead of
 * Discord's does not look like a queue.
 * so the least useful work goes first and nobody is left without a response.
 * One log line when an episode starts and one when it ends (with what was
 * shed), never one per interaction. The event-loop delay is watched for the
 * operator: it is in those lines and in the summary logged at shutdown.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SnowflakeUtil } from 'discord.js';
import type { Logger } from '../logger.ts';

export interface OverloadSettings {
  readonly thinAfterMs: number;
  readonly emptyAfterMs: number;
  readonly deferAfterMs: number;
  readonly busyAfterMs: number;
  /**
   * Past this, a response could not reach Discord within its 3 s: the
   * interaction is dropped before any work — no engine, no REST call — so a
   * backlog drains at the cost of parsing alone.
   */
  readonly dropAfterMs: number;
  /** An episode ends when nothing was shed for this long. */
  readonly calmAfterMs: number;
}

export const DEFAULT_OVERLOAD: OverloadSettings = {
  thinAfterMs: 250,
  emptyAfterMs: 1_000,
  deferAfterMs: 1_000,
  busyAfterMs: 2_000,
  dropAfterMs: 2_500,
  calmAfterMs: 1_000,
};

/** How to treat one interaction. */
export type Treatment = 'as-usual' | 'words-only' | 'empty' | 'defer' | 'busy' | 'drop';

export const BUSY_NOTE = 'Busy — lots of questions at once. Please ask again in a moment.';

type Shed = Exclude<Treatment, 'as-usual'>;

export interface LoadSummary {
  readonly interactions: number;
  readonly shed: Readonly<Record<Shed, number>>;
  readonly episodes: number;
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Heap in use at the time, after a full collection when node runs with --expose-gc. */
  readonly heapMB: number;
}

export interface OverloadGuard {
  /** How to treat an interaction of this kind, created (by Discord) at `createdAt` (ms). */
  treat(kind: 'autocomplete' | 'reply', createdAt: number): Treatment;
  summary(): LoadSummary;
  stop(): void;
}

/** The event-loop delay is sampled every this many ms; a sample is the whole interval. */
const RESOLUTION_MS = 10;
/** A sample's delay beyond the sampling interval, in ms. */
const ms = (nanoseconds: number) =>
  Math.max(0, Math.round((nanoseconds / 1e6 - RESOLUTION_MS) * 100) / 100);

export function createOverloadGuard(
  logger: Logger,
  settings: OverloadSettings = DEFAULT_OVERLOAD,
  now: () => number = Date.now,
  /** Told when an episode starts (metrics). */
  onEpisode: () => void = () => undefined,
): OverloadGuard {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  // From the first interaction on: start-up (loading, logging in) is not load.
  let watching = false;
  let interactions = 0;
  const shed: Record<Shed, number> = { 'words-only': 0, empty: 0, defer: 0, busy: 0, drop: 0 };
  let episodes = 0;
  let episode:
    { started: number; lastShed: number; shed: Record<Shed, number>; oldestMs: number } | undefined;

  const watch = setInterval(() => {
    if (episode && now() - episode.lastShed > settings.calmAfterMs) {
      logger.info(
        {
          durationMs: episode.lastShed - episode.started,
          shed: episode.shed,
          oldestMs: episode.oldestMs,
        },
        'Load back to normal',
      );
      episode = undefined;
    }
  }, settings.calmAfterMs / 2);
  watch.unref();

  /**
   * How long an interaction waited here: its age less the shortest age seen
   * over the last one to two minutes (the clock difference to Discord, plus
   * the network), kept in two one-minute buckets.
   */
  const SKEW_WINDOW_MS = 60_000;
  let skew = { since: now(), current: Infinity, previous: Infinity };
  function waited(rawAge: number): number {
    const at = now();
    if (at - skew.since >= SKEW_WINDOW_MS) {
      skew = { since: at, current: Infinity, previous: skew.current };
    }
    skew.current = Math.min(skew.current, rawAge);
    return Math.max(0, rawAge - Math.min(skew.current, skew.previous));
  }

  function record(treatment: Shed, age: number): void {
    shed[treatment] += 1;
    const at = now();
    if (!episode) {
      episodes += 1;
      onEpisode();
      episode = {
        started: at,
        lastShed: at,
        shed: { 'words-only': 0, empty: 0, defer: 0, busy: 0, drop: 0 },
        oldestMs: 0,
      };
      logger.warn(
        { waitedMs: age, eventLoopDelayP99Ms: ms(delay.percentile(99)) },
        'Overloaded: answering the interactions that waited in a simpler way',
      );
    }
    episode.lastShed = at;
    episode.shed[treatment] += 1;
    episode.oldestMs = Math.max(episode.oldestMs, age);
  }

  return {
    treat(kind, createdAt) {
      interactions += 1;
      if (!watching) {
        watching = true;
        delay.enable();
      }
      const age = waited(now() - createdAt);
      let treatment: Treatment = 'as-usual';
      if (age >= settings.dropAfterMs) treatment = 'drop';
      else if (kind === 'autocomplete') {
        if (age >= settings.emptyAfterMs) treatment = 'empty';
        else if (age >= settings.thinAfterMs) treatment = 'words-only';
      } else if (age >= settings.busyAfterMs) treatment = 'busy';
      else if (age >= settings.deferAfterMs) treatment = 'defer';
      if (treatment !== 'as-usual') record(treatment, age);
      return treatment;
    },
    summary() {
      return {
        interactions,
        shed: { ...shed },
        episodes,
        eventLoopDelayMs: {
          p50: ms(delay.percentile(50)),
          p99: ms(delay.percentile(99)),
          max: ms(delay.max),
        },
        // After a full collection where the process allows one (node --expose-gc), so the
        // figure is what is kept, not garbage waiting for the next collection.
        heapMB: (globalThis.gc?.(), Math.round(process.memoryUsage().heapUsed / 1024 / 1024)),
      };
    },
    stop() {
      clearInterval(watch);
      delay.disable();
    },
  };
}

/** When Discord created an interaction, from its id. */
export function createdAt(interactionId: string): number {
  return Number(SnowflakeUtil.timestampFrom(interactionId));
}
