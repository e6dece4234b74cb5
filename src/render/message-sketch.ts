/**
 * A Discord message as the text a member reads: its content, each embed's
 * title, description, fields and footer (markdown rendered), and its buttons
 * and menus in brackets. README's Discord example and `npm run interact`
 * show replies this way.
 */
import type { APIEmbed } from 'discord.js';
import { plainFromMarkdown } from './plain-text.ts';

/** The parts of a message payload a sketch reads (what renderReply and Discord's JSON both have). */
export interface SketchedMessage {
  readonly content?: string | null;
  readonly embeds?: readonly unknown[];
  readonly components?: readonly unknown[];
}

function embedLines(embed: APIEmbed): string[] {
  return [
    ...(embed.title ? [embed.title] : []),
    ...(embed.description ? [embed.description] : []),
    ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    ...(embed.footer ? [embed.footer.text] : []),
  ].map(plainFromMarkdown);
}

/** A button's label (or its emoji), a menu's placeholder. */
function controlLabel(control: Record<string, unknown>): string {
  const label = control.label ?? control.placeholder;
  if (typeof label === 'string') return label;
  const emoji = control.emoji as { name?: string } | undefined;
  return emoji?.name ?? '';
}

export function sketchMessage(message: SketchedMessage): string {
  const rows = (message.components ?? []) as { components?: Record<string, unknown>[] }[];
  return [
    ...(message.content ? [plainFromMarkdown(message.content)] : []),
    ...(message.embeds ?? []).flatMap((embed) => embedLines(embed as APIEmbed)),
    ...rows.map((row) =>
      (row.components ?? []).map((control) => `[${controlLabel(control)}]`).join(' '),
    ),
  ].join('\n');
}
