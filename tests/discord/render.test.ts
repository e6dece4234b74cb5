/**
 * The Discord renderer on hostile input: every payload it builds must stay within
 * Discord's limits, ping nobody but the member an answer is pointed at, never echo a
 * live mention or unescaped markdown from member/article text, and never cut a
 * surrogate pair in half.
 *
 * Replies are generated with fast-check from a fixed seed (deterministic runs; a
 * failure prints the shrunk counterexample). Renderer bugs these properties found
 * are pinned by regression tests at the end ("fixed renderer bugs"); the generators
 * include the inputs that triggered them.
 */
import { isDeepStrictEqual } from 'node:util';
import { type APIEmbed, ButtonStyle, ComponentType, MessageFlags } from 'discord.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { command as ask } from '../../commands/ask.ts';
import { command as timeline } from '../../commands/timeline.ts';
import { answerReply as replyTo } from '../../src/runtime/answer-reply.ts';
import { argsFrom } from '../../src/runtime/args.ts';
import { parseButtonId } from '../../src/runtime/button-id.ts';
import type { CommandContext, Invocation } from '../../src/runtime/module.ts';
import {
  fitEmbeds,
  fitLines,
  LIMITS,
  renderChoices,
  renderReply,
  type MessagePayload,
} from '../../src/render/discord.ts';
import { safeText } from '../../src/render/discord-markdown.ts';
import { CLI_SURFACE, renderReplyText } from '../../src/render/plain-text.ts';
import { UNCERTAIN_NOTE } from '../../src/render/wording.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { Reply } from '../../src/runtime/reply.ts';
import type { TimelineEvent } from '../../src/search/timeline/timeline.ts';
import type { Answer, AnswerItem, ArticleSummary, Citation } from '../../src/search/types.ts';
import { testContext } from '../helpers/commands.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';

// ---------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------

const SEED = 20_250_602;
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

/** Words with sentence ends now and then, a newline every ~60 units, exactly `length` long. */
function prose(length: number, seed: number): string {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0; // mulberry32
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (items: readonly string[]) => items[Math.floor(next() * items.length)] ?? '';
  let text = '';
  let line = 0;
  while (text.length < length) {
    const word = pick(WORDS) + pick([' ', ' ', ' ', '. ', '! ']);
    text += line > 60 ? `\n${word}` : word;
    line = line > 60 ? word.length : line + word.length;
  }
  return text.slice(0, length);
}

/**
 * Rows of `unit` (≤ `row` units, newline-separated), exactly `length` units, no lone
 * half at the end. Long strings mostly come in rows, as pasted articles do; the few
 * one-line giants are MONSTERS.
 */
function rows(unit: string, length: number, row = 60): string {
  const line = unit.repeat(Math.max(1, Math.floor(row / unit.length))) + '\n';
  const text = line.repeat(Math.ceil(length / line.length) + 1).slice(0, length);
  return /[\uD800-\uDBFF]$/.test(text) ? `${text.slice(0, -1)}x` : text;
}

const fragment = fc.constantFrom(...FRAGMENTS);
const separator = fc.constantFrom('', ' ', ' ', '\n', '  ');
const composed = fc
  .array(fc.tuple(fragment, separator), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.map(([f, s]) => f + s).join(''));
/** A surrogate pair starting right at (or near) one of `cuts`, after BMP filler. */
function emojiAtCut(cuts: readonly number[]): fc.Arbitrary<string> {
  return fc
    .record({
      at: fc.tuple(fc.constantFrom(...cuts), fc.integer({ min: -12, max: 12 })),
      filler: fc.oneof(
        fc.integer({ min: 20, max: 60 }).map((row) => (n: number) => rows('a', n, row)),
        fc.integer().map((seed) => (n: number) => prose(n, seed)),
      ),
      emoji: fc.constantFrom('😀', '👍🏽', '𝔘', '🇺🇦'),
      rest: fc.oneof(
        fc.integer({ min: 0, max: 60 }).map((n) => '😀'.repeat(n)),
        composed,
      ),
    })
    .map(
      ({ at: [cut, delta], filler, emoji, rest }) =>
        filler(Math.max(0, cut + delta)) + emoji + rest,
    );
}
const zalgo = fc
  .tuple(fc.constantFrom(...WORDS), fc.integer({ min: 1, max: 40 }))
  .map(([word, n]) => word + ZALGO_MARKS.repeat(n));
const graphemes = fc.string({ unit: 'grapheme', maxLength: 40 });
/** 10,000 units: the long-message cases. */
const huge = fc.constantFrom(
  rows('a', 10_000),
  prose(10_000, 1),
  rows('😀', 10_000),
  rows('@everyone ', 10_000),
  rows(`<@&${SNOWFLAKE}>**`, 10_000),
  rows('Z' + ZALGO_MARKS, 10_000),
);
const longWord = fc.integer({ min: 100, max: 400 }).map((n) => 'x'.repeat(n));
const longProse = fc
  .tuple(fc.integer({ min: 100, max: 6000 }), fc.integer())
  .map(([n, seed]) => prose(n, seed));
const repeated = fc
  .tuple(
    fc.constantFrom(...FRAGMENTS.filter(Boolean)),
    fc.array(fc.constantFrom('', ' ', '\n'), { minLength: 20, maxLength: 400 }),
  )
  .map(([f, seps]) => seps.map((s) => f + s).join(''));

