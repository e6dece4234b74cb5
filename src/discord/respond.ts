/**
 * The one interaction runtime, for the gateway and the HTTP endpoint alike:
 * routes an Incoming interaction to its command module, decides how the reply
 * reaches the member (delivery.ts) and has an executor carry it out. One
 * place owns what a member sees when something goes wrong: a short private
 * note with a reference id that is also in the log line.
 */
import { randomBytes } from 'node:crypto';
import { inlineCode } from 'discord.js';
import { answerKeysFromButtons, questionIdFromButtons } from '../runtime/answer-reply.ts';
import { parseButtonId } from '../runtime/button-id.ts';
import type {
  CommandContext,
  DiscordActions,
  Invocation,
  TargetMessage,
} from '../runtime/module.ts';
import type { CommandRegistry } from '../runtime/registry.ts';
import { privateNotice, type Reply } from '../runtime/reply.ts';
import { visibilityOf, type Visibility } from '../runtime/visibility.ts';
import type { Logger } from '../logger.ts';
import { renderChoices, renderReply } from '../render/discord.ts';
import { acknowledgement, completion } from './delivery.ts';
import type { InteractionExecutor } from './executors.ts';
import type { Incoming, IncomingInvocation, IncomingMessage } from './incoming.ts';
import { BUSY_NOTE, createdAt, type OverloadGuard } from './overload.ts';
import type { InteractionKind, Metrics, Outcome } from '../ops/metrics.ts';

export interface RuntimeDependencies {
  readonly registry: CommandRegistry;
  readonly context: CommandContext;
  readonly logger: Logger;
  /** What commands may do besides replying (pins, deletes, posts), over REST. */
  readonly discord: DiscordActions;
  /** Past capacity, how to spend less on interactions that waited (overload.ts). */
  readonly overload?: OverloadGuard;
  /** Counts and times every interaction (ops/metrics.ts). */
  readonly metrics?: Metrics;
}

/** How a finished reply counts: an answer by its confidence, anything else as a reply. */
function outcomeOf(reply: Reply): Outcome {
  if (reply.kind !== 'answer') return 'replied';
  if (!reply.answer.answered) return 'not_found';
  return reply.answer.uncertain ? 'uncertain' : 'confident';
}

/** The executor, timing its first response (from Discord's creation of the interaction). */
function timedExecutor(
  executor: InteractionExecutor,
  kind: InteractionKind,
  created: number,
  metrics: Metrics | undefined,
): InteractionExecutor {
  if (!metrics) return executor;
  let timed = false;
  const first =
    <A extends unknown[]>(send: (...args: A) => Promise<void>) =>
    (...args: A) => {
      if (!timed) {
        timed = true;
        metrics.firstResponse(kind, (Date.now() - created) / 1000);
      }
      return send(...args);
    };
  return {
    ...executor,
    reply: first(executor.reply),
    defer: first(executor.defer),
    choices: first(executor.choices),
    pong: first(executor.pong),
  };
}

/** Short, unambiguous reference a member can quote to a moderator. */
export function errorReference(): string {
  return randomBytes(4).toString('hex');
}

/** What a member sees when handling their interaction failed: a reference to quote. */
export function failureNotice(reference: string): Reply {
  return privateNotice(
    `Sorry, something went wrong on my side. Please try again; if it keeps happening, give a moderator this reference: ${inlineCode(reference)}.`,
  );
}

export const UNKNOWN_COMMAND = privateNotice(
  "I don't know that command any more (it may have been removed). `/help` lists what I can do.",
);
export const EXPIRED_BUTTON = privateNotice(
  'This button has expired. Ask again with `/ask` to get fresh buttons.',
);

/** One interaction's delivery state: what the first response was. */
class Delivery {
  /** Set once the first response went out. */
  private acknowledged = false;
  /** The placeholder's visibility, when the first response was a deferral. */
  private deferred: Visibility | undefined;

  constructor(private readonly executor: InteractionExecutor) {}

  async defer(visibility: Visibility): Promise<void> {
    this.acknowledged = true;
    this.deferred = visibility;
    await this.executor.defer(visibility);
  }

  /** Delivers the reply: as the first response, the placeholder's edit, or its replacement. */
  async send(reply: Reply): Promise<void> {
    const payload = renderReply(reply);
    if (this.acknowledged && this.deferred === undefined) {
      // Already answered (a failure after the reply): one more message.
      await this.executor.followUp(payload);
      return;
    }
    const how = completion(this.deferred, visibilityOf(reply));
    this.acknowledged = true;
    if (how === 'reply') return this.executor.reply(payload);
    if (how === 'edit') {
      const { flags: _fixedByTheDeferral, ...edit } = payload;
      return this.executor.editOriginal(edit);
    }
    await this.executor.deleteOriginal();
    this.deferred = undefined;
    await this.executor.followUp(payload);
  }
}

