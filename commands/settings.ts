/**
 * /settings (Manage Server): `qa-channel channel [enabled]`, where the bot may
 * answer new questions on its own (auto-answer also needs the operator to turn
 * on AUTO_ANSWER and the Message Content intent); `news-channel channel
 * [enabled]`, where new articles from followed feeds are announced.
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
import { privateNotice, type Reply } from '../src/runtime/reply.ts';
import type { Store } from '../src/store/store.ts';

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
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'news-channel',
      description: 'Announce new articles from followed feeds, and what each adds, in a channel',
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'The news channel',
          required: true,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
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

async function newsChannel(
  store: Store,
  guildId: string,
  channelId: string,
  enabled: boolean,
): Promise<Reply> {
  const current = await store.settings.newsChannel(guildId);
  if (!enabled) {
    if (current?.channelId !== channelId) {
      return privateNotice(
        `${channelMention(channelId)} is not the news channel; nothing changed.`,
      );
    }
    await store.settings.setNewsChannel(guildId, undefined);
    return privateNotice(`New articles are no longer announced in ${channelMention(channelId)}.`);
  }
  await store.settings.setNewsChannel(guildId, channelId);
  const feeds = await store.feeds.list();
  return privateNotice(
    [
      `New articles from followed feeds are now announced in ${channelMention(channelId)}: once each, with the sentences no earlier article says (from now on; nothing older).`,
      ...(current && current.channelId !== channelId
        ? [`(Instead of ${channelMention(current.channelId)}.)`]
        : []),
      feeds.length === 0
        ? 'No feed is followed yet: `/knowledge follow feed:` adds one.'
        : `${feeds.length} feed${feeds.length === 1 ? ' is' : 's are'} followed (\`/knowledge feeds\`).`,
      'I need View Channel, Send Messages and Embed Links there.',
    ].join('\n'),
  );
}

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
    if (args.subcommand?.() === 'news-channel') {
      return newsChannel(store, guildId, channelId, enabled);
    }
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
