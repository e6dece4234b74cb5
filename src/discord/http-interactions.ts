/**
 * Discord's HTTP interactions endpoint: the way large slash-command bots
 * scale out. Discord POSTs each interaction, signed with Ed25519 over
 * timestamp + body, to `POST /interactions`; the initial response is the
 * HTTP reply, and deferred answers and follow-ups go over REST. Stateless:
 * any number of instances behind a load balancer serve the same commands.
 *
 * It runs the same command modules and renders with the same renderer as the
 * gateway (interactions.ts); only the envelope differs. Messages in Q&A
 * channels and forum posts are not interactions: they still need the gateway.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { REST } from 'discord.js';
import type { CommandContext } from '../runtime/module.ts';
import type { CommandRegistry } from '../runtime/registry.ts';
import type { Logger } from '../logger.ts';
import { createDiscordActions } from './actions.ts';
import { restExecutor } from './executors.ts';
import { incomingFromJson, obj, str, type JsonObject } from './http-incoming.ts';
import {
  publicKeyFromHex,
  SIGNATURE_HEADER,
  signatureProblem,
  TIMESTAMP_HEADER,
} from './interaction-signature.ts';
import type { OverloadGuard } from './overload.ts';
import { createInteractionRuntime } from './respond.ts';

/** Where Discord posts interactions: the Interactions Endpoint URL's path (a URL, not a command). */
export const ENDPOINT_PATH = new URL('interactions', 'http://endpoint/').pathname;

/** Discord's own limit is far lower; anything larger is not an interaction. */
export const MAX_BODY_BYTES = 1024 * 1024;
export interface HttpInteractionsOptions {
  readonly port: number;
  readonly host?: string;
  /** The application's public key, hex, as the Developer Portal shows it. */
  readonly publicKey: string;
  readonly registry: CommandRegistry;
  readonly context: CommandContext;
  readonly logger: Logger;
  /** For deferred answers, follow-ups and the commands' own actions (pins, deletes). */
  readonly rest: REST;
  readonly overload?: OverloadGuard;
  /** Seconds since the epoch (tests pass a fixed clock). */
  readonly nowS?: () => number;
}

export interface HttpInteractions {
  /** http://host:port/interactions */
  readonly url: string;
  close(): Promise<void>;
}

export async function startHttpInteractions(
  options: HttpInteractionsOptions,
): Promise<HttpInteractions> {
  const { registry, context, logger, rest, overload } = options;
  const key = publicKeyFromHex(options.publicKey);
  const nowS = options.nowS ?? (() => Math.floor(Date.now() / 1000));
  const runtime = createInteractionRuntime({
    registry,
    context,
    logger,
    discord: createDiscordActions(rest),
    ...(overload && { overload }),
    ...(context.metrics && { metrics: context.metrics }),
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body?: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const path = new URL(req.url ?? '', 'http://endpoint').pathname;
    if (req.method !== 'POST' || path !== ENDPOINT_PATH) {
      return send(404, { message: `Not found: Discord posts interactions to ${ENDPOINT_PATH}` });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        logger.warn({ bytes: size }, 'HTTP interaction refused: body over 1 MiB');
        res.setHeader('connection', 'close');
        return send(413, { message: 'Request body over 1 MiB' });
      }
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const problem = signatureProblem(
      key,
      {
        signature: req.headers[SIGNATURE_HEADER] as string | undefined,
        timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
      },
      body,
      nowS(),
    );
    if (problem) {
      logger.warn({ problem }, 'HTTP interaction refused: not signed by Discord');
      return send(401, { message: 'invalid request signature' });
    }
    let raw: JsonObject;
    try {
      raw = obj(JSON.parse(body.toString('utf8')));
    } catch {
      return send(400, { message: 'Body is not JSON' });
    }
    // The runtime's first response is this request's response; the rest follows over REST.
    let responded = false;
    const executor = restExecutor(
      rest,
      { applicationId: str(raw.application_id) ?? '', token: str(raw.token) ?? '' },
      (response) => {
        responded = true;
        send(200, response);
      },
    );
    await runtime(incomingFromJson(raw), executor);
    // The runtime always answers; should it ever not, Discord must not wait 3 s for nothing.
    if (!responded) send(500, { message: 'No response' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'HTTP interactions: request failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  logger.info({ port: address.port }, 'HTTP interactions endpoint listening');
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}${ENDPOINT_PATH}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (overload) {
        overload.stop();
        // What this endpoint went through: load, what was shed, event-loop delay, heap.
        logger.info(overload.summary(), 'Load summary');
      }
    },
  };
}
