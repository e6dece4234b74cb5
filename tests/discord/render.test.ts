/**
 * The Discord renderer on hostile input: every payload it builds must stay within
 * Discord's limits, ping nobody but the member an answer is pointed at, never echo a
 * live mention or unescaped markdown from member/article text, and never cut a
 * surrogate pair in half.
 *
 * fast-check is not installed, so replies are generated with a small seeded PRNG
 * (mulberry32); every failure names the seed that rebuilds its input (`replyFor(seed)`).
 *
 * Known renderer bugs are pinned by `it.fails` tests at the end ("KNOWN BUG …"); the
 * generator steers around exactly those inputs (each spot is marked "see KNOWN BUG …")
 * so the property tests keep guarding everything else.
 */
import { isDeepStrictEqual } from 'node:util';
import { ButtonStyle, ComponentType, MessageFlags, type APIEmbed } from 'discord.js';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { command as ask } from '../../commands/ask.ts';
import { parseButtonId, type CommandContext, type Invocation } from '../../src/commands.ts';
import {
  fitEmbeds,
  fitLines,
  LIMITS,
  renderChoices,
  renderReply,
  safeText,
  type MessagePayload,
} from '../../src/discord/render.ts';
import { loadEngine, type Engine } from '../../src/engine.ts';
import type { Reply, ReplyButton } from '../../src/reply.ts';
import type { Answer, AnswerItem, ArticleSummary, Citation } from '../../src/search/types.ts';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.ts';

// ---------------------------------------------------------------------------
// Seeded generator
// ---------------------------------------------------------------------------

const SNOWFLAKE = '123456789012345678';
const ZWSP = '\u200b';

/** Cut positions worth aiming a surrogate pair at: every limit the renderer clips to. */
const CUTS = [79, 80, 99, 100, 199, 200, 255, 256, 1023, 1024, 1999, 2000, 2047, 2048, 4095, 4096];

const ZALGO_MARKS = '\u0300\u0301\u0302\u0303\u0336\u0353\u0489\u035c\u035d\u0361\u0316\u0317';

const FRAGMENTS: readonly string[] = [
  '',
  ' ',
  '   ',
  '\n',
  '\n\n',
  '\r\n',
  '\t',
  '\u00a0',
  ZWSP,
  'Istanbul',
  'prisoner exchange',
  'Medinsky said the talks would resume.',
  'Talks ended. Again? Yes! Really.',
  '**bold**',
  '**',
  '__underline__',
  '~~strike~~',
  '||spoiler||',
  '`code`',
  '```js\nalert(1)\n```',
  '*italic*',
  '_italic_',
  '***',
  '\\',
  '\\*\\*',
  '> quote',
  '>>> block quote',
  '# Heading',
  '## Heading two',
  '- item',
  '1. item',
  '[x](https://evil.example)',
  '[click](<https://evil.example/a>)',
  '@everyone',
  '@here',
  '@@everyone',
  '@Everyone',
  'everyone',
  '@',
  '<@',
  '>',
  `<@${SNOWFLAKE}>`,
  `<@!${SNOWFLAKE}>`,
  `<@&${SNOWFLAKE}>`,
  `<#${SNOWFLAKE}>`,
  '<@1>',
  `<<@${SNOWFLAKE}>>`,
  'https://example.com/path?q=1&r=2#frag',
  'http://evil.example/**x**',
  'www.evil.example',
  'مرحبا بالعالم',
  'שלום עולם',
  '\u202eevil\u202c',
  '\u200f',
  '😀',
  '👍🏽',
  '👨‍👩‍👧‍👦',
  '🇺🇦',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'e\u0301',
  '\u0000',
  'a\u0000b',
  '@every\u0000one',
  `<@\u0000${SNOWFLAKE}>`,
  `<@&${SNOWFLAKE}\u0000>`,
];

const WORDS = ['talks', 'Istanbul', 'ceasefire', 'Kyiv', 'Moscow', 'prisoners', 'delegation'];

/** URLs the loader accepts (z.url, http/https) and that are inert inside `[title](url)`. */
const URL_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-./_%=&?#';

class Gen {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  array<T>(min: number, max: number, make: () => T): T[] {
    return Array.from({ length: this.int(min, max) }, make);
  }

  /** Plain words up to `length` UTF-16 units, with sentence ends now and then. */
  prose(length: number): string {
    let text = '';
    while (text.length < length) text += this.pick(WORDS) + this.pick([' ', ' ', ' ', '. ', '! ']);
    return text.slice(0, length);
  }

  /** A surrogate pair starting right at (or near) a cut position, inside filler text. */
  emojiAtCut(): string {
    const at = Math.max(0, this.pick(CUTS) + this.int(-12, 12));
    const filler = this.bool() ? 'a'.repeat(at) : this.prose(at);
    const emoji = this.pick(['😀', '👍🏽', '𝔘', '🇺🇦']);
    return (
      filler + emoji + (this.bool() ? '😀'.repeat(this.int(0, 60)) : this.prose(this.int(0, 300)))
    );
  }

  /** One of the 10,000-unit monsters. */
  huge(): string {
    switch (this.int(0, 5)) {
      case 0:
        return 'a'.repeat(10_000);
      case 1:
        return this.prose(10_000);
      case 2:
        return '😀'.repeat(5_000);
      case 3:
        return '@everyone '.repeat(1_000);
      case 4:
        return `<@&${SNOWFLAKE}>**`.repeat(400);
      default:
        return 'Z' + ZALGO_MARKS.repeat(833);
    }
  }

