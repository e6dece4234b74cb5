/**
 * LISTEN on one dedicated connection, for the changes other instances
 * announce with NOTIFY. A notice sent while the connection was down is lost,
 * so after reconnecting every channel is told "something may have changed":
 * a spurious re-read costs little, a missed change would keep an instance
 * stale until the next one.
 */
import pg from 'pg';

export interface Notifications {
  /** Notices seen on a channel so far, plus one per reconnection: changes whenever it may have changed. */
  count(channel: string): number;
  /** Calls back on every notice (and after every reconnection); returns how to stop. */
  on(channel: string, listener: () => void): () => void;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Delay before reconnecting, ms. */
  readonly retryMs?: number;
  readonly onLost?: (error: unknown) => void;
  readonly onBack?: () => void;
}

export async function listenFor(
  url: string,
  channels: readonly string[],
  options: ListenOptions = {},
): Promise<Notifications> {
  const counts = new Map(channels.map((channel) => [channel, 0]));
  const listeners = new Map(channels.map((channel) => [channel, new Set<() => void>()]));
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const fire = (channel: string) => {
    counts.set(channel, (counts.get(channel) ?? 0) + 1);
    for (const listener of listeners.get(channel) ?? []) listener();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url });
    let lost = false;
    const onLost = (error: unknown) => {
      if (lost || closed) return;
      lost = true;
      options.onLost?.(error);
      next.end().catch(() => undefined);
      retry = setTimeout(reconnect, options.retryMs ?? 1_000);
    };
    next.on('error', onLost);
    next.on('end', () => onLost(new Error('connection ended')));
    next.on('notification', (message) => {
      if (counts.has(message.channel)) fire(message.channel);
    });
    try {
      await next.connect();
      for (const channel of channels) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      lost = true; // the caller retries; this client's own error events must not as well
      next.end().catch(() => undefined);
      throw error;
    }
    client = next;
  }

  function reconnect(): void {
    if (closed) return;
    connect().then(
      () => {
        options.onBack?.();
        for (const channel of channels) fire(channel);
      },
      () => {
        if (!closed) retry = setTimeout(reconnect, options.retryMs ?? 1_000);
      },
    );
  }

  await connect();
  return {
    count: (channel) => counts.get(channel) ?? 0,
    on(channel, listener) {
      listeners.get(channel)?.add(listener);
      return () => listeners.get(channel)?.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
