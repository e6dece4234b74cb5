/**
 * "Answer with sources" (message context menu): answers a member's question
 * with a reply under their message. Works without the Message Content intent:
 * Discord hands a message command its target message's text.
 */
import { ApplicationCommandType, bold } from 'discord.js';
import { answerReply } from '../src/runtime/answer-reply.ts';
import { learningOf, noteAnswer, rememberQuestion } from '../src/confirmations/confirmations.ts';
import { cooldownNotice } from '../src/runtime/cooldown.ts';
import {
  defineCommand,
  DiscordActionError,
  type CommandDefinition,
} from '../src/runtime/module.ts';
import { privateNotice } from '../src/runtime/reply.ts';
import { MAX_QUESTION_LENGTH } from '../src/search/answer/options.ts';

export const definition = {
  type: ApplicationCommandType.Message,
  name: 'Answer with sources',
} as const satisfies CommandDefinition;

export const command = defineCommand(definition, {
  async execute(invocation, context) {
    const { message, discord } = invocation;
    if (!message || !discord) return privateNotice('Use this on a message in a server channel.');
    const wait = context.cooldowns?.ask.take(invocation.userId) ?? 0;
    if (wait > 0) return privateNotice(cooldownNotice(wait));
    const question = message.content.trim().slice(0, MAX_QUESTION_LENGTH);
    if (question.length === 0) return privateNotice('That message has no text I can answer.');

    const answer = context.engine().answer(question, await learningOf(invocation, context));
    noteAnswer(invocation, context, question, answer);
    rememberQuestion(context, answer);
    // Not found: only the member who used the command is told. Passages that
    // may answer are posted like a confident answer, labelled as such.
    if (!answer.answered) return answerReply(answer);
    try {
      await discord.replyTo(
        message.channelId,
        message.id,
        answerReply(answer, { askerId: message.authorId }),
      );
    } catch (error) {
      if (error instanceof DiscordActionError && error.failure === 'missing-permission') {
        return privateNotice(
          `I can't post in this channel: give my role ${bold('View Channel')}, ${bold('Send Messages')} and ${bold('Read Message History')} here.`,
        );
      }
      if (error instanceof DiscordActionError && error.failure === 'unknown-message') {
        return privateNotice('That message was deleted before I could answer it.');
      }
      throw error;
    }
    return privateNotice('Answered — my reply is under their message.');
  },
});
