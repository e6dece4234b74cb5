/**
 * How the bot learns from its community, for the commands: which
 * confirmations an answer uses (the asker's server, or the local scope of the
 * console and CLI), and how a pin, a teaching or votes become one.
 *
 * Confirmations are analysed once per (engine, community) and reused until
 * the database changes (any process's write moves its version) or a
 * knowledge change swaps the engine.
 */
import type { Engine } from '../engine/engine.ts';
import type { Learned } from '../search/answer/learned.ts';
import type { Answer } from '../search/types.ts';
import type { ConfirmationInput, ConfirmOutcome } from '../store/store.ts';
import { MAX_CONFIRMATIONS, type Store, type VoteTally } from '../store/store.ts';
import type { CommandContext, Invocation, TargetMessage } from '../runtime/module.ts';

/** The limit as members read it: "5,000". */
export const CONFIRMATIONS_LIMIT = MAX_CONFIRMATIONS.toLocaleString('en-US');

/** The community whose confirmations apply: the server, or the console's and CLI's own. */
export function scopeOf(
  invocation: Pick<Invocation, 'guildId'>,
  context: Pick<CommandContext, 'localScope'>,
): string | undefined {
  return invocation.guildId ?? context.localScope;
}

const analysed = new WeakMap<Engine, Map<string, { version: string; learned: Learned }>>();

/**
 * The community's confirmations, analysed for this engine (cached until
 * anything changes). When the database cannot be read (a shared PostgreSQL
 * away), the last analysis read serves, or none: a member still gets an
 * answer, only without what the community confirmed since.
 */
export async function learnedFor(
  engine: Engine,
  store: Store | undefined,
  scope: string | undefined,
  onUnreadable: (error: unknown) => void = () => undefined,
): Promise<Learned | undefined> {
  if (!store || scope === undefined) return undefined;
  const version = store.confirmations.version();
  let byScope = analysed.get(engine);
  if (!byScope) analysed.set(engine, (byScope = new Map()));
  const cached = byScope.get(scope);
  if (cached?.version === version) return cached.learned;
  let confirmations;
  try {
    confirmations = await store.confirmations.list(scope);
  } catch (error) {
    onUnreadable(error);
    return cached?.learned;
  }
  const learned = engine.learn(confirmations);
  byScope.set(scope, { version, learned });
  return learned;
}

/** The answer request for an invocation: its community's confirmations, if any. */
export async function learningOf(
  invocation: Pick<Invocation, 'guildId'>,
  context: CommandContext,
): Promise<{ learned?: Learned }> {
  const scope = scopeOf(invocation, context);
  const learned = await learnedFor(context.engine(), context.store, scope, (error) => {
    context.metrics?.storeError('read');
    context.logger.warn(
      { err: error, scope },
      'Could not read the confirmed answers; answering without the latest of them',
    );
  });
  return learned ? { learned } : {};
}

/** The refusal when a community holds as many confirmations as it may. */
export const CONFIRMATIONS_FULL = `This server has as many confirmed answers as it can keep (${CONFIRMATIONS_LIMIT}). Forget some with /answers learned, then try again.`;

/**
 * What votes on one answer decide: a moderator's 👎, or `downVotes` members'
 * 👎, marks its first sentence wrong for its question; `upVotes` members' 👍
 * with no moderator 👎 confirm it. Undefined: not decided (yet).
 */
export function verdictOfVotes(
  tally: VoteTally,
  thresholds: { readonly upVotes: number; readonly downVotes: number },
): 'right' | 'wrong' | undefined {
  if (tally.moderatorDown || tally.down >= thresholds.downVotes) return 'wrong';
  if (tally.up >= thresholds.upVotes) return 'right';
  return undefined;
}

/** Records a confirmation, saying so in the log. */
export async function recordConfirmation(
  context: CommandContext,
  input: ConfirmationInput,
): Promise<ConfirmOutcome | undefined> {
  if (!context.store) return undefined;
  const outcome = await context.store.confirmations.confirm(input);
  if (outcome.ok) context.metrics?.confirmation(input.how);
  context.logger.info(
    {
      scope: input.scope,
      how: input.how,
      verdict: input.verdict,
      sentenceKey: input.sentenceKey,
      ...(outcome.ok ? { confirmationId: outcome.id } : { refused: outcome.reason }),
    },
    outcome.ok ? 'Answer confirmed' : 'Confirmation refused',
  );
  return outcome;
}

/**
 * What an answer tells moderators: a confirmed answer given first counts as
 * a use of its confirmation (`/answers learned`); "not found" or passages
 * that may answer it are a gap to teach (`/answers gaps`). Nothing about
 * who asked is kept.
 */
export async function recordAnswerUse(
  { store, engine }: { store: Store; engine: Engine },
  scope: string,
  question: string,
  answer: Answer,
): Promise<void> {
  if (question.trim().length === 0) return;
  if (answer.confirmed) {
    await store.confirmations.recordAnswer(scope, answer.confirmed.id, question);
  } else if (!answer.answered || answer.uncertain) {
    await store.gaps.record({
      scope,
      key: engine.questionKey(question) || question.trim().toLowerCase(),
      question: question.trim(),
      outcome: answer.answered ? 'uncertain' : 'not-found',
      ...(answer.answers[0] && { shown: answer.answers[0].text }),
    });
  }
}

/** The question one of the bot's answer messages answers, exactly as asked (from the store). */
export async function askedQuestion(
  message: TargetMessage | undefined,
  context: CommandContext,
): Promise<string | undefined> {
  if (message?.questionId === undefined) return undefined;
  return context.store?.questions.find(message.questionId);
}

/**
 * Keeps the question an answer message answers, so a later pin or vote
 * confirms it exactly as asked (its buttons carry the id). Without delaying
 * the reply; a failure is only logged (that answer then cannot be confirmed
 * by a pin, only taught).
 */
export function rememberQuestion(context: CommandContext, answer: Answer): void {
  if (!context.store || !answer.answered) return;
  context.store.questions.remember(answer.question).catch((error: unknown) => {
    context.metrics?.storeError('write');
    context.logger.warn({ err: error }, 'Could not keep the question of an answer');
  });
}

/** recordAnswerUse for an invocation, without delaying its reply; a failure is only logged. */
export function noteAnswer(
  invocation: Pick<Invocation, 'guildId'>,
  context: CommandContext,
  question: string,
  answer: Answer,
): void {
  const { store } = context;
  const scope = scopeOf(invocation, context);
  if (!store || scope === undefined) return;
  recordAnswerUse({ store, engine: context.engine() }, scope, question, answer).catch(
    (error: unknown) => {
      context.metrics?.storeError('write');
      context.logger.warn({ err: error, scope }, 'Could not note how a question was answered');
    },
  );
}
