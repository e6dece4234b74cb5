/**
 * "Answer with sources" (message context menu): answers a member's question
 * with a reply under their message. Works without the Message Content intent:
 * Discord hands a message command its target message's text.
 */
import {
  ApplicationCommandType,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { DiscordActionError, type CommandModule } from '../src/commands.ts';
import { cooldownNotice } from '../src/cooldown.ts';
import { privateNote } from '../src/moderation.ts';
import { answerReply, MAX_QUESTION_LENGTH } from './ask.ts';

export const definition = {
  type: ApplicationCommandType.Message,
  name: 'Answer with sources',
} satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;

export const command: CommandModule = {
  definition,
  async execute(invocation, context) {
    const { message, discord } = invocation;
    if (!message || !discord) return privateNote('Use this on a message in a server channel.');
    const wait = context.cooldowns?.ask.take(invocation.userId) ?? 0;
    if (wait > 0) return privateNote(cooldownNotice(wait));
    const question = message.content.trim().slice(0, MAX_QUESTION_LENGTH);
    if (question.length === 0) return privateNote('That message has no text I can answer.');

    const answer = context.engine().answer(question);
    // Not answered: only the person who asked for help sees that, not the whole channel.
    if (!answer.answered) return answerReply(answer, { hidden: true });
    try {
      await discord.replyTo(message.channelId, message.id, answerReply(answer));
    } catch (error) {
      if (error instanceof DiscordActionError && error.failure === 'missing-permission') {
        return privateNote(
          "I can't post in this channel: give my role **View Channel**, **Send Messages** and **Read Message History** here.",
        );
      }
      if (error instanceof DiscordActionError && error.failure === 'unknown-message') {
        return privateNote('That message was deleted before I could answer it.');
      }
      throw error;
    }
    return privateNote('Answered — my reply is under their message.');
  },
};
