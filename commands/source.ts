/** /source article — one article's details. */
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { defineCommand, type CommandDefinition } from '../src/runtime/module.ts';
import { privateNotice } from '../src/runtime/reply.ts';
import { foldText } from '../src/knowledge/fold.ts';
import { clip, truncate } from '../src/render/clip.ts';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'source',
  description: "Show one article's details",
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'article',
      description: 'Start typing a title',
      required: true,
      autocomplete: true,
    },
  ],
} as const satisfies CommandDefinition;

const fold = (text: string) => foldText(text).toLowerCase();

export const command = defineCommand(definition, {
  console: true,
  execute({ args }, { engine }) {
    const wanted = fold(args.string('article') ?? '').trim();
    const articles = engine().articles;
    // Free text works too: an id, or a unique part of a title.
    const article =
      articles.find((a) => fold(a.id) === wanted) ??
      articles.find((a) => fold(a.title) === wanted) ??
      articles.filter((a) => fold(a.title).includes(wanted)).at(0);
    if (!article || wanted.length === 0) {
      return privateNotice('No article matches that. /sources lists them all.');
    }
    return { kind: 'article', article };
  },
  autocomplete({ value }, { engine }) {
    const wanted = fold(value);
    return engine()
      .articles.filter((a) => fold(a.title).includes(wanted) || fold(a.id).includes(wanted))
      .slice(0, 25)
      .map((a) => ({ name: clip(a.title, 100), value: truncate(a.id, 100) }));
  },
});
