/** Ids and a vote the store tests write: Discord-shaped snowflakes, one guild's answer. */
import type { VoteInput } from '../../src/store/store.ts';

export const GUILD = '100000000000000001';
export const OTHER_GUILD = '100000000000000002';
export const CHANNEL = '200000000000000001';
export const MESSAGE = '300000000000000001';
export const ALICE = '400000000000000001';
export const BOB = '400000000000000002';
export const CAROL = '400000000000000003';

/** Alice's 👍 on an answer to a question about the Ukrainian delegation, changed by `overrides`. */
export function vote(overrides: Partial<VoteInput> = {}): VoteInput {
  return {
    messageId: MESSAGE,
    guildId: GUILD,
    channelId: CHANNEL,
    userId: ALICE,
    question: 'Who led the Ukrainian delegation?',
    sentences: ['Rustem Umerov led the delegation.', 'The talks lasted two hours.'],
    vote: 'up',
    ...overrides,
  };
}
