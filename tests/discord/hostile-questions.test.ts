/**
 * 10,000+ generated questions through the engine and the Discord renderer:
 * empty, whitespace, 10k characters, zalgo, RTL, emoji, NUL bytes, markdown,
 * @everyone, <@id>/<@&id>, URLs. No exception, every payload within Discord's
 * limits, no mention that can ping, autocomplete choices valid.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { command as ask } from '../../commands/ask.ts';
import type { CommandContext } from '../../src/runtime/module.ts';
import { renderChoices, renderReply } from '../../src/render/discord.ts';
import { argsFrom } from '../../src/runtime/args.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { testContext } from '../helpers/commands.ts';
import { KNOWLEDGE_DIR, openTestEngine } from '../helpers/knowledge.ts';
import { payloadProblems } from '../helpers/payload-rules.ts';

const PIECES = [
  '',
  ' ',
  '\n',
  '\t',
  '\u0000',
  '\u200b',
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<@&123456789012345678>',
  '<#123456789012345678>',
  '**',
  '__',
  '~~',
  '||',
  '`',
  '```',
  '> ',
  '# ',
  '[x](https://evil.example)',
  'https://example.org/a?b=c',
  'مرحبا بالعالم',
  'שלום',
  '\u202e',
  '🙂',
  '👨‍👩‍👧',
  '🇺🇦',
  'Z̸̡̛̖̗a̵̛l̴g̷o̶',
  'drones',
  'ceasefire',
  'Istanbul',
  'how many',
  'who',
  'Çırağan',
  'Zelenskyy',
  '1,000',
  '$7bn',
  '?',
  '...',
];

const question = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(fc.constantFrom(...PIECES), { maxLength: 12 })
      .map((parts) => parts.join(' ')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1000, max: 10_000 }).map((n) => 'a b '.repeat(n).slice(0, n)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '   ',
      '\u0000'.repeat(50),
      '@everyone '.repeat(200),
      '🙂'.repeat(3000),
    ),
  },
);

let engine: Engine;
let context: CommandContext;
beforeAll(async () => {
  engine = await openTestEngine(KNOWLEDGE_DIR);
  context = testContext(() => engine);
});

describe('hostile questions', () => {
  it(
    'never throw, and every reply and choice list keeps Discord’s limits and pings nobody',
    { timeout: 120_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          question,
          fc.boolean(),
          fc.option(fc.constant('123456789012345678'), { nil: undefined }),
          async (q, hide, mention) => {
            const args = argsFrom({
              question: q,
              hide,
              ...(mention !== undefined && { mention }),
            });
            const reply = await ask.execute({ args, userId: '1' }, context);
            const payload = renderReply(reply);
            // Only an answer (confident or "may answer it") points at a member, never "not found".
            const expectedMention =
              reply.kind === 'answer' && reply.answer.answered ? mention : undefined;
            expect(payloadProblems(payload, expectedMention)).toEqual([]);

            const choices = renderChoices(
              await ask.autocomplete!({ name: 'question', value: q.slice(0, 100) }, context),
            );
            expect(choices.length).toBeLessThanOrEqual(25);
            for (const c of choices) {
              expect(c.name.length).toBeGreaterThanOrEqual(1);
              expect(c.name.length).toBeLessThanOrEqual(100);
              expect(c.value.length).toBeGreaterThanOrEqual(1);
              expect(c.value.length).toBeLessThanOrEqual(100);
            }
          },
        ),
        { numRuns: 10_000, seed: 2025_06_02 },
      );
    },
  );

  it('the checker itself catches a ping and an oversized embed', () => {
    expect(
      payloadProblems({
        content: '@everyone',
        embeds: [{ description: 'x'.repeat(5000) }],
        components: [],
        allowed_mentions: { parse: [] },
      }),
    ).toHaveLength(2);
  });
});
