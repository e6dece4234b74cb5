/**
 * A Discord message as the text a member reads: its content, each embed's
 * title, description, fields and footer (markdown rendered; bold shown as the
 * caller asks), and its buttons and menus in brackets. README's Discord
 * example and `npm run interact` show replies this way.
 */
import type { APIEmbed } from 'discord.js';
import { plainFromMarkdown } from './plain-text.ts';

/** The parts of a message payload a sketch reads (what renderReply and Discord's JSON both have). */
export interface SketchedMessage {
  readonly content?: string | null;
  readonly embeds?: readonly unknown[];
  readonly components?: readonly unknown[];
}

/** How bold text is shown: as Discord's own `**…**`, in a terminal's bold, or plain. */
export type ShowBold = (text: string) => string;

/**
 * Markdown as plain text, except bold, which `bold` shows its own way: the
 * short answer and the phrase that answers are what a member's eye goes to.
 */
function plainKeepingBold(text: string, bold: ShowBold | undefined): string {
  if (!bold) return plainFromMarkdown(text);
  const spans: string[] = [];
  const marked = text.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, (_, inner: string) => {
    spans.push(inner);
    return `\uE000${spans.length - 1}\uE001`;
  });
  return plainFromMarkdown(marked).replace(/\uE000(\d+)\uE001/g, (_, i: string) =>
    bold(plainFromMarkdown(spans[Number(i)] ?? '')),
  );
}

function embedLines(embed: APIEmbed, bold: ShowBold | undefined): string[] {
  return [
    ...(embed.title ? [embed.title] : []),
    ...(embed.description ? [embed.description] : []),
    ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    ...(embed.footer ? [embed.footer.text] : []),
  ].map((text) => plainKeepingBold(text, bold));
}

/** A button's label (or its emoji), a menu's placeholder. */
function controlLabel(control: Record<string, unknown>): string {
  const label = control.label ?? control.placeholder;
  if (typeof label === 'string') return label;
  const emoji = control.emoji as { name?: string } | undefined;
  return emoji?.name ?? '';
}

export function sketchMessage(message: SketchedMessage, bold?: ShowBold): string {
  const rows = (message.components ?? []) as { components?: Record<string, unknown>[] }[];
  return [
    ...(message.content ? [plainKeepingBold(message.content, bold)] : []),
    ...(message.embeds ?? []).flatMap((embed) => embedLines(embed as APIEmbed, bold)),
    ...rows.map((row) =>
      (row.components ?? []).map((control) => `[${controlLabel(control)}]`).join(' '),
    ),
  ].join('\n');
}
