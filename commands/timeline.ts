/** /timeline [from] [to] — the dated events in the articles, in order, each cited. */
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/runtime/module.ts';
import { privateNotice } from '../src/runtime/reply.ts';
import { filterTimeline, parseTimelineBound } from '../src/search/timeline/timeline.ts';
import { clip } from '../src/render/clip.ts';
import { safeText } from '../src/render/discord-markdown.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'timeline',
  description: 'The dated events in the articles, in order, each cited',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'from',
      description: 'Start date, e.g. "May 2025" or "2025-05-16"',
      max_length: 40,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'to',
      description: 'End date, e.g. "June 2025" or "2 June 2025"',
      max_length: 40,
    },
  ],
} as const satisfies CommandDefinition;

export const command = defineCommand(definition, {
  console: true,
  async execute({ args }, { engine }) {
    const range: { from?: string; to?: string } = {};
    for (const name of ['from', 'to'] as const) {
      const text = args.string(name)?.trim();
      if (!text) continue;
      const bound = parseTimelineBound(text);
      if (!bound) {
        return privateNotice(
          `I can't read "${safeText(clip(text, 40))}" as a date. Use a day, month or year with the year written out, e.g. "16 May 2025", "June 2025" or "2025".`,
        );
      }
      range[name] = bound.date;
    }
    const events = filterTimeline(await engine().timeline(), range);
    const described = [range.from && `from ${range.from}`, range.to && `to ${range.to}`]
      .filter(Boolean)
      .join(' ');
    return { kind: 'timeline', events, range: described };
  },
});
