/**
 * Logging: pino, JSON lines by default (for log collectors), human-readable
 * only when a person is watching an interactive terminal.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  readonly level: string;
  /** Where log lines go: the CLI keeps stdout for answers and logs to stderr. */
  readonly stream?: 'stdout' | 'stderr';
  /** Pretty-print; defaults to "the stream is an interactive terminal". */
  readonly pretty?: boolean;
}

export function createLogger({ level, stream = 'stdout', pretty }: LoggerOptions): Logger {
  const fd = stream === 'stdout' ? 1 : 2;
  const interactive = (stream === 'stdout' ? process.stdout : process.stderr).isTTY === true;
  if (pretty ?? interactive) {
    return pino({
      level,
      transport: {
        target: 'pino-pretty',
        options: { destination: fd, colorize: true, sync: true },
      },
    });
  }
  // Asynchronous: a synchronous write to a full pipe (a log reader that falls behind)
  // busy-waits in the event loop — measured at 48 s of a 64 s load run. Lines are
  // buffered instead, up to 16 MiB beyond which they are dropped rather than stall
  // answering; whatever is buffered is flushed when the process exits.
  return pino({ level }, pino.destination({ fd, sync: false, maxLength: 16 * 1024 * 1024 }));
}
