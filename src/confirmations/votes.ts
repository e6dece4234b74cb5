/**
 * Votes and the choice of sentence after a pin: how members' 👍/👎 and a
 * moderator's pick become (or stop being) a server's confirmed answer.
 */
import type { CommandContext, Invocation } from '../runtime/module.ts';
import { answerItemsOf } from '../runtime/answer-reply.ts';
import { may, refusal } from '../runtime/permissions.ts';
import { privateNotice, type Reply } from '../runtime/reply.ts';
import { clip } from '../render/clip.ts';
import { safeText } from '../render/discord-markdown.ts';
import type { AnswerItem } from '../search/types.ts';
import {
  askedQuestion,
  CONFIRMATIONS_FULL,
  recordConfirmation,
  scopeOf,
  verdictOfVotes,
} from './confirmations.ts';

/** A 👍/👎 button: one vote per member per answer, changeable; enough of them confirm it. */
export function vote(direction: 'up' | 'down') {
  return async (
    payload: string,
    invocation: Invocation,
    context: CommandContext,
  ): Promise<Reply> => {
    const { message, guildId } = invocation;
    if (!context.store || !message || !guildId)
      return privateNotice('Votes are counted in servers only.');
    const items = answerItemsOf(payload, context);
    const moderator = may(invocation, 'teach');
    const question = await askedQuestion(message, context);
    const result = await context.store.feedback.vote({
      messageId: message.id,
      guildId,
      channelId: message.channelId,
      userId: invocation.userId,
      question: question ?? '',
      sentences: items.map((item) => item.text),
      vote: direction,
      moderator,
      ...(items[0] && { firstKey: items[0].key }),
    });
    const mark = direction === 'up' ? '👍' : '👎';
    const text = {
      recorded: `Thanks — your ${mark} is recorded.`,
      changed: `Changed your vote to ${mark}.`,
      unchanged: `You already voted ${mark} on this answer.`,
    }[result];
    const decided = await applyVotes(invocation, context, items[0], question);
    return privateNotice(decided ? `${text}\n${decided}` : text);
  };
}

/**
 * Votes that reach a verdict confirm the answer's first sentence for its
 * question, or mark it wrong; votes that no longer reach one (a member
 * changed their mind) take back what votes confirmed.
 */
async function applyVotes(
  invocation: Invocation,
  context: CommandContext,
  first: AnswerItem | undefined,
  question: string | undefined,
): Promise<string | undefined> {
  const { message, guildId } = invocation;
  const { store, config } = context;
  if (!store || !message || !question || !guildId || !first) return undefined;
  const verdict = verdictOfVotes(await store.feedback.tally(message.id), {
    upVotes: config.confirmUpVotes,
    downVotes: config.wrongDownVotes,
  });
  const earlier = await store.confirmations.fromMessage(guildId, message.id);
  if (verdict === undefined) {
    if (earlier?.how === 'votes') await store.confirmations.forget(guildId, earlier.id);
    return undefined;
  }
  // Already so (by these votes, or a moderator's pin): nothing to change.
  if (earlier?.verdict === verdict) return undefined;
  const outcome = await recordConfirmation(context, {
    scope: guildId,
    question,
    sentenceKey: first.key,
    sentence: first.text,
    verdict,
    how: 'votes',
    byUserId: invocation.userId,
    ...(invocation.userName !== undefined && { byName: invocation.userName }),
    messageId: message.id,
  });
  if (outcome && !outcome.ok) return CONFIRMATIONS_FULL;
  return verdict === 'right'
    ? "With the votes so far, this answer is now this server's confirmed answer to its question."
    : "This answer is now marked wrong for its question: it won't be given first for it again.";
}

/**
 * "Sentence 2 instead" under a pin's note: the moderator moves the
 * confirmation to another sentence of the answer.
 */
export async function confirmOtherSentence(
  payload: string,
  invocation: Invocation,
  context: CommandContext,
): Promise<Reply> {
  if (!may(invocation, 'pin')) return privateNotice(refusal('pin', 'choose the confirmed answer'));
  const [id, key] = payload.split(':');
  const scope = scopeOf(invocation, context);
  const [item] = context.engine().explain([key ?? '']);
  const confirmation =
    scope === undefined ? undefined : await context.store?.confirmations.get(scope, Number(id));
  if (!item || !confirmation) {
    return privateNotice('That confirmation or sentence no longer exists; nothing changed.');
  }
  await context.store!.confirmations.changeSentence(scope!, confirmation.id, item.key, item.text);
  context.logger.info(
    { confirmationId: confirmation.id, sentenceKey: item.key, userId: invocation.userId },
    'Confirmed answer moved to another sentence',
  );
  return privateNotice(`✓ Confirmed instead: "${safeText(clip(item.text, 300))}"`);
}
