/**
 * Prometheus metrics (prom-client, the ecosystem's standard), scraped at
 * GET /metrics on METRICS_PORT (ops-server.ts). Names follow Prometheus
 * conventions — `talks_bot_…_total` counters, `_seconds` histograms — and
 * every label has a handful of values: never a guild, channel or user id.
 * Node's default process metrics (CPU, heap, event-loop lag, GC) come along.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type InteractionKind = 'command' | 'button' | 'autocomplete' | 'ping' | 'other';

/** How an interaction ended, as a member saw it. */
export type Outcome =
  | 'confident'
  | 'uncertain'
  | 'not_found'
  /** Any other reply: a note, a list, a refusal, a detail. */
  | 'replied'
  | 'choices'
  /** Autocomplete past capacity: word completions only. */
  | 'thinned'
  /** Autocomplete past capacity: no choices. */
  | 'empty'
  /** Past capacity: "busy" note instead of the work. */
  | 'busy'
  /** Too old to answer within Discord's 3 s: nothing sent, no work done. */
  | 'dropped'
  | 'failed';

export interface Metrics {
  readonly registry: Registry;
  interaction(kind: InteractionKind, outcome: Outcome): void;
  /** From Discord creating the interaction to the bot's first response. */
  firstResponse(kind: InteractionKind, seconds: number): void;
  /** From Discord creating the interaction to the finished answer delivered. */
  answered(seconds: number): void;
  overloadEpisode(): void;
  storeError(operation: 'read' | 'write'): void;
  discordError(status: number): void;
  knowledgeChange(outcome: 'applied' | 'failed'): void;
  confirmation(how: string): void;
  /** One feed poll by this instance: polled, not-modified, failed or busy (another instance). */
  feedPoll(outcome: string): void;
  /** Feed items this instance added or skipped. */
  feedItems(outcome: 'added' | 'skipped', count: number): void;
  /** New articles announced in news channels. */
  newsPosted(): void;
}

/** Latency buckets (seconds) around Discord's 3 s window. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];

export function createMetrics(index: { articles: () => number; sentences: () => number }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'talks_bot_' });
  const interactions = new Counter({
    name: 'talks_bot_interactions_total',
    help: 'Interactions handled, by kind and by how they ended',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const firstResponse = new Histogram({
    name: 'talks_bot_first_response_seconds',
    help: "From Discord creating an interaction to the bot's first response",
    labelNames: ['kind'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const answered = new Histogram({
    name: 'talks_bot_answer_seconds',
    help: 'From Discord creating a command or button interaction to its finished reply',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const episodes = new Counter({
    name: 'talks_bot_overload_episodes_total',
    help: 'Times the bot started shedding work past capacity',
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'talks_bot_store_errors_total',
    help: 'Failed reads and writes of the store (SQLite or PostgreSQL)',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const discordErrors = new Counter({
    name: 'talks_bot_discord_rest_errors_total',
    help: 'Discord REST responses that were errors, by status class (4xx, 5xx; 429 apart)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const knowledgeChanges = new Counter({
    name: 'talks_bot_knowledge_changes_total',
    help: 'Knowledge changes announced by other instances, applied or failed here',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const confirmations = new Counter({
    name: 'talks_bot_confirmations_total',
    help: 'Answers confirmed here, by how (pin, teach, votes)',
    labelNames: ['how'] as const,
    registers: [registry],
  });
  const feedPolls = new Counter({
    name: 'talks_bot_feed_polls_total',
    help: 'Feed polls by this instance, by outcome (polled, not-modified, failed, busy)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const feedItems = new Counter({
    name: 'talks_bot_feed_items_total',
    help: 'New feed items this instance added to the knowledge or skipped',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const newsPosts = new Counter({
    name: 'talks_bot_news_posts_total',
    help: 'New articles announced in news channels by this instance',
    registers: [registry],
  });
  new Gauge({
    name: 'talks_bot_articles',
    help: 'Articles the engine answers from',
    registers: [registry],
    collect() {
      this.set(index.articles());
    },
  });
  new Gauge({
    name: 'talks_bot_sentences',
    help: 'Sentences indexed',
    registers: [registry],
    collect() {
      this.set(index.sentences());
    },
  });
  return {
    registry,
    interaction: (kind, outcome) => interactions.inc({ kind, outcome }),
    firstResponse: (kind, seconds) => firstResponse.observe({ kind }, Math.max(0, seconds)),
    answered: (seconds) => answered.observe(Math.max(0, seconds)),
    overloadEpisode: () => episodes.inc(),
    storeError: (operation) => storeErrors.inc({ operation }),
    discordError: (status) =>
      discordErrors.inc({ status: status === 429 ? '429' : `${Math.floor(status / 100)}xx` }),
    knowledgeChange: (outcome) => knowledgeChanges.inc({ outcome }),
    confirmation: (how) => confirmations.inc({ how }),
    feedPoll: (outcome) => feedPolls.inc({ outcome }),
    feedItems: (outcome, count) => feedItems.inc({ outcome }, count),
    newsPosted: () => newsPosts.inc(),
  };
}