  /** A hostile string; `big` is the chance of a long one (keep it low inside big lists). */
  text(big = 0.1): string {
    if (this.bool(big)) {
      switch (this.int(0, 3)) {
        case 0:
          return this.huge();
        case 1:
          return 'x'.repeat(this.int(100, 5000)); // a long word, no space to cut at
        case 2:
          return this.prose(this.int(100, 5000));
        default:
          return this.pick(FRAGMENTS.filter(Boolean)).repeat(this.int(20, 400));
      }
    }
    const roll = this.next();
    if (roll < 0.12) return this.emojiAtCut();
    if (roll < 0.17) return this.pick(WORDS) + ZALGO_MARKS.repeat(this.int(1, 40));
    if (roll < 0.27) return this.pick(FRAGMENTS);
    const parts = this.array(1, 8, () => this.pick(FRAGMENTS));
    return parts.map((part) => part + this.pick(['', ' ', ' ', '\n', '  '])).join('');
  }

  snowflake(): string {
    return (
      String(this.int(1, 9)) +
      Array.from({ length: this.int(16, 18) }, () => this.int(0, 9)).join('')
    );
  }

  isoDate(): string {
    return `20${this.int(10, 29)}-0${this.int(1, 9)}-${String(this.int(1, 28)).padStart(2, '0')}`;
  }

  url(): string {
    const base = this.pick([
      'https://example.com/',
      'http://news.example.org/',
      'https://пример.рф/',
    ]);
    const tail = this.bool(0.1)
      ? '😀'.repeat(this.int(1, 600)) // surrogate pairs at every cut position
      : Array.from({ length: this.bool(0.1) ? this.int(500, 3000) : this.int(0, 60) }, () =>
          this.pick([...URL_CHARS]),
        ).join('');
    return base + tail;
  }

  /** Article ids are file names without extension; see KNOWN BUG G for backticks in them. */
  articleId(): string {
    return this.bool(0.8)
      ? `${String(this.int(0, 999)).padStart(3, '0')}_${this.int(0, 2 ** 31).toString(16)}`
      : this.pick(['Киев report', 'notes 😀', 'a b c', 'مقال', 'x'.repeat(this.int(1, 300))]);
  }

  /** ASCII like the ids /ask builds (base64url keys); see KNOWN BUG D for astral ids. */
  customId(): string {
    const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:é';
    const tail = Array.from({ length: this.int(0, 150) }, () => this.pick([...chars])).join('');
    return `ask:${this.pick(['context', 'sources', 'x'])}:${tail}`;
  }
}

/** KNOWN BUG C: context text starting with "**" skips escaping, so keep it off that start. */
function notBoldStart(text: string): string {
  return text.startsWith('**') ? `x${text}` : text;
}

function genCitation(g: Gen, ids: readonly string[]): Citation {
  return {
    id: g.pick(ids),
    title: g.text(0.03),
    ...(g.bool(0.6) && { published: g.isoDate() }), // the loader only accepts YYYY-MM-DD
    ...(g.bool(0.6) && { publisher: g.text(0.03) }),
    ...(g.bool(0.7) && { url: g.url() }),
  };
}

function genItem(g: Gen, ids: readonly string[]): AnswerItem {
  const sourceCount = g.bool(0.15) ? g.int(0, 30) : g.int(0, 3);
  return {
    text: g.text(0.08),
    score: g.next(),
    coverage: g.next(),
    key: g.int(0, 2 ** 31).toString(36),
    sources: Array.from({ length: sourceCount }, () => genCitation(g, ids)),
    context: {
      ...(g.bool(0.7) && { before: notBoldStart(g.text(0.05)) }),
      ...(g.bool(0.7) && { after: notBoldStart(g.text(0.05)) }),
    },
  };
}

function genArticle(g: Gen, big: number): ArticleSummary {
  const id = g.articleId();
  return {
    id,
    title: g.text(big),
    file: `${id}.md`,
    sentenceCount: g.int(0, 5000),
    ...(g.bool(0.6) && { published: g.isoDate() }),
    ...(g.bool(0.6) && { publisher: g.text(big) }),
    ...(g.bool(0.6) && { url: g.url() }),
  };
}

const KINDS = [
  'answer',
  'answer',
  'answer',
  'context',
  'citations',
  'articles',
  'article',
  'notice',
];

