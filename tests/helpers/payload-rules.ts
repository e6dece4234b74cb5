/**
 * Checks a rendered message payload against Discord's limits and the bot's
 * mention rules; returns every violation (empty = fine).
 */
import type { MessagePayload } from '../../src/render/discord.ts';

const LIVE_MENTION = /@(?:everyone|here)|<@[!&]?\d+>|<#\d+>/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function payloadProblems(payload: MessagePayload, mentionUserId?: string): string[] {
  const problems: string[] = [];
  const check = (label: string, text: string | undefined, max: number, allowMention = false) => {
    if (text === undefined) return;
    if (text.length > max) problems.push(`${label} is ${text.length} > ${max}`);
    if (LONE_SURROGATE.test(text)) problems.push(`${label} has a lone surrogate`);
    const stripped = allowMention && mentionUserId ? text.replace(`<@${mentionUserId}>`, '') : text;
    if (LIVE_MENTION.test(stripped))
      problems.push(`${label} has a live mention: ${LIVE_MENTION.exec(stripped)?.[0]}`);
  };
  check('content', payload.content, 2000, true);
  if (payload.embeds.length > 10) problems.push('more than 10 embeds');
  let total = 0;
  payload.embeds.forEach((embed, i) => {
    check(`embed ${i} title`, embed.title, 256);
    check(`embed ${i} description`, embed.description, 4096);
    check(`embed ${i} footer`, embed.footer?.text, 2048);
    if ((embed.fields?.length ?? 0) > 25) problems.push(`embed ${i} has more than 25 fields`);
    for (const field of embed.fields ?? []) {
      check(`embed ${i} field name`, field.name, 256);
      check(`embed ${i} field value`, field.value, 1024);
      if (field.value.length === 0 || field.name.length === 0)
        problems.push(`embed ${i} has an empty field`);
      total += field.name.length + field.value.length;
    }
    total +=
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.footer?.text.length ?? 0);
  });
  if (total > 6000) problems.push(`embeds total ${total} > 6000`);
  for (const row of payload.components) {
    if (row.components.length > 5) problems.push('more than 5 buttons in a row');
    for (const button of row.components) {
      if (button.custom_id.length > 100)
        problems.push(`custom_id ${button.custom_id.length} > 100`);
      if ((button.label?.length ?? 0) > 80) problems.push('button label > 80');
    }
  }
  const expected = mentionUserId ? { parse: [], users: [mentionUserId] } : { parse: [] };
  if (JSON.stringify(payload.allowed_mentions) !== JSON.stringify(expected)) {
    problems.push(`allowed_mentions ${JSON.stringify(payload.allowed_mentions)}`);
  }
  return problems;
}
