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
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  Routes,
  type REST,
} from 'discord.js';
import { answerKeysFromButtons } from '../runtime/answer-reply.ts';
import { argsFrom } from '../runtime/args.ts';
import { parseButtonId } from '../runtime/button-id.ts';
import type {
  ArgsByName,
  AttachmentArg,
  CommandContext,
  Invocation,
  TargetMessage,
} from '../runtime/module.ts';
import type { CommandRegistry } from '../runtime/registry.ts';
import { privateNotice, type Reply } from '../runtime/reply.ts';
import type { Logger } from '../logger.ts';
import { renderChoices, renderReply } from '../render/discord.ts';
import { createDiscordActions } from './actions.ts';
import {
  publicKeyFromHex,
  SIGNATURE_HEADER,
  signatureProblem,
  TIMESTAMP_HEADER,
} from './interaction-signature.ts';
import { errorReference, EXPIRED_BUTTON, failureNotice, UNKNOWN_COMMAND } from './interactions.ts';
import { BUSY_NOTE, createdAt, type OverloadGuard } from './overload.ts';

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

type JsonObject = Record<string, unknown>;
const obj = (value: unknown): JsonObject =>
  value !== null && typeof value === 'object' ? (value as JsonObject) : {};
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

interface RawOption {
  readonly name: string;
  readonly type: number;
  readonly value?: unknown;
  readonly focused?: boolean;
  readonly options?: readonly RawOption[];
}

/** A command's options as the command runtime reads them (a subcommand's, if it has one). */
function argsOf(data: JsonObject): { args: ArgsByName; focused?: RawOption } {
  let options = (data.options ?? []) as readonly RawOption[];
  let subcommand: string | undefined;
  while (
    options[0]?.type === ApplicationCommandOptionType.Subcommand ||
    options[0]?.type === ApplicationCommandOptionType.SubcommandGroup
  ) {
    subcommand = options[0].name;
    options = options[0].options ?? [];
  }
  const values = new Map(options.map((o) => [o.name, o.value]));
  const attachments = obj(obj(data.resolved).attachments);
  const attachment = (name: string): AttachmentArg | undefined => {
    const file = obj(attachments[String(values.get(name))]);
    const url = str(file.url);
    return url
      ? { name: str(file.filename) ?? 'file', url, size: Number(file.size ?? 0) }
      : undefined;
  };
  const text = (name: string) => {
    const value = values.get(name);
    return value === undefined ? undefined : String(value);
  };
  return {
    args: {
      string: text,
      boolean: (name) =>
        typeof values.get(name) === 'boolean' ? (values.get(name) as boolean) : undefined,
      user: text,
      channel: text,
      attachment,
      subcommand: () => subcommand,
    },
    ...(options.find((o) => o.focused) && { focused: options.find((o) => o.focused)! }),
  };
}