/** The reply for one seed; any failure below prints its seed so it can be rebuilt here. */
function replyFor(seed: number): Reply {
  const g = new Gen(seed);
  const ids = g.array(1, 40, () => g.articleId());
  const kind = g.pick(KINDS);
  switch (kind) {
    case 'answer': {
      const answered = g.bool(0.75);
      const answer: Answer = {
        question: g.text(0.1),
        answered,
        answers: g.array(0, 10, () => genItem(g, ids)),
        ...(g.bool(0.5) && { suggestions: g.array(0, 10, () => g.text(0.05)) }),
      };
      const buttons: ReplyButton[] = g.array(0, 7, () => ({
        label: g.text(0.05),
        customId: g.customId(),
      }));
      return {
        kind: 'answer',
        answer,
        ...(g.bool(0.6) && { hidden: g.bool() }),
        ...(g.bool(0.3) && { mentionUserId: g.snowflake() }),
        ...(g.bool(0.8) && { buttons }),
      };
    }
    case 'context':
    case 'citations': {
      const count = g.bool(0.2) ? g.int(0, 30) : g.int(0, 4);
      return { kind, items: Array.from({ length: count }, () => genItem(g, ids)) };
    }
    case 'articles': {
      const roll = g.next();
      const count = roll < 0.7 ? g.int(0, 20) : roll < 0.9 ? g.int(20, 300) : g.int(300, 2000);
      return {
        kind: 'articles',
        articles: Array.from({ length: count }, () => genArticle(g, count > 100 ? 0.002 : 0.05)),
      };
    }
    case 'article':
      return { kind: 'article', article: genArticle(g, 0.3) };
    default:
      return { kind: 'notice', text: g.text(0.3), ...(g.bool(0.7) && { hidden: g.bool() }) };
  }
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LIVE_EVERYONE = /@(?:everyone|here)/;
const LIVE_MENTION = /<(?:@[!&]?|#)\d+>/;

function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Every string in a value, with its path. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

function liveMentions(text: string): string[] {
  return [LIVE_EVERYONE, LIVE_MENTION].flatMap((re) => re.exec(text)?.[0] ?? []);
}

/** `**`, `~~` and `||` never survive escapeMarkdown, so one left over is a leak. */
function unescapedMarkdown(text: string): string | undefined {
  return ['**', '~~', '||'].find((token) => text.includes(token));
}

function embedTotal(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

function expectedAllowedMentions(reply: Reply): object {
  if (reply.kind === 'answer' && reply.answer.answered && reply.mentionUserId !== undefined) {
    return { parse: [], users: [reply.mentionUserId] };
  }
  return { parse: [] };
}

function expectedEphemeral(reply: Reply): boolean {
  if (reply.kind === 'answer') return !reply.answer.answered || reply.hidden === true;
  if (reply.kind === 'notice') return reply.hidden !== false;
  return true;
}

/** Everything wrong with a payload; [] when it is one Discord accepts and nobody is pinged. */
function payloadProblems(reply: Reply, payload: MessagePayload): string[] {
  const problems: string[] = [];
  const over = (path: string, text: string | undefined, max: number, min = 0) => {
    if (text !== undefined && (text.length > max || text.length < min)) {
      problems.push(`${path}: length ${text.length} outside ${min}–${max}`);
    }
  };

  over('content', payload.content, LIMITS.content);
  if (payload.embeds.length > LIMITS.embeds) problems.push(`${payload.embeds.length} embeds`);
  let total = 0;
  payload.embeds.forEach((embed, e) => {
    over(`embeds[${e}].title`, embed.title, LIMITS.title);
    over(`embeds[${e}].description`, embed.description, LIMITS.description);
    over(`embeds[${e}].footer`, embed.footer?.text, LIMITS.footer);
    over(`embeds[${e}].author`, embed.author?.name, LIMITS.authorName);
    const fields = embed.fields ?? [];
    if (fields.length > LIMITS.fields) problems.push(`embeds[${e}]: ${fields.length} fields`);
    fields.forEach((field, f) => {
      over(`embeds[${e}].fields[${f}].name`, field.name, LIMITS.fieldName, 1);
      over(`embeds[${e}].fields[${f}].value`, field.value, LIMITS.fieldValue, 1);
    });
    total += embedTotal(embed);
  });
  if (total > LIMITS.embedTotal) problems.push(`embeds total ${total} > ${LIMITS.embedTotal}`);

  if (payload.components.length > 5) problems.push(`${payload.components.length} rows`);
  payload.components.forEach((row, r) => {
    if (row.components.length > 5) problems.push(`row ${r}: ${row.components.length} buttons`);
    row.components.forEach((button, b) => {
      over(`row ${r} button ${b} label`, button.label, LIMITS.buttonLabel);
      over(`row ${r} button ${b} custom_id`, button.custom_id, LIMITS.customId, 1);
    });
  });

  if (!isDeepStrictEqual(payload.allowed_mentions, expectedAllowedMentions(reply))) {
    problems.push(`allowed_mentions ${JSON.stringify(payload.allowed_mentions)}`);
  }
  const ephemeral = expectedEphemeral(reply);
  if (payload.flags !== (ephemeral ? MessageFlags.Ephemeral : undefined)) {
    problems.push(`flags ${payload.flags} (ephemeral expected: ${ephemeral})`);
  }

  for (const [path, text] of strings(payload)) {
    if (hasLoneSurrogate(text)) problems.push(`${path}: lone surrogate`);
  }

  // Live mentions. Bot-authored text is exempt: notices (help text keeps its markdown),
  // button labels and custom ids (never rendered as markdown).
  const intended =
    reply.kind === 'answer' && reply.mentionUserId !== undefined ? `<@${reply.mentionUserId}>` : '';
  if (intended && reply.kind === 'answer' && reply.answer.answered) {
    if (!payload.content?.startsWith(intended)) problems.push('content lacks the mention');
  }
  for (const [path, raw] of strings({ content: payload.content, embeds: payload.embeds })) {
    if (reply.kind === 'notice') break;
    // KNOWN BUG B: citations field names are not escaped.
    if (reply.kind === 'citations' && /^embeds\[\d+\]\.fields\[\d+\]\.name$/.test(path)) continue;
    const text = path === 'content' && intended ? raw.replace(intended, '') : raw;
    for (const live of liveMentions(text)) problems.push(`${path}: live ${JSON.stringify(live)}`);
  }

  // Escaped markdown where member/article text meets our own template.
  const embed = payload.embeds[0];
  const check = (path: string, text: string | undefined) => {
    const token = text === undefined ? undefined : unescapedMarkdown(text);
    if (token) problems.push(`${path}: unescaped ${token}`);
  };
  const withoutNumbers = (text = '') => text.replace(/^\*\*\d+\.\*\* /gm, '');
  if (reply.kind === 'answer' && !reply.answer.answered) check('content', payload.content);
  if (reply.kind === 'answer' && reply.answer.answered) {
    check('title', embed?.title);
    check('description', withoutNumbers(embed?.description));
  }
  if (reply.kind === 'articles') check('description', withoutNumbers(embed?.description));
  if (reply.kind === 'article') {
    check('title', embed?.title);
    check('publisher', embed?.fields?.find((f) => f.name === 'Publisher')?.value);
  }
  return problems;
}

/** Renders every seed and returns the first failures, each with its seed. */
function failuresFor(seeds: readonly number[]): string[] {
  const failures: string[] = [];
  for (const seed of seeds) {
    const reply = replyFor(seed);
    let problems: string[];
    try {
      problems = payloadProblems(reply, renderReply(reply));
    } catch (error) {
      problems = [`threw ${String(error)}`];
    }
    for (const problem of problems.slice(0, 3)) {
      failures.push(`seed ${seed} (${reply.kind}): ${problem}`);
    }
    if (failures.length >= 20) break;
  }
  return failures;
}

const GENERATED_REPLIES = 2400;
const SEEDS = Array.from({ length: GENERATED_REPLIES }, (_, i) => 20_250_602 + i);

// ---------------------------------------------------------------------------
// 1. Generated replies
// ---------------------------------------------------------------------------

describe('renderReply on generated hostile replies', () => {
  it('the checker itself catches each kind of broken payload', () => {
    const reply: Reply = {
      kind: 'answer',
      answer: { question: 'q', answered: true, answers: [] },
      mentionUserId: SNOWFLAKE,
    };
    const broken: MessagePayload = {
      content: `<@${SNOWFLAKE}> @everyone ${'x'.repeat(2000)}`,
      embeds: [
        {
          title: '😀'.repeat(200).slice(0, 255),
          description: `<@&${SNOWFLAKE}> **raw**`,
          fields: [{ name: '', value: 'y'.repeat(1025) }],
        },
        ...Array.from({ length: 10 }, () => ({ description: 'z'.repeat(600) })),
      ],
      components: [
        {
          type: ComponentType.ActionRow,
          components: Array.from({ length: 6 }, () => ({
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'l'.repeat(81),
            custom_id: 'c'.repeat(101),
          })),
        },
      ],
      flags: MessageFlags.Ephemeral,
      allowed_mentions: { parse: [] },
    };
    const problems = payloadProblems(reply, broken).join('\n');
    for (const expected of [
      'content: length',
      '11 embeds',
      'embeds total',
      'embeds[0].title: lone surrogate',
      'fields[0].name: length 0',
      'fields[0].value: length 1025',
      'row 0: 6 buttons',
      'label: length 81',
      'custom_id: length 101',
      'allowed_mentions',
      'flags 64',
      'content: live "@everyone"',
      `embeds[0].description: live "<@&${SNOWFLAKE}>"`,
      'description: unescaped **',
    ]) {
      expect(problems).toContain(expected);
    }
  });

  it('builds every kind of reply, with the hostile strings it promises', () => {
    const replies = SEEDS.map(replyFor);
    const kinds = new Set(replies.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(
      ['answer', 'article', 'articles', 'citations', 'context', 'notice'].sort(),
    );
    const texts = replies.flatMap((r) => strings(r).map(([, text]) => text));
    const has = (test: (text: string) => boolean) => texts.some(test);
    expect(has((t) => t === '')).toBe(true);
    expect(has((t) => t.length >= 10_000)).toBe(true);
    expect(has((t) => /\u0000/.test(t))).toBe(true);
    expect(has((t) => /[\u0300-\u036f]{20}/.test(t))).toBe(true);
    expect(has((t) => /[\u0590-\u06ff]/.test(t))).toBe(true);
    expect(has((t) => t.includes('@everyone'))).toBe(true);
    expect(has((t) => t.includes(`<@&${SNOWFLAKE}>`))).toBe(true);
    expect(has((t) => /^\s+$/.test(t))).toBe(true);
    // A surrogate pair straddling each cut the renderer makes.
    for (const cut of [80, 100, 256, 1024, 2000, 4096]) {
      expect(has((t) => /[\uD800-\uDBFF]/.test(t.charAt(cut - 1)))).toBe(true);
    }
    const answers = replies.filter((r) => r.kind === 'answer');
    expect(answers.some((r) => r.answer.answers.length === 10)).toBe(true);
    expect(answers.some((r) => r.answer.answers.some((i) => i.sources.length >= 25))).toBe(true);
    const lists = replies.flatMap((r) => (r.kind === 'articles' ? [r.articles.length] : []));
    expect(Math.max(...lists)).toBeGreaterThan(1500);
    expect(lists).toContain(0);
  });

  it(`keeps ${GENERATED_REPLIES} generated replies within every Discord limit and mention-safe`, () => {
    expect(failuresFor(SEEDS)).toEqual([]);
  });

  it('safeText leaves no live mention, NUL or bold/strike/spoiler markdown (2,000 strings)', () => {
    const g = new Gen(7);
    const failures: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const input = g.text(0.02);
      const out = safeText(input);
      const problems = [
        ...liveMentions(out),
        ...(out.includes('\u0000') ? ['NUL'] : []),
        ...(unescapedMarkdown(out) ?? []),
        ...(hasLoneSurrogate(out) ? ['lone surrogate'] : []),
      ];
      if (problems.length > 0) failures.push(`${JSON.stringify(input.slice(0, 80))}: ${problems}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('renderChoices keeps ≤ 25 choices of 1–100 characters (300 generated lists)', () => {
    const g = new Gen(11);
    for (let i = 0; i < 300; i++) {
      const input = g.array(0, 60, () => ({ name: g.text(0.05), value: g.text(0.05) }));
      const choices = renderChoices(input);
      const usable = input.filter((c) => c.name.trim().length > 0 && c.value.length > 0);
      expect(choices.length).toBe(Math.min(usable.length, LIMITS.choices));
      for (const choice of choices) {
        expect(choice.name.length).toBeGreaterThanOrEqual(1);
        expect(choice.name.length).toBeLessThanOrEqual(LIMITS.choiceLength);
        expect(choice.value.length).toBeGreaterThanOrEqual(1);
        expect(choice.value.length).toBeLessThanOrEqual(LIMITS.choiceLength);
        expect(hasLoneSurrogate(choice.name)).toBe(false);
        // Values: see KNOWN BUG D (a value cut inside a surrogate pair).
      }
    }
  });

  it('fitLines keeps whole lines in order and counts the rest exactly (500 generated lists)', () => {
    const g = new Gen(13);
    for (let i = 0; i < 500; i++) {
      const lines = g.array(1, 300, () =>
        g.bool(0.9) ? g.prose(g.int(1, 120)).trim() || 'x' : 'y'.repeat(g.int(1, 3000)),
      );
      const max = g.pick([50, 100, 256, 1024, 2000, 4096]);
      const out = fitLines(lines, max);
      expect(out.length).toBeLessThanOrEqual(max);
      const tail = /(?:^|\n)…and (\d+) more$/.exec(out);
      const shown = (tail ? out.slice(0, tail.index) : out).split('\n').filter(Boolean);
      expect(shown.length + Number(tail?.[1] ?? 0)).toBe(lines.length);
      shown.forEach((line, n) => {
        if (line === lines[n]) return;
        // Only the last shown line may be clipped, and only as a prefix of its line.
        expect(n).toBe(shown.length - 1);
        expect(lines[n]?.startsWith(line.replace(/ ?…$/, ''))).toBe(true);
      });
      if (lines.join('\n').length <= max) expect(out).toBe(lines.join('\n'));
    }
  });

  it('fitEmbeds fits any embeds into the limits and keeps the first (300 generated sets)', () => {
    const g = new Gen(17);
    for (let i = 0; i < 300; i++) {
      const embeds: APIEmbed[] = g.array(1, 15, () => ({
        ...(g.bool(0.8) && { title: g.text(0.3) }),
        ...(g.bool(0.8) && { description: g.text(0.5) }),
        ...(g.bool(0.5) && { footer: { text: g.text(0.3) } }),
        ...(g.bool(0.5) && {
          fields: g.array(0, 40, () => ({ name: g.text(0.1), value: g.text(0.2) })),
        }),
      }));
      const fitted = fitEmbeds(embeds);
      const problems = payloadProblems(
        { kind: 'citations', items: [] },
        {
          embeds: fitted,
          components: [],
          flags: MessageFlags.Ephemeral,
          allowed_mentions: { parse: [] },
        },
      ).filter((p) => !p.includes(': live ')); // raw embeds: only limits and surrogates here
      expect(problems).toEqual([]);
      expect(fitted.length).toBeGreaterThanOrEqual(1);
      const title = embeds[0]?.title;
      if (title === undefined) expect(fitted[0]?.title).toBeUndefined();
      else if (title.length <= LIMITS.title) expect(fitted[0]?.title).toBe(title);
      else expect(fitted[0]?.title?.endsWith('…')).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------
// 2. Focused examples
// ---------------------------------------------------------------------------

function source(id: string, extra: Partial<Citation> = {}): Citation {
  return { id, title: `Title ${id}`, ...extra };
}

function item(text: string, sources: Citation[], context: AnswerItem['context'] = {}): AnswerItem {
  return { text, score: 1, coverage: 1, key: `k${text.length}`, sources, context };
}

function answered(question: string, answers: AnswerItem[]): Answer {
  return { question, answered: true, answers };
}

describe('renderReply examples', () => {
  const A = source('a', {
    published: '2025-06-02',
    publisher: 'Reuters',
    url: 'https://a.example/1',
  });
  const B = source('b', { publisher: 'AP' });
  const C = source('c', { url: 'https://c.example/3' });

  it('escapes markdown and neutralises mentions in the question title', () => {
    const payload = renderReply({
      kind: 'answer',
      answer: answered(`**@everyone** <@&${SNOWFLAKE}>`, [item('Talks ended.', [A])]),
    });
    expect(payload.embeds[0]?.title).toBe(`\\*\\*@${ZWSP}everyone\\*\\* <@&${ZWSP}${SNOWFLAKE}>`);
    expect(strings(payload).flatMap(([, s]) => liveMentions(s))).toEqual([]);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.content).toBeUndefined();
  });

  it('pings only the member a reply is pointed at, and echoes no other mention', () => {
    const payload = renderReply({
      kind: 'answer',
      answer: answered('who?', [item(`Ask <@999999999999999999> or @here.`, [A])]),
      mentionUserId: SNOWFLAKE,
    });
    expect(payload.content).toBe(`<@${SNOWFLAKE}>, this may answer your question:`);
    expect(payload.allowed_mentions).toStrictEqual({ parse: [], users: [SNOWFLAKE] });
    expect(payload.flags).toBeUndefined();
    expect(payload.embeds[0]?.description).toBe(
      `**1.** Ask <@${ZWSP}999999999999999999> or @${ZWSP}here. [1]`,
    );
  });

  it('does not ping when the answer was not found, even with a member to point at', () => {
    const payload = renderReply({
      kind: 'answer',
      answer: { question: 'q', answered: false, answers: [] },
      mentionUserId: SNOWFLAKE,
    });
    expect(payload.allowed_mentions).toStrictEqual({ parse: [] });
    expect(payload.content).not.toContain(`<@${SNOWFLAKE}>`);
  });

  it('answers "not found" privately and lists escaped suggestions', () => {
    const payload = renderReply({
      kind: 'answer',
      answer: {
        question: 'unicorns?',
        answered: false,
        answers: [],
        suggestions: ['prisoner exchange', '**ceasefire** @here'],
      },
      buttons: [{ label: 'Show context', customId: 'ask:context:' }],
    });
    expect(payload.flags).toBe(MessageFlags.Ephemeral);
    expect(payload.embeds).toEqual([]);
    expect(payload.components).toEqual([]);
    expect(payload.content).toBe(
      [
        "I couldn't find that in the articles, so I won't guess.",
        'Did you mean:',
        '• prisoner exchange',
        `• \\*\\*ceasefire\\*\\* @${ZWSP}here`,
        'Use `/sources` to see which articles I know.',
      ].join('\n'),
    );
  });

  it('hides an answer only when asked (flags 64)', () => {
    const answer = answered('q', [item('Talks ended.', [A])]);
    expect(renderReply({ kind: 'answer', answer, hidden: true }).flags).toBe(64);
    expect(renderReply({ kind: 'answer', answer, hidden: false }).flags).toBeUndefined();
    expect(renderReply({ kind: 'answer', answer }).flags).toBeUndefined();
    expect(renderReply({ kind: 'notice', text: 'hi' }).flags).toBe(64);
    expect(renderReply({ kind: 'notice', text: 'hi', hidden: false }).flags).toBeUndefined();
  });

  it('numbers citations [1], [2]… across items and marks merged copies', () => {
    const payload = renderReply({
      kind: 'answer',
      answer: answered('q', [
        item('First **fact**.', [A, B]),
        item('Second fact.', [B, C]),
        item('Third fact.', [C]),
      ]),
      buttons: [
        { label: 'Show context', customId: 'ask:context:k1.k2' },
        { label: 'Sources', customId: 'ask:sources:k1.k2' },
      ],
    });
    const embed = payload.embeds[0];
    expect(embed?.description).toBe(
      [
        '**1.** First \\*\\*fact\\*\\*. [1][2] · *reported by 2 sources*',
        '**2.** Second fact. [2][3] · *reported by 2 sources*',
        '**3.** Third fact. [3]',
      ].join('\n'),
    );
    expect(embed?.fields).toEqual([
      {
        name: 'Sources',
        value: [
          '[1] [Title a (2025-06-02, Reuters)](https://a.example/1)',
          '[2] Title b (AP)',
          '[3] [Title c](https://c.example/3)',
        ].join('\n'),
      },
    ]);
    expect(payload.components).toHaveLength(1);
    expect(payload.components[0]?.components.map((b) => [b.label, b.custom_id])).toEqual([
      ['Show context', 'ask:context:k1.k2'],
      ['Sources', 'ask:sources:k1.k2'],
    ]);
  });

  it('lists 2,000 articles within 4,096 characters and says how many were left out', () => {
    const articles: ArticleSummary[] = Array.from({ length: 2000 }, (_, i) => ({
      id: `a${i}`,
      title: `Article **${i}** about the Istanbul talks`,
      file: `a${i}.md`,
      sentenceCount: i,
      publisher: 'Reuters',
    }));
    const payload = renderReply({ kind: 'articles', articles });
    const embed = payload.embeds[0];
    const description = embed?.description ?? '';
    expect(embed?.title).toBe('2000 articles');
    expect(description.length).toBeLessThanOrEqual(LIMITS.description);
    expect(description.length).toBeGreaterThan(LIMITS.description - 100);
    const tail = /\n…and (\d+) more$/.exec(description);
    expect(tail).not.toBeNull();
    const shown = description.slice(0, tail?.index).split('\n');
    expect(shown[0]).toBe(
      '**1.** Article \\*\\*0\\*\\* about the Istanbul talks (Reuters) — 0 sentences',
    );
    expect(shown.length + Number(tail?.[1])).toBe(2000);
    expect(payloadProblems({ kind: 'articles', articles }, payload)).toEqual([]);
  });

  it('says so when no articles are loaded', () => {
    const payload = renderReply({ kind: 'articles', articles: [] });
    expect(payload.embeds[0]?.title).toBe('0 articles');
    expect(payload.embeds[0]?.description).toBe('No articles are loaded.');
  });

  it('cuts a 10,000-emoji question without splitting a pair', () => {
    const reply: Reply = {
      kind: 'answer',
      answer: answered('😀'.repeat(5000), [item('😀'.repeat(5000), [A])]),
    };
    const payload = renderReply(reply);
    expect(payload.embeds[0]?.title).toBe(`${'😀'.repeat(127)}…`);
    expect(payloadProblems(reply, payload)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// 3. The real engine behind /ask
// ---------------------------------------------------------------------------

describe('/ask rendered from the real knowledge folder', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await loadEngine(KNOWLEDGE_DIR);
  });

  const context = (): CommandContext => ({
    engine: () => engine,
    config: {} as never,
    logger: pino({ level: 'silent' }),
  });

  function invocation(q: string, options: { hide?: boolean; mention?: string } = {}): Invocation {
    return {
      userId: '111111111111111111',
      args: {
        string: (n) => (n === 'question' ? q : undefined),
        boolean: (n) => (n === 'hide' ? options.hide : undefined),
        user: (n) => (n === 'mention' ? options.mention : undefined),
      },
    };
  }

  async function askAndRender(q: string, options?: { hide?: boolean; mention?: string }) {
    const reply = await ask.execute(invocation(q, options), context());
    const payload = renderReply(reply);
    expect(payloadProblems(reply, payload)).toEqual([]);
    if (reply.kind !== 'answer') throw new Error(`/ask replied ${reply.kind}`);
    return { reply, payload };
  }

  /** Presses both buttons of an answer and checks what they render. */
  async function pressButtons(payload: MessagePayload, answerCount: number) {
    const ids = payload.components[0]?.components.map((b) => b.custom_id) ?? [];
    for (const [id, kind] of [
      [ids[0], 'context'],
      [ids[1], 'citations'],
    ] as const) {
      const parsed = parseButtonId(id ?? '');
      const handler = parsed && ask.buttons?.[parsed.button];
      expect(handler).toBeDefined();
      const reply = await handler!(parsed!.payload, invocation(''), context());
      expect(reply.kind).toBe(kind);
      if (reply.kind === 'context' || reply.kind === 'citations') {
        expect(reply.items).toHaveLength(answerCount);
      }
      expect(payloadProblems(reply, renderReply(reply))).toEqual([]);
    }
  }

  const REAL = [
    'How many drones were smuggled into Russia?',
    'prisoner exchange',
    'ciragan palace',
    'what did zelenskyy say about territorial integrity',
  ];

  it.each(REAL)('renders a cited answer with Sources and two buttons: %s', async (q) => {
    const { reply, payload } = await askAndRender(q);
    expect(reply.answer.answered).toBe(true);
    const embed = payload.embeds[0];
    expect(embed?.title).toBe(safeText(q));
    expect(embed?.description).toMatch(/^\*\*1\.\*\* .+\[1\]/);
    expect(embed?.fields?.[0]?.name).toBe('Sources');
    expect(embed?.fields?.[0]?.value).toMatch(/^\[1\] /);
    const buttons = payload.components[0]?.components ?? [];
    expect(buttons.map((b) => b.label)).toEqual(['Show context', 'Sources']);
    expect(buttons[0]?.custom_id).toMatch(/^ask:context:./);
    expect(buttons[1]?.custom_id).toMatch(/^ask:sources:./);
    for (const b of buttons) expect(b.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
    await pressButtons(payload, reply.answer.answers.length);
  });

  it('renders a real answer to a hostile question with its title escaped', async () => {
    const q = `prisoner exchange **@everyone** <@&${SNOWFLAKE}> [x](https://evil.example)`;
    const { reply, payload } = await askAndRender(q);
    expect(reply.answer.answered).toBe(true);
    expect(payload.embeds[0]?.title).toBe(
      `prisoner exchange \\*\\*@${ZWSP}everyone\\*\\* <@&${ZWSP}${SNOWFLAKE}> [x](https://evil.example)`,
    );
    expect(payload.embeds[0]?.fields?.[0]?.name).toBe('Sources');
    expect(payload.components[0]?.components).toHaveLength(2);
  });

  it('points a hidden or mentioned answer correctly', async () => {
    const hidden = await askAndRender('prisoner exchange', { hide: true });
    expect(hidden.payload.flags).toBe(MessageFlags.Ephemeral);
    const mentioned = await askAndRender('prisoner exchange', { mention: SNOWFLAKE });
    expect(mentioned.payload.allowed_mentions).toStrictEqual({ parse: [], users: [SNOWFLAKE] });
    expect(mentioned.payload.content?.startsWith(`<@${SNOWFLAKE}>`)).toBe(true);
  });

  it.each([
    `**@everyone** <@&${SNOWFLAKE}>`,
    '',
    '   \n ',
    'x'.repeat(10_000),
    '😀'.repeat(5000),
    'prisoner' + ZALGO_MARKS.repeat(50),
    'exchange\u0000 of prisoners @here',
    'مرحبا تبادل الأسرى',
    '```\n||spoiler|| ~~x~~ __y__ <#123456789012345678>',
  ])('renders hostile question %# within every limit', async (q) => {
    const { reply, payload } = await askAndRender(q);
    if (reply.answer.answered) {
      expect(payload.embeds[0]?.fields?.[0]?.name).toBe('Sources');
      expect(payload.components[0]?.components).toHaveLength(2);
    } else {
      expect(payload.flags).toBe(MessageFlags.Ephemeral);
      expect(payload.content).toMatch(/^I couldn't find that/);
    }
  });

  it('renders /sources, each /source article and /ask autocomplete within the limits', () => {
    const list: Reply = { kind: 'articles', articles: engine.articles };
    expect(engine.articles.length).toBeGreaterThan(0);
    expect(payloadProblems(list, renderReply(list))).toEqual([]);
    for (const article of engine.articles) {
      const reply: Reply = { kind: 'article', article };
      expect(payloadProblems(reply, renderReply(reply))).toEqual([]);
    }
    for (const value of ['', 'pris', 'who led the', '😀'.repeat(80)]) {
      const choices = renderChoices(ask.autocomplete!({ name: 'question', value }, context()));
      expect(choices.length).toBeLessThanOrEqual(LIMITS.choices);
      for (const c of [...choices.map((x) => x.name), ...choices.map((x) => x.value)]) {
        expect(c.length).toBeGreaterThanOrEqual(1);
        expect(c.length).toBeLessThanOrEqual(LIMITS.choiceLength);
        expect(hasLoneSurrogate(c)).toBe(false);
      }
    }
  });
});

// ---------------------------------------------------------------------------
// Known bugs: each `it.fails` passes while the bug is there. Fixing the bug makes it
// fail; then turn it into a plain `it`.
// ---------------------------------------------------------------------------

describe('known renderer bugs', () => {
  const EVIL_URL = `https://evil.example/a)<@&${SNOWFLAKE}> @everyone **x**`;
  const live = (payload: MessagePayload) =>
    strings(payload.embeds).flatMap(([path, s]) => liveMentions(s).map((m) => `${path}: ${m}`));

  // KNOWN BUG A: citation urls are pasted raw into `[title](url)`. The loader's
  // z.url() accepts EVIL_URL in front matter, so an article can close the link and
  // inject markdown and mention syntax into the Sources field (answer embed), the
  // citations embed and the article embed's Link field.
  it.fails('KNOWN BUG A: a citation url cannot inject mentions or markdown', () => {
    const A = source('a', { url: EVIL_URL });
    const payloads = [
      renderReply({ kind: 'answer', answer: answered('q', [item('Fact.', [A])]) }),
      renderReply({ kind: 'citations', items: [item('Fact.', [A])] }),
      renderReply({ kind: 'article', article: { ...A, file: 'a.md', sentenceCount: 1 } }),
    ];
    expect(payloads.flatMap(live)).toEqual([]);
  });

  // KNOWN BUG B: citationsEmbed uses the raw sentence as the field name
  // (`${i + 1}. ${item.text}`), without safeText.
  it.fails('KNOWN BUG B: citations field names escape the sentence', () => {
    const payload = renderReply({
      kind: 'citations',
      items: [item(`**Breaking:** <@&${SNOWFLAKE}> @everyone`, [source('a')])],
    });
    expect(payload.embeds[0]?.fields?.[0]?.name).toBe(
      `1. \\*\\*Breaking:\\*\\* <@&${ZWSP}${SNOWFLAKE}> @${ZWSP}everyone`,
    );
  });

  // KNOWN BUG C: contextEmbeds escapes every part except those starting with "**"
  // (meant to skip the bolded answer sentence), so a neighbouring sentence that starts
  // with "**" is passed through raw.
  it.fails('KNOWN BUG C: context sentences starting with ** are escaped', () => {
    const payload = renderReply({
      kind: 'context',
      items: [
        item('Talks ended.', [source('a')], { before: `**Breaking:** <@&${SNOWFLAKE}> @everyone` }),
      ],
    });
    expect(live(payload)).toEqual([]);
    expect(payload.embeds[0]?.description?.startsWith('\\*\\*Breaking:\\*\\*')).toBe(true);
  });

  // KNOWN BUG D: button custom ids and autocomplete values are cut with
  // `.slice(0, 100)`, which splits a surrogate pair sitting at units 99–100.
  it.fails('KNOWN BUG D: custom ids and choice values are not cut inside a surrogate pair', () => {
    const long = 'a'.repeat(99) + '😀';
    const payload = renderReply({
      kind: 'answer',
      answer: answered('q', [item('Fact.', [source('a')])]),
      buttons: [{ label: 'Show context', customId: `ask:context:${long.slice(12)}` }],
    });
    expect(hasLoneSurrogate(payload.components[0]?.components[0]?.custom_id ?? '')).toBe(false);
    expect(hasLoneSurrogate(renderChoices([{ name: 'n', value: long }])[0]?.value ?? '')).toBe(
      false,
    );
  });

  // KNOWN BUG E: contextEmbeds divides the 6,000 budget by all items but shows only
  // 10, so 20+ items leave every description empty ('…'.slice(0, ≤ 0) === '').
  it.fails('KNOWN BUG E: 20 context items still show their sentences', () => {
    const items = Array.from({ length: 20 }, (_, i) => item(`Fact ${i}.`, [source('a')]));
    const payload = renderReply({ kind: 'context', items });
    for (const embed of payload.embeds) expect(embed.description).toMatch(/Fact \d+/);
  });

  // KNOWN BUG F: safeText relies on escapeMarkdown's defaults, which leave masked
  // links, headings and lists alone, so an article sentence's `[text](url)` renders
  // as a clickable disguised link in the answer embed.
  it.fails('KNOWN BUG F: masked links in article text are escaped', () => {
    const payload = renderReply({
      kind: 'answer',
      answer: answered('q', [
        item('See [the official list](https://evil.example/list) of prisoners.', [source('a')]),
      ]),
    });
    expect(payload.embeds[0]?.description).not.toMatch(/(?<!\\)\[[^\]\n]*\]\(/);
  });

  // KNOWN BUG G: article ids / file names go raw into `code` spans; a backtick in a
  // file name (allowed by the loader) closes the span and the rest is live markdown.
  it.fails('KNOWN BUG G: a backtick in a file name cannot break out of its code span', () => {
    const id = `a\` <@&${SNOWFLAKE}> \`b`;
    const payloads = [
      renderReply({
        kind: 'article',
        article: { ...source(id), file: `${id}.md`, sentenceCount: 1 },
      }),
      renderReply({ kind: 'citations', items: [item('Fact.', [source(id)])] }),
    ];
    expect(payloads.flatMap(live)).toEqual([]);
  });
});