export function createInteractionRuntime(deps: RuntimeDependencies) {
  const { registry, context, logger, discord, overload, metrics } = deps;

  /** A message as commands see it: the bot's answers carry their state in their buttons. */
  function targetMessage(message: IncomingMessage, botId: string | undefined): TargetMessage {
    const fromBot = message.authorId === botId;
    const answerKeys = fromBot ? answerKeysFromButtons(message.buttonIds) : [];
    const questionId = fromBot ? questionIdFromButtons(message.buttonIds) : undefined;
    const { buttonIds: _state, ...rest } = message;
    return {
      ...rest,
      fromBot,
      ...(questionId !== undefined && { questionId }),
      ...(answerKeys.length > 0 && { answerKeys }),
    };
  }

  function invocationOf(incoming: IncomingInvocation, botId: string | undefined): Invocation {
    const { message, ...rest } = incoming;
    return {
      ...rest,
      discord,
      ...(message && { message: targetMessage(message, botId) }),
    };
  }

  /** The work an interaction asks for, and whether it may be slow; undefined: not ours. */
  function workOf(
    incoming: Extract<Incoming, { kind: 'command' | 'button' }>,
  ): { slow: boolean; work: () => Promise<Reply> } | undefined {
    if (incoming.kind === 'command') {
      const command = registry.get(incoming.command);
      if (!command) return undefined;
      return {
        slow: command.slow === true,
        work: async () =>
          command.execute(invocationOf(incoming.invocation, incoming.botId), context),
      };
    }
    const id = parseButtonId(incoming.customId);
    const handler = id && registry.get(id.command)?.buttons?.[id.button];
    if (!id || !handler) return undefined;
    return {
      // A slow command's buttons (Add an article: re-indexing) get the same extra time.
      slow: registry.get(id.command)?.slow === true,
      work: async () =>
        handler(id.payload, invocationOf(incoming.invocation, incoming.botId), context),
    };
  }

  async function autocomplete(
    incoming: Extract<Incoming, { kind: 'autocomplete' }>,
    created: number,
    executor: InteractionExecutor,
  ): Promise<void> {
    const treatment = overload?.treat('autocomplete', created) ?? 'as-usual';
    if (treatment === 'drop') return metrics?.interaction('autocomplete', 'dropped');
    metrics?.interaction(
      'autocomplete',
      treatment === 'empty' ? 'empty' : treatment === 'words-only' ? 'thinned' : 'choices',
    );
    const command = registry.get(incoming.command);
    const { focused } = incoming;
    const choices =
      treatment === 'empty' || !focused
        ? []
        : ((await command?.autocomplete?.(
            {
              name: focused.name,
              value: focused.value,
              quick: treatment === 'words-only',
              ...(incoming.guildId !== undefined && { guildId: incoming.guildId }),
            },
            context,
          )) ?? []);
    await executor.choices(renderChoices(choices));
  }

  /** Runs one interaction to the end; never throws (failures are logged and told). */
  return async function handle(incoming: Incoming, given: InteractionExecutor): Promise<void> {
    const started = performance.now();
    const created = createdAt(incoming.id);
    const kind: InteractionKind = incoming.kind;
    const executor = timedExecutor(given, kind, created, metrics);
    const log = logger.child({
      interactionId: incoming.id,
      command: incoming.label,
      guildId: incoming.guildId,
      userId: incoming.userId,
    });
    const delivery = new Delivery(executor);
    try {
      if (incoming.kind === 'ping') {
        metrics?.interaction('ping', 'replied');
        await executor.pong();
      } else if (incoming.kind === 'autocomplete') await autocomplete(incoming, created, executor);
      else {
        const found = incoming.kind === 'other' ? undefined : workOf(incoming);
        if (!found) {
          metrics?.interaction(kind, 'replied');
          await delivery.send(incoming.kind === 'button' ? EXPIRED_BUTTON : UNKNOWN_COMMAND);
        } else {
          const treatment = overload?.treat('reply', created) ?? 'as-usual';
          const first = acknowledgement(found.slow, treatment);
          if (first.kind === 'drop') metrics?.interaction(kind, 'dropped');
          else if (first.kind === 'busy') {
            metrics?.interaction(kind, 'busy');
            await delivery.send(privateNotice(BUSY_NOTE));
          } else {
            if (first.kind === 'defer') {
              await delivery.defer(first.visibility);
              // So the acknowledgements of the others waiting go out first.
              if (first.yieldFirst) await new Promise((resolve) => setImmediate(resolve));
            }
            const reply = await found.work();
            await delivery.send(reply);
            metrics?.interaction(kind, outcomeOf(reply));
            metrics?.answered((Date.now() - created) / 1000);
          }
        }
      }
      log.debug({ latencyMs: Math.round(performance.now() - started) }, 'Interaction answered');
    } catch (error) {
      const reference = errorReference();
      metrics?.interaction(kind, 'failed');
      log.error(
        { err: error, ref: reference, latencyMs: Math.round(performance.now() - started) },
        'Interaction failed',
      );
      try {
        if (incoming.kind === 'autocomplete') await executor.choices([]);
        else if (incoming.kind !== 'ping') await delivery.send(failureNotice(reference));
      } catch (told) {
        // Discord itself failed (token expired, 5xx): the log line is all that is left.
        log.warn({ err: told, ref: reference }, 'Could not tell the member about the failure');
      }
    }
  };
}