/**
 * A hostile string. `big` is the chance of a long one; `cuts` the cut positions a
 * surrogate pair is aimed at (strings in long lists get neither: they are never cut
 * alone, and escaping thousands of long strings would slow the suite down).
 */
function hostile(big: number, cuts: readonly number[] = CUTS): fc.Arbitrary<string> {
  const small = [
    { arbitrary: composed, weight: 55 },
    { arbitrary: fragment, weight: 10 },
    { arbitrary: zalgo, weight: 5 },
    { arbitrary: graphemes, weight: 8 },
    ...(cuts.length > 0 ? [{ arbitrary: emojiAtCut(cuts), weight: 12 }] : []),
  ];
  const each = Math.max(1, Math.round((90 * big) / (1 - big) / 4));
  const large = [huge, longWord, longProse, repeated].map((arbitrary) => ({
    arbitrary,
    weight: each,
  }));
  return fc.oneof(...small, ...(big > 0 ? large : []));
}

const SHORT_CUTS = CUTS.filter((cut) => cut <= 256);
const text = hostile(0.05);
const shortText = hostile(0.03, SHORT_CUTS);
const listText = hostile(0, []);

const snowflake = fc.stringMatching(/^[1-9][0-9]{16,18}$/);
const isoDate = fc // the loader only accepts YYYY-MM-DD
  .tuple(
    fc.integer({ min: 2010, max: 2029 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const URL_UNIT = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-./_%=&?#');
/** What an article's front matter may smuggle into a url: link ends, mentions, markdown. */
const HOSTILE_URL_UNIT = fc.constantFrom(...'abc)(<>@&!#*_`[] ', `<@&${SNOWFLAKE}>`, '@everyone');
const url = fc
  .tuple(
    fc.constantFrom('https://example.com/', 'http://news.example.org/', 'https://пример.рф/'),
    fc.oneof(
      { arbitrary: fc.string({ unit: URL_UNIT, maxLength: 60 }), weight: 8 },
      { arbitrary: fc.string({ unit: URL_UNIT, minLength: 500, maxLength: 3000 }), weight: 1 },
      { arbitrary: fc.integer({ min: 1, max: 600 }).map((n) => '😀'.repeat(n)), weight: 1 },
      { arbitrary: fc.string({ unit: HOSTILE_URL_UNIT, maxLength: 40 }), weight: 2 },
    ),
  )
  .map(([base, tail]) => base + tail);
/** File names, including backticks (they must not break out of the `id` code span). */
const articleId = fc.oneof(
  { arbitrary: fc.stringMatching(/^[0-9]{3}_[0-9a-f]{16}$/), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'Киев report',
      'notes 😀',
      'a b c',
      'مقال',
      'x'.repeat(300),
      `a\` <@&${SNOWFLAKE}> \`b`,
    ),
    weight: 1,
  },
);
/** Like the ids /ask builds, plus astral characters that may sit at unit 100. */
const customId = fc
  .tuple(
    fc.constantFrom('context', 'sources', 'pin', 'up'),
    fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.:é', '😀'), maxLength: 150 }),
  )
  .map(([button, tail]) => `ask:${button}:${tail}`);

const citation: fc.Arbitrary<Citation> = fc.record(
  { id: articleId, title: shortText, published: isoDate, publisher: shortText, url },
  { requiredKeys: ['id', 'title'] },
);
const contextText = hostile(0.05);
const answerItem: fc.Arbitrary<AnswerItem> = fc.record({
  text: hostile(0.04),
  score: fc.nat(),
  coverage: fc.nat(),
  key: fc.stringMatching(/^[A-Za-z0-9_-]{10}$/),
  sources: fc.oneof(
    { arbitrary: fc.array(citation, { maxLength: 3 }), weight: 10 },
    { arbitrary: fc.array(citation, { maxLength: 30, size: 'max' }), weight: 1 },
  ),
  context: fc.record({ before: contextText, after: contextText }, { requiredKeys: [] }),
});
const items = fc.oneof(
  { arbitrary: fc.array(answerItem, { maxLength: 4 }), weight: 8 },
  { arbitrary: fc.array(answerItem, { maxLength: 30, size: 'max' }), weight: 1 },
);
function articleSummary(title: fc.Arbitrary<string>): fc.Arbitrary<ArticleSummary> {
  return fc
    .record(
      {
        id: articleId,
        title,
        sentenceCount: fc.nat(5000),
        published: isoDate,
        publisher: title,
        url,
      },
      { requiredKeys: ['id', 'title', 'sentenceCount'] },
    )
    .map((a) => ({ ...a, file: `${a.id}.md` }));
}

const answerReply: fc.Arbitrary<Reply> = fc.record(
  {
    kind: fc.constant('answer' as const),
    answer: fc.record(
      {
        question: text,
        answered: fc.boolean(),
        uncertain: fc.constant(true as const),
        confidence: fc.double({ min: 0, max: 1, noNaN: true }),
        answers: fc.array(answerItem, { maxLength: 10, size: 'max' }),
        suggestions: fc.array(
          fc.record({ question: hostile(0.05), key: fc.stringMatching(/^[0-9a-f]{16}$/) }),
          { maxLength: 10 },
        ),
      },
      { requiredKeys: ['question', 'answered', 'confidence', 'answers'] },
    ),
    hidden: fc.boolean(),
    mentionUserId: snowflake,
    buttons: fc.array(fc.record({ label: hostile(0.05), customId }), { maxLength: 7 }),
  },
  { requiredKeys: ['kind', 'answer'] },
);
const articlesReply: fc.Arbitrary<Reply> = fc
  .oneof(
    // Long lists are rare: rendering 2,000 escaped titles takes ~0.2 s.
    { arbitrary: fc.array(articleSummary(hostile(0.05)), { maxLength: 20 }), weight: 28 },
    { arbitrary: fc.array(articleSummary(listText), { minLength: 20, maxLength: 300 }), weight: 8 },
    {
      arbitrary: fc.array(articleSummary(listText), {
        minLength: 300,
        maxLength: 2000,
        size: 'max',
      }),
      weight: 1,
    },
  )
  .map((articles) => ({ kind: 'articles' as const, articles }));

const timelineEvent: fc.Arbitrary<TimelineEvent> = fc
  .record({
    day: isoDate,
    precision: fc.constantFrom('day' as const, 'month' as const, 'year' as const),
    text: shortText,
    key: fc.stringMatching(/^[A-Za-z0-9_-]{10}$/),
    sources: fc.array(citation, { maxLength: 4 }),
  })
  .map(({ day, precision, ...event }) => ({
    ...event,
    precision,
    date: precision === 'day' ? day : day.slice(0, precision === 'month' ? 7 : 4),
  }));
/** /timeline's range is built from parsed dates only ("from 2025-05 to 2025"). */
const timelineReply: fc.Arbitrary<Reply> = fc.record({
  kind: fc.constant('timeline' as const),
  events: fc.oneof(
    { arbitrary: fc.array(timelineEvent, { maxLength: 20 }), weight: 4 },
    { arbitrary: fc.array(timelineEvent, { minLength: 20, maxLength: 300 }), weight: 1 },
  ),
  range: fc.constantFrom('', 'from 2025-05', 'to 2025', 'from 2025-05-16 to 2025-06-02'),
});

/** A feed's new article as it is announced: its front matter may be anything a site wrote. */
const newsReply: fc.Arbitrary<Reply> = fc
  .record(
    {
      articleId,
      title: hostile(0.3),
      publisher: shortText,
      published: isoDate,
      url,
      sentences: fc.array(
        fc.record({ key: fc.stringMatching(/^[A-Za-z0-9_-]{10}$/), text: hostile(0.2) }),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['articleId', 'title', 'sentences'] },
  )
  .map((news) => ({ kind: 'news' as const, news }));

const reply: fc.Arbitrary<Reply> = fc.oneof(
  { arbitrary: newsReply, weight: 1 },
  { arbitrary: answerReply, weight: 3 },
  { arbitrary: items.map((i) => ({ kind: 'context' as const, items: i })), weight: 1 },
  { arbitrary: items.map((i) => ({ kind: 'citations' as const, items: i })), weight: 1 },
  { arbitrary: articlesReply, weight: 1 },
  { arbitrary: timelineReply, weight: 1 },
  {
    arbitrary: articleSummary(hostile(0.3)).map((article) => ({
      kind: 'article' as const,
      article,
    })),
    weight: 1,
  },
  {
    arbitrary: fc.record(
      {
        kind: fc.constant('notice' as const),
        text: hostile(0.3),
        hidden: fc.boolean(),
        mentionUserId: fc.constant(SNOWFLAKE),
      },
      { requiredKeys: ['kind', 'text'] },
    ),
    weight: 1,
  },
);

/**
 * A one-line 10,000-unit question (one long word), run as an explicit example: it costs
 * ~0.6 s to escape, so it is not in the arbitraries (the 5,000-emoji one is an example below).
 */
const MONSTERS: Reply[] = ['a'.repeat(10_000)].map((question) => ({
  kind: 'answer',
  answer: {
    question,
    answered: true,
    confidence: 1,
    answers: [{ text: 'Fact.', score: 1, coverage: 1, key: 'k', sources: [], context: {} }],
  },
}));

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

/** A masked link's target: Discord shows the link text, never the address. */
const LINK_TARGET = /\]\(https?:\/\/[^\s()<>]+\)/g;

function liveMentions(text: string): string[] {
  const shown = text.replace(LINK_TARGET, '](…)');
  return [LIVE_EVERYONE, LIVE_MENTION].flatMap((re) => re.exec(shown)?.[0] ?? []);
}

/**
 * A `**`, `~~` or `||` whose first character is not backslash-escaped: safeText
 * turns every one of these in member/article text into `\\*\\*`, `\\~\\~`, `\\|\\|`.
 */
function unescapedMarkdown(text: string): string | undefined {
  return ['**', '~~', '||'].find((token) => {
    for (let i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + 1)) {
      let backslashes = 0;
      while (text[i - 1 - backslashes] === '\\') backslashes++;
      if (backslashes % 2 === 0) return true;
    }
    return false;
  });
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
  // A member is pointed at only by an answer (confident or "may answer it"), not by "not found".
  const pointed = reply.kind === 'answer' && reply.answer.answered;
  if (pointed && reply.mentionUserId !== undefined) {
    return { parse: [], users: [reply.mentionUserId] };
  }
  // A public note to one member (a paused feed's follower) may ping that member.
  if (reply.kind === 'notice' && reply.mentionUserId !== undefined) {
    return { parse: [], users: [reply.mentionUserId] };
  }
  return { parse: [] };
}

function expectedEphemeral(reply: Reply): boolean {
  switch (reply.kind) {
    case 'answer':
      return !reply.answer.answered || reply.hidden === true;
    case 'notice':
      return reply.hidden !== false;
    case 'timeline':
    case 'news':
      return false;
    default:
      return true; // follow-up details: context, citations, articles, article
  }
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
  if (intended && reply.kind === 'answer' && reply.answer.answered && !reply.answer.uncertain) {
    if (!payload.content?.startsWith(intended)) problems.push('content lacks the mention');
  }
  for (const [path, raw] of strings({ content: payload.content, embeds: payload.embeds })) {
    if (reply.kind === 'notice') break;
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
    // Our own bold: the short answer's line and the answering phrase in each sentence.
    const { answer } = reply;
    let description = withoutNumbers(embed?.description);
    const phrases = [
      ...(answer.short === undefined ? [] : [safeText(answer.short)]),
      ...answer.answers.flatMap((item) =>
        item.highlight ? [safeText(item.text.slice(...item.highlight))] : [],
      ),
    ];
    for (const phrase of phrases) description = description.replace(`**${phrase}**`, phrase);
    check('title', embed?.title);
    check('description', description);
  }
  if (reply.kind === 'articles') check('description', withoutNumbers(embed?.description));
  if (reply.kind === 'timeline') {
    check('description', embed?.description?.replace(/^\*\*[^*\n]+\*\* — /gm, ''));
  }
  if (reply.kind === 'article') {
    check('title', embed?.title);
    check('publisher', embed?.fields?.find((f) => f.name === 'Publisher')?.value);
  }
  return problems;
}

/** Throws the payload's problems (so fast-check can shrink to a minimal reply). */
function assertRenders(reply: Reply): void {
  const problems = payloadProblems(reply, renderReply(reply));
  if (problems.length > 0) throw new Error(`${reply.kind}: ${problems.slice(0, 5).join('; ')}`);
}

const GENERATED_REPLIES = 2000;

// ---------------------------------------------------------------------------
// 1. Generated replies
// ---------------------------------------------------------------------------

describe('renderReply on generated hostile replies', () => {
  it('the checker itself catches each kind of broken payload', () => {
    const answer: Reply = {
      kind: 'answer',
      answer: { question: 'q', answered: true, confidence: 1, answers: [] },
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
    const problems = payloadProblems(answer, broken).join('\n');
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
    // Escaped tokens and the intended mention are not flagged.
    expect(unescapedMarkdown('\\*\\* \\\\\\*\\* \\~\\~ \\|\\|')).toBeUndefined();
    expect(unescapedMarkdown('\\\\**')).toBe('**');
    const fine: MessagePayload = {
      content: `<@${SNOWFLAKE}>, this may answer your question:`,
      embeds: [{ title: `@${ZWSP}everyone <@&${ZWSP}1>`, description: '**1.** \\*\\*x\\*\\* [1]' }],
      components: [],
      allowed_mentions: { parse: [], users: [SNOWFLAKE] },
    };
    expect(payloadProblems(answer, fine)).toEqual([]);
  });

  it(`keeps ${GENERATED_REPLIES} generated replies of every kind within every Discord limit and mention-safe`, () => {
    const seen = {
      kinds: new Set<string>(),
      empty: 0,
      huge: 0,
      nul: 0,
      zalgo: 0,
      rtl: 0,
      everyone: 0,
      role: 0,
    };
    const straddled = new Set<number>();
    let maxArticles = 0;
    let maxItems = 0;
    let maxSources = 0;
    fc.assert(
      fc.property(reply, (r) => {
        seen.kinds.add(r.kind);
        for (const [, s] of strings(r)) {
          if (s === '') seen.empty++;
          if (s.length >= 10_000) seen.huge++;
          if (s.includes('\u0000')) seen.nul++;
          if (/\p{M}{20}/u.test(s)) seen.zalgo++;
          if (/[\u0590-\u06ff]/.test(s)) seen.rtl++;
          if (s.includes('@everyone')) seen.everyone++;
          if (s.includes(`<@&${SNOWFLAKE}>`)) seen.role++;
          for (const cut of [80, 100, 256, 1024, 2000, 4096]) {
            if (/[\uD800-\uDBFF]/.test(s.charAt(cut - 1))) straddled.add(cut);
          }
        }
        if (r.kind === 'articles') maxArticles = Math.max(maxArticles, r.articles.length);
        if (r.kind === 'answer') {
          maxItems = Math.max(maxItems, r.answer.answers.length);
          for (const i of r.answer.answers) maxSources = Math.max(maxSources, i.sources.length);
        }
        assertRenders(r);
      }),
      { seed: SEED, numRuns: GENERATED_REPLIES, examples: MONSTERS.map((m) => [m]) },
    );
    // The generator really produced what the brief asks for.
    expect([...seen.kinds].sort()).toEqual([
      'answer',
      'article',
      'articles',
      'citations',
      'context',
      'news',
      'notice',
      'timeline',
    ]);
    for (const [feature, count] of Object.entries(seen)) {
      if (typeof count === 'number') expect(count, feature).toBeGreaterThan(0);
    }
    expect([...straddled].sort((a, b) => a - b)).toEqual([80, 100, 256, 1024, 2000, 4096]);
    expect(maxArticles).toBeGreaterThan(1500);
    expect(maxItems).toBe(10);
    expect(maxSources).toBeGreaterThanOrEqual(25);
  });

  it('safeText leaves no live mention, NUL or raw bold/strike/spoiler (2,000 strings)', () => {
    fc.assert(
      fc.property(hostile(0.02), (input) => {
        const out = safeText(input);
        expect(liveMentions(out)).toEqual([]);
        expect(out).not.toContain('\u0000');
        expect(unescapedMarkdown(out)).toBeUndefined();
        expect(hasLoneSurrogate(out)).toBe(false);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('renderChoices keeps ≤ 25 choices of 1–100 characters (300 generated lists)', () => {
    const choice = fc.record({ name: hostile(0.05), value: hostile(0.05) });
    fc.assert(
      fc.property(fc.array(choice, { maxLength: 60 }), (input) => {
        const choices = renderChoices(input);
        const usable = input.filter((c) => c.name.trim().length > 0 && c.value.length > 0);
        expect(choices.length).toBe(Math.min(usable.length, LIMITS.choices));
        for (const { name, value } of choices) {
          expect(name.length).toBeGreaterThanOrEqual(1);
          expect(name.length).toBeLessThanOrEqual(LIMITS.choiceLength);
          expect(value.length).toBeGreaterThanOrEqual(1);
          expect(value.length).toBeLessThanOrEqual(LIMITS.choiceLength);
          expect(hasLoneSurrogate(name)).toBe(false);
          expect(hasLoneSurrogate(value)).toBe(false);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('fitLines keeps whole lines in order and counts the rest exactly (500 generated lists)', () => {
    const line = fc.oneof(
      {
        arbitrary: fc
          .tuple(fc.integer({ min: 1, max: 120 }), fc.integer())
          .map(([n, seed]) => prose(n, seed).replace(/\n/g, ' ').trim() || 'x'),
        weight: 9,
      },
      { arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => 'y'.repeat(n)), weight: 1 },
    );
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 300 }),
        fc.constantFrom(50, 100, 256, 1024, 2000, 4096),
        (lines, max) => {
          const out = fitLines(lines, max);
          expect(out.length).toBeLessThanOrEqual(max);
          const tail = /(?:^|\n)…and (\d+) more$/.exec(out);
          const shown = (tail ? out.slice(0, tail.index) : out).split('\n').filter(Boolean);
          expect(shown.length + Number(tail?.[1] ?? 0)).toBe(lines.length);
          shown.forEach((kept, n) => {
            if (kept === lines[n]) return;
            // Only the last shown line may be clipped, and only to a prefix of itself.
            expect(n).toBe(shown.length - 1);
            expect(lines[n]?.startsWith(kept.replace(/ ?…$/, ''))).toBe(true);
          });
          // A list that fits is kept whole.
          const whole = lines.join('\n');
          if (whole.length <= max) expect(out).toBe(whole);
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('fitEmbeds fits any embeds into the limits and keeps the first title (300 generated sets)', () => {
    const embed: fc.Arbitrary<APIEmbed> = fc.record(
      {
        title: hostile(0.3),
        description: hostile(0.5),
        footer: hostile(0.3).map((t) => ({ text: t })),
        fields: fc.array(fc.record({ name: hostile(0.1), value: hostile(0.2) }), { maxLength: 40 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(embed, { minLength: 1, maxLength: 15 }), (embeds) => {
        const fitted = fitEmbeds(embeds);
        const payload: MessagePayload = {
          embeds: fitted,
          components: [],
          flags: MessageFlags.Ephemeral,
          allowed_mentions: { parse: [] },
        };
        // Raw embeds (not escaped by fitEmbeds): only limits and surrogates here.
        const problems = payloadProblems({ kind: 'citations', items: [] }, payload);
        expect(problems.filter((p) => !p.includes(': live '))).toEqual([]);
        expect(fitted.length).toBeGreaterThanOrEqual(1);
        const title = embeds[0]?.title;
        if (title === undefined) expect(fitted[0]?.title).toBeUndefined();
        else if (title.length <= LIMITS.title) expect(fitted[0]?.title).toBe(title);
        else expect(fitted[0]?.title?.endsWith('…')).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
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
  return { question, answered: true, confidence: 1, answers };
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
      answer: { question: 'q', answered: false, confidence: 0, answers: [] },
      mentionUserId: SNOWFLAKE,
    });
    expect(payload.allowed_mentions).toStrictEqual({ parse: [] });
    expect(payload.content).not.toContain(`<@${SNOWFLAKE}>`);
  });

  it('answers "not found" privately, offering related questions as buttons that show their answers', () => {
    const suggestions = [
      {
        question: 'What do the articles say about the prisoner exchange?',
        key: '0123456789abcdef',
      },
      { question: '**ceasefire** @here', key: 'fedcba9876543210' },
    ];
    const reply = replyTo({
      question: 'unicorns?',
      answered: false,
      confidence: 0.01,
      answers: [],
      suggestions,
    });
    const payload = renderReply(reply);
    expect(payload.flags).toBe(MessageFlags.Ephemeral);
    expect(payload.embeds).toEqual([]);
    expect(payload.content).toBe(
      [
        "I couldn't find that in the articles, so I won't guess.",
        'The articles do answer these related questions — press one to see its answer.',
        'Use `/sources` to see which articles I know.',
      ].join('\n'),
    );
    const buttons = payload.components[0]?.components ?? [];
    expect(buttons.map((b) => b.label)).toEqual(suggestions.map((s) => s.question));
    expect(buttons.map((b) => parseButtonId(b.custom_id))).toEqual(
      suggestions.map(({ key }) => ({ command: 'ask', button: 'suggest', payload: key })),
    );
  });

  it('shows passages that may answer publicly, labelled so, with Pin for moderators', () => {
    const reply = replyTo({ ...answered('q', [item('Talks ended.', [A])]), uncertain: true });
    const payload = renderReply(reply);
    expect(payload.flags).toBeUndefined();
    expect(payload.content).toBe(UNCERTAIN_NOTE);
    expect(payload.embeds[0]?.footer?.text).toMatch(/may not answer/);
    expect(payload.components[0]?.components.map((b) => b.label)).toContain('Pin');
    expect(payload.allowed_mentions).toStrictEqual({ parse: [] });
  });

  it('keeps uncertain passages private when the member hides them', () => {
    const answer = { ...answered('q', [item('Talks ended.', [A])]), uncertain: true as const };
    const payload = renderReply(replyTo(answer, { hidden: true, askerId: SNOWFLAKE }));
    expect(payload.flags).toBe(MessageFlags.Ephemeral);
    expect(payload.content).toBe(UNCERTAIN_NOTE);
  });

  it('hides an answer only when asked (flags 64)', () => {
    const answer = answered('q', [item('Talks ended.', [A])]);
    expect(renderReply({ kind: 'answer', answer, hidden: true }).flags).toBe(
      MessageFlags.Ephemeral,
    );
    expect(renderReply({ kind: 'answer', answer, hidden: false }).flags).toBeUndefined();
    expect(renderReply({ kind: 'answer', answer }).flags).toBeUndefined();
    expect(renderReply({ kind: 'notice', text: 'hi' }).flags).toBe(MessageFlags.Ephemeral);
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
      answer: answered('😀'.repeat(5000), [item('Fact.', [A])]),
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
    engine = await openTestEngine(KNOWLEDGE_DIR);
  });

  const context = (): CommandContext => testContext(() => engine);

  function invocation(q: string, options: { hide?: boolean; mention?: string } = {}): Invocation {
    return {
      userId: '111111111111111111',
      args: argsFrom({
        question: q,
        ...(options.hide !== undefined && { hide: options.hide }),
        ...(options.mention !== undefined && { mention: options.mention }),
      }),
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

  /** Show context + Sources first, every button kept, ids unique and ≤ 100 units. */
  function expectAnswerButtons(reply: Extract<Reply, { kind: 'answer' }>, payload: MessagePayload) {
    const buttons = payload.components.flatMap((row) => row.components);
    for (const row of payload.components) expect(row.components.length).toBeLessThanOrEqual(5);
    expect(buttons.slice(0, 2).map((b) => b.label)).toEqual(['Show context', 'Sources']);
    expect(buttons[0]?.custom_id).toMatch(/^ask:context:[A-Za-z0-9_-]{10}/);
    expect(buttons[1]?.custom_id).toMatch(/^ask:sources:[A-Za-z0-9_-]{10}/);
    expect(buttons).toHaveLength(reply.buttons?.length ?? 0);
    const ids = buttons.map((b) => b.custom_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(LIMITS.customId);
  }

  it.each(REAL)('renders a cited answer with Sources and its buttons: %s', async (q) => {
    const { reply, payload } = await askAndRender(q);
    expect(reply.answer.answered).toBe(true);
    const embed = payload.embeds[0];
    expect(embed?.title).toBe(safeText(q));
    // A confident answer opens with the answer itself; the phrase is bold in its sentence too.
    expect(embed?.description).toMatch(/^(?:\*\*[^*\n]+\*\*\n\n)?\*\*1\.\*\* .+\[1\]/);
    expect(embed?.fields?.[0]?.name).toBe('Sources');
    expect(embed?.fields?.[0]?.value).toMatch(/^\[1\] /);
    expectAnswerButtons(reply, payload);
    await pressButtons(payload, reply.answer.answers.length);
  });

  it('renders a real answer to a hostile question with its title escaped', async () => {
    // Words the articles lack (e.g. "everyone") make the engine abstain, so keep them few.
    const q = `How many drones were smuggled into Russia? **~~@here~~** <@&${SNOWFLAKE}> <#${SNOWFLAKE}>`;
    const { reply, payload } = await askAndRender(q);
    expect(reply.answer.answered).toBe(true);
    expect(payload.embeds[0]?.title).toBe(
      `How many drones were smuggled into Russia? \\*\\*\\~\\~@${ZWSP}here\\~\\~\\*\\* <@&${ZWSP}${SNOWFLAKE}> <#${ZWSP}${SNOWFLAKE}>`,
    );
    expect(payload.embeds[0]?.fields?.[0]?.name).toBe('Sources');
    expectAnswerButtons(reply, payload);
  });

  it('points a hidden or mentioned answer correctly', async () => {
    const hidden = await askAndRender('prisoner exchange', { hide: true });
    expect(hidden.payload.flags).toBe(MessageFlags.Ephemeral);
    const mentioned = await askAndRender('how many drones were smuggled into russia', {
      mention: SNOWFLAKE,
    });
    expect(mentioned.reply.answer.uncertain).toBeUndefined();
    expect(mentioned.payload.allowed_mentions).toStrictEqual({ parse: [], users: [SNOWFLAKE] });
    expect(mentioned.payload.content?.startsWith(`<@${SNOWFLAKE}>`)).toBe(true);
  });

  it('asks for a question when the text is blank, privately', async () => {
    for (const q of ['', '   \n ']) {
      const reply = await ask.execute(invocation(q), context());
      const payload = renderReply(reply);
      expect(payloadProblems(reply, payload)).toEqual([]);
      expect(payload.flags).toBe(MessageFlags.Ephemeral);
      expect(payload.content).toMatch(/^What would you like to know\?/);
    }
  });

  it.each([
    `**@everyone** <@&${SNOWFLAKE}>`,
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
      expectAnswerButtons(reply, payload);
    } else {
      expect(payload.flags).toBe(MessageFlags.Ephemeral);
      expect(payload.content).toMatch(/^I couldn't find that/);
    }
  });

  it('renders /sources, each /source article and /ask autocomplete within the limits', async () => {
    const list: Reply = { kind: 'articles', articles: engine.articles };
    expect(engine.articles.length).toBeGreaterThan(0);
    expect(payloadProblems(list, renderReply(list))).toEqual([]);
    for (const article of engine.articles) {
      const reply: Reply = { kind: 'article', article };
      expect(payloadProblems(reply, renderReply(reply))).toEqual([]);
    }
    for (const value of ['', 'pris', 'who led the', '😀'.repeat(80)]) {
      const choices = renderChoices(
        await ask.autocomplete!({ name: 'question', value }, context()),
      );
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
// Bugs this suite found (A–J), fixed in the renderer; kept as regression tests.
// ---------------------------------------------------------------------------

describe('fixed renderer bugs', () => {
  const EVIL_URL = `https://evil.example/a)<@&${SNOWFLAKE}> @everyone **x**`;
  const live = (payload: MessagePayload) =>
    strings(payload.embeds).flatMap(([path, s]) => liveMentions(s).map((m) => `${path}: ${m}`));

  // Was: citation urls are pasted raw into `[title](url)`. The loader's
  // z.url() accepts EVIL_URL in front matter, so an article can close the link and
  // inject markdown and mention syntax into the Sources field (answer embed), the
  // citations embed and the article embed's Link field.
  it('a citation url cannot inject mentions or markdown', () => {
    const A = source('a', { url: EVIL_URL });
    const payloads = [
      renderReply({ kind: 'answer', answer: answered('q', [item('Fact.', [A])]) }),
      renderReply({ kind: 'citations', items: [item('Fact.', [A])] }),
      renderReply({ kind: 'article', article: { ...A, file: 'a.md', sentenceCount: 1 } }),
    ];
    expect(payloads.flatMap(live)).toEqual([]);
  });

  // Was: citationsEmbed uses the raw sentence as the field name
  // (`${i + 1}. ${item.text}`), without safeText.
  it('citations field names escape the sentence', () => {
    const payload = renderReply({
      kind: 'citations',
      items: [item(`**Breaking:** <@&${SNOWFLAKE}> @everyone`, [source('a')])],
    });
    expect(payload.embeds[0]?.fields?.[0]?.name).toBe(
      `1. \\*\\*Breaking:\\*\\* <@&${ZWSP}${SNOWFLAKE}> @${ZWSP}everyone`,
    );
  });

  // Was: contextEmbeds escapes every part except those starting with "**"
  // (meant to skip the bolded answer sentence), so a neighbouring sentence that starts
  // with "**" is passed through raw.
  it('context sentences starting with ** are escaped', () => {
    const payload = renderReply({
      kind: 'context',
      items: [
        item('Talks ended.', [source('a')], { before: `**Breaking:** <@&${SNOWFLAKE}> @everyone` }),
      ],
    });
    expect(live(payload)).toEqual([]);
    expect(payload.embeds[0]?.description?.startsWith('\\*\\*Breaking:\\*\\*')).toBe(true);
  });

  // Was: button custom ids and autocomplete values are cut with
  // `.slice(0, 100)`, which splits a surrogate pair sitting at units 99–100 (clip() is
  // used for labels and names and gets this right).
  const ASTRAL_AT_99 = 'a'.repeat(99) + '😀';
  it('a custom id is not cut inside a surrogate pair', () => {
    const payload = renderReply({
      kind: 'answer',
      answer: answered('q', [item('Fact.', [source('a')])]),
      buttons: [{ label: 'Show context', customId: `ask:context:${ASTRAL_AT_99.slice(12)}` }],
    });
    const id = payload.components[0]?.components[0]?.custom_id ?? '';
    expect(id.length).toBeLessThanOrEqual(100);
    expect(hasLoneSurrogate(id)).toBe(false);
  });
  it('an autocomplete value is not cut inside a surrogate pair', () => {
    const [choice] = renderChoices([{ name: 'n', value: ASTRAL_AT_99 }]);
    expect(choice?.value.length).toBeLessThanOrEqual(100);
    expect(hasLoneSurrogate(choice?.value ?? '')).toBe(false);
  });

  // Was: contextEmbeds divides the 6,000 budget by all items but shows only
  // 10, so 20+ items leave every description empty ('…'.slice(0, ≤ 0) === '').
  it('20 context items still show their sentences', () => {
    const items = Array.from({ length: 20 }, (_, i) => item(`Fact ${i}.`, [source('a')]));
    const payload = renderReply({ kind: 'context', items });
    for (const embed of payload.embeds) expect(embed.description).toMatch(/Fact \d+/);
  });

  // Was: safeText relies on escapeMarkdown's defaults, which leave masked
  // links, headings and lists alone, so an article sentence's `[text](url)` renders
  // as a clickable disguised link in the answer embed.
  it('masked links in article text are escaped', () => {
    const payload = renderReply({
      kind: 'answer',
      answer: answered('q', [
        item('See [the official list](https://evil.example/list) of prisoners.', [source('a')]),
      ]),
    });
    expect(payload.embeds[0]?.description).not.toMatch(/(?<!\\)\[[^\]\n]*\]\(/);
  });

  // Was: article ids / file names go raw into `code` spans; a backtick in a
  // file name (allowed by the loader) closes the span and the rest is live markdown.
  it('a backtick in a file name cannot break out of its code span', () => {
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

  // Was: safeText relies on escapeMarkdown, whose italic pass pairs "**"s across
  // the whole string, so a run of 4+ asterisks can keep a raw "**" (after an escaped
  // backslash that was never in the text):
  //   safeText('*** *** ****') === '\\*\\*\\* \\*\\*\\* \\\\*\\***'
  //   safeText('*******')      === '\\*\\*\\*\\*\\***'
  // and '*** ****' gains a visible stray backslash: '\\*\\*\\* \\*\\*\\\\*\\*'.
  it('runs of asterisks are fully escaped', () => {
    const payload = renderReply({
      kind: 'answer',
      answer: answered('*** *** **** bold ****', [item('Fact.', [source('a')])]),
    });
    expect(unescapedMarkdown(payload.embeds[0]?.title ?? '')).toBeUndefined();
    expect(unescapedMarkdown(safeText('*******'))).toBeUndefined();
    expect(safeText('*** ****')).toBe('\\*\\*\\* \\*\\*\\*\\*');
  });

  // Was: fitLines reserves room for "…and N more" even when the remaining
  // lines fit, so a list within ~15 units of the limit loses lines it had room for.
  it('a list that fits is kept whole', () => {
    expect(fitLines(['a'.repeat(60), 'b'], 62)).toBe(`${'a'.repeat(60)}\nb`);
  });

  // Was: the renderer treats notices as bot-written (no escaping), but
  // /timeline puts the member's unreadable date into one (`I can't read "${text}"…`),
  // so `/timeline from:@everyone` posts a raw "@everyone" (pings nobody thanks to
  // allowed_mentions, but shows as a live-looking mention; markdown is not escaped), and
  // its `.slice(0, 40)` can cut a surrogate pair.
  it('/timeline does not echo member text raw in its notice', async () => {
    const context = testContext(() => {
      throw new Error('not reached: the date is refused first');
    });
    const from = `@everyone <@&${SNOWFLAKE}> ||x||`;
    const reply = await timeline.execute(
      {
        userId: '1',
        args: argsFrom({ from }),
      },
      context,
    );
    const content = renderReply(reply).content ?? '';
    expect(content).toContain("I can't read");
    expect(liveMentions(content)).toEqual([]);
  });
});

describe('a new article from a feed', () => {
  const news: Reply = {
    kind: 'news',
    news: {
      articleId: 'third-round',
      title: 'Third round ends *without* a deal',
      publisher: 'Bosphorus Daily',
      published: '2025-07-24',
      url: 'https://example.com/third-round',
      sentences: [
        { key: 'aaaaaaaaaa', text: 'The delegations met in the Ciragan Palace.' },
        { key: 'bbbbbbbbbb', text: 'Turkey proposed a monthly working group.' },
      ],
    },
  };

  it('is posted publicly: the headline with its facts, each sentence cited with the link', () => {
    const payload = renderReply(news);
    expect(payload.flags).toBeUndefined();
    expect(payload.content).toBe(
      '📰 New article: **Third round ends \\*without\\* a deal** (Bosphorus Daily, 24 July 2025)',
    );
    const [embed] = payload.embeds as APIEmbed[];
    expect(embed!.description!.split('\n\n')).toEqual([
      '**1.** The delegations met in the Ciragan Palace. — [Bosphorus Daily](https://example.com/third-round)',
      '**2.** Turkey proposed a monthly working group. — [Bosphorus Daily](https://example.com/third-round)',
    ]);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it('reads the same in a terminal', () => {
    expect(renderReplyText(news, CLI_SURFACE)).toBe(
      [
        'New article: Third round ends *without* a deal (Bosphorus Daily, 24 July 2025)',
        '1. The delegations met in the Ciragan Palace.',
        '2. Turkey proposed a monthly working group.',
        '   <https://example.com/third-round>',
      ].join('\n'),
    );
  });
});
