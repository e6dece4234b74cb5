/**
 * /settings qa-channel channel [enabled] (Manage Server): where the bot may
 * answer new questions on its own. Auto-answer also needs the operator to turn
 * on AUTO_ANSWER (and the Message Content intent in the Developer Portal).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  channelMention,
  ChannelType,
  InteractionContextType,
} from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/runtime/module.ts';
import { defaultPermissions, may, refusal } from '../src/runtime/permissions.ts';
import { privateNotice } from '../src/runtime/reply.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'settings',
  description: 'Server settings for this bot',
  default_member_permissions: defaultPermissions('changeSettings'),
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'qa-channel',
      description: 'Let the bot answer confident questions in a Q&A channel on its own',
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'The Q&A channel',
          required: true,
          channel_types: [ChannelType.GuildText, ChannelType.GuildForum],
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'enabled',
          description: 'On (default) or off',
        },
      ],
    },
  ],
} as const satisfies CommandDefinition;

export const command = defineCommand(definition, {
  async execute(invocation, { store, config }) {
    const { args, guildId } = invocation;
    if (!store || !guildId) return privateNotice('Settings are per server; use this in a server.');
    if (!may(invocation, 'changeSettings')) {
      return privateNotice(refusal('changeSettings', 'change bot settings'));
    }
    const channelId = args.channel?.('channel');
    if (!channelId) return privateNotice('Pick a channel.');
    const enabled = args.boolean('enabled') ?? true;
    await store.settings.setQaChannel(guildId, channelId, enabled);
    const channels = await store.settings.qaChannels(guildId);
    const lines = [
      enabled
        ? `Auto-answer is now on in ${channelMention(channelId)}: I reply in a thread (in a forum, inside the new post) when I'm confident, once per question.`
        : `Auto-answer is now off in ${channelMention(channelId)}.`,
      `Q&A channels: ${channels.length > 0 ? channels.map(channelMention).join(', ') : 'none'}.`,
    ];
    if (!config.autoAnswer) {
      lines.push(
        '⚠️ Auto-answer is switched off for this bot: the operator must set `AUTO_ANSWER=true` and enable the Message Content intent. The setting is saved and applies once that is done.',
      );
    }
    return privateNotice(lines.join('\n'));
  },
});