/** A message as commands see it, from its raw JSON (the bot's own answers carry question and keys). */
function targetOf(raw: JsonObject, botId: string | undefined): TargetMessage {
  const authorId = str(obj(raw.author).id) ?? '';
  const fromBot = authorId === botId;
  const title = str(obj((raw.embeds as unknown[] | undefined)?.[0]).title);
  const buttonIds = ((raw.components ?? []) as JsonObject[]).flatMap((row) =>
    ((row.components ?? []) as JsonObject[]).flatMap((c) =>
      str(c.custom_id) ? [str(c.custom_id)!] : [],
    ),
  );
  const answerKeys = fromBot ? answerKeysFromButtons(buttonIds) : [];
  return {
    id: str(raw.id) ?? '',
    channelId: str(raw.channel_id) ?? '',
    authorId,
    content: str(raw.content) ?? '',
    fromBot,
    pinned: raw.pinned === true,
    ...(fromBot &&
      title !== undefined && { question: title.replace(/\\([\\*_~`|>#[\]()-])/g, '$1') }),
    ...(answerKeys.length > 0 && { answerKeys }),
  };
}

export async function startHttpInteractions(
  options: HttpInteractionsOptions,
): Promise<HttpInteractions> {
  const { registry, context, logger, rest, overload } = options;
  const key = publicKeyFromHex(options.publicKey);
  const nowS = options.nowS ?? (() => Math.floor(Date.now() / 1000));
  const discord = createDiscordActions(rest);

  function invocationOf(raw: JsonObject, args: ArgsByName, message?: JsonObject): Invocation {
    const member = obj(raw.member);
    const user = obj(member.user ?? raw.user);
    const guildId = str(raw.guild_id);
    const channelId = str(raw.channel_id) ?? str(obj(raw.channel).id);
    const permissions = str(member.permissions);
    return {
      args,
      userId: str(user.id) ?? '',
      ...(str(user.username) !== undefined && { userName: str(user.username)! }),
      discord,
      ...(guildId !== undefined && { guildId }),
      ...(channelId !== undefined && { channelId }),
      ...(permissions !== undefined && { memberPermissions: BigInt(permissions) }),
      ...(message && { message: targetOf(message, str(raw.application_id)) }),
    };
  }

  /** The answer to a deferred interaction, as an edit of its "thinking…" message. */
  async function editOriginal(raw: JsonObject, reply: Reply): Promise<void> {
    const { flags: _fixed, ...payload } = renderReply(reply);
    await rest.patch(
      Routes.webhookMessage(str(raw.application_id) ?? '', str(raw.token) ?? '', '@original'),
      { body: payload, auth: false },
    );
  }

  const message = (reply: Reply) => ({
    type: InteractionResponseType.ChannelMessageWithSource,
    data: renderReply(reply),
  });

  /**
   * The initial response to one interaction, and (for a deferred one) the work
   * that completes it once the response is sent.
   */
  async function respond(raw: JsonObject): Promise<{ body: object; after?: () => Promise<void> }> {
    const type = raw.type;
    if (type === InteractionType.Ping) return { body: { type: InteractionResponseType.Pong } };
    const data = obj(raw.data);
    const treatment = overload?.treat(
      type === InteractionType.ApplicationCommandAutocomplete ? 'autocomplete' : 'reply',
      createdAt(str(raw.id) ?? '0'),
    );
    if (type === InteractionType.ApplicationCommandAutocomplete) {
      const command = registry.get(str(data.name) ?? '');
      const { focused } = argsOf(data);
      const guildId = str(raw.guild_id);
      const choices =
        treatment === 'empty' || !focused
          ? []
          : ((await command?.autocomplete?.(
              {
                name: focused.name,
                value: String(focused.value ?? ''),
                quick: treatment === 'words-only',
                ...(guildId !== undefined && { guildId }),
              },
              context,
            )) ?? []);
      return {
        body: {
          type: InteractionResponseType.ApplicationCommandAutocompleteResult,
          data: { choices: renderChoices(choices) },
        },
      };
    }
    let slow = false;
    let work: (() => Reply | Promise<Reply>) | undefined;
    if (type === InteractionType.ApplicationCommand) {
      const command = registry.get(str(data.name) ?? '');
      if (!command) return { body: message(UNKNOWN_COMMAND) };
      const target = obj(obj(obj(data.resolved).messages)[str(data.target_id) ?? '']);
      const invocation = invocationOf(
        raw,
        data.target_id === undefined ? argsOf(data).args : argsFrom({}),
        data.target_id === undefined ? undefined : target,
      );
      slow = command.slow === true;
      work = () => command.execute(invocation, context);
    } else if (type === InteractionType.MessageComponent) {
      const id = parseButtonId(str(data.custom_id) ?? '');
      const handler = id && registry.get(id.command)?.buttons?.[id.button];
      if (!id || !handler) return { body: message(EXPIRED_BUTTON) };
      const invocation = invocationOf(raw, argsFrom({}), obj(raw.message));
      slow = registry.get(id.command)?.slow === true;
      work = () => handler(id.payload, invocation, context);
    }
    if (!work) return { body: message(UNKNOWN_COMMAND) };
    if (treatment === 'busy') return { body: message(privateNotice(BUSY_NOTE)) };
    if (slow || treatment === 'defer') {
      const run = work;
      return {
        body: {
          type: InteractionResponseType.DeferredChannelMessageWithSource,
          ...(slow && { data: { flags: MessageFlags.Ephemeral } }),
        },
        after: async () => editOriginal(raw, await run()),
      };
    }
    return { body: message(await work()) };
  }

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
    const log = logger.child({ interactionId: str(raw.id), guildId: str(raw.guild_id) });
    try {
      const { body: response, after } = await respond(raw);
      send(200, response);
      await after?.().catch((error: unknown) => {
        const reference = errorReference();
        log.error({ err: error, ref: reference }, 'Interaction failed after its deferral');
        return editOriginal(raw, failureNotice(reference)).catch(() => undefined);
      });
    } catch (error) {
      const reference = errorReference();
      log.error({ err: error, ref: reference }, 'Interaction failed');
      if (!res.headersSent) send(200, message(failureNotice(reference)));
    }
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
