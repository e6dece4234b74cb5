/**
 * What an operator's tooling asks the process, on its own port
 * (METRICS_PORT, bound to METRICS_HOST — 127.0.0.1 unless set — never the
 * public interactions endpoint): GET /healthz (the process is alive),
 * GET /readyz (ready to serve; 503 with the reason otherwise) and
 * GET /metrics (Prometheus text).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.ts';
import type { Metrics } from './metrics.ts';

/** Why the process is not ready yet, or undefined when it is. */
export type ReadinessCheck = () => Promise<string | undefined>;

export interface OpsServer {
  /** http://host:port */
  readonly url: string;
  close(): Promise<void>;
}

export async function startOpsServer(options: {
  port: number;
  host: string;
  metrics: Metrics;
  ready: ReadinessCheck;
  logger: Logger;
}): Promise<OpsServer> {
  const { metrics, ready, logger } = options;
  const server = createServer((req, res) => {
    const reply = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return reply(405, 'text/plain', 'GET only\n');
    }
    if (path === '/healthz') return reply(200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      ready().then(
        (reason) =>
          reason === undefined
            ? reply(200, 'text/plain', 'ready\n')
            : reply(503, 'text/plain', `not ready: ${reason}\n`),
        (error: unknown) =>
          reply(
            503,
            'text/plain',
            `not ready: ${error instanceof Error ? error.message : error}\n`,
          ),
      );
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => reply(200, metrics.registry.contentType, text),
        (error: unknown) => {
          logger.error({ err: error }, 'Could not collect metrics');
          reply(500, 'text/plain', 'could not collect metrics\n');
        },
      );
      return;
    }
    reply(404, 'text/plain', 'Not found: /healthz, /readyz and /metrics are served here\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ host: options.host, port }, 'Health and metrics listening');
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
