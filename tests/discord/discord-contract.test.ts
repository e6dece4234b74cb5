/**
 * The fake Discord checks request bodies against Discord's OpenAPI spec
 * (tests/fixtures/discord-contract.ts): valid bodies pass, bodies real Discord
 * would refuse get its 400 / 50035 and fail the test that sent them.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  ComponentType,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
  Routes,
  type ChatInputCommandInteraction,
} from 'discord.js';
import {
  checkRequestBody,
  describeErrors,
  discordErrorTree,
} from '../fixtures/discord-contract.ts';
import { REQUEST_BODIES } from '../fixtures/discord-request-bodies.ts';
import { pathsList } from '../fixtures/discord-spec.ts';
import { chatInput, startFakeDiscord, type FakeDiscord } from '../fixtures/fake-discord.ts';
import { ROOT } from '../helpers/run.ts';

const CALLBACK = '/interactions/123/token/callback';

/** Bodies real Discord refuses, each with where its error is and what Discord would call it. */
const INVALID: Array<{ what: string; body: unknown; path: string; code: string }> = [
  {
    what: 'a callback type that is not a number',
    body: { type: 'four', data: { content: 'hi' } },
    path: '/type',
    code: 'BASE_TYPE_CHOICES',
  },
  {
    what: 'an embed with a numeric title',
    body: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { embeds: [{ title: 5 }] },
    },
    path: '/data/embeds/0/title',
    code: 'INVALID_TYPE',
  },
  {
    what: 'a button with an unknown style',
    body: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: {
        components: [
          {
            type: ComponentType.ActionRow,
            components: [{ type: ComponentType.Button, style: 9, label: 'x', custom_id: 'x' }],
          },
        ],
      },
    },
    path: '/data/components/0/components/0/style',
    code: 'BASE_TYPE_CHOICES',
  },
  {
    what: 'allowed_mentions.parse with an unknown mention type',
    body: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'hi', allowed_mentions: { parse: ['nobody'] } },
    },
    path: '/data/allowed_mentions/parse/0',
    code: 'BASE_TYPE_CHOICES',
  },
  {
    what: 'content over 2000 characters',
    body: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'x'.repeat(2001) },
    },
    path: '/data/content',
    code: 'BASE_TYPE_BAD_LENGTH',
  },
];

describe('Discord contract (OpenAPI) for request bodies', () => {
  it('finds the operation, literal segments before parameters', () => {
    const operation = (method: string, route: string) =>
      checkRequestBody(method, route, {}).operation;
    expect(operation('POST', CALLBACK)).toBe(
      'POST /interactions/{interaction_id}/{interaction_token}/callback',
    );
    expect(operation('PATCH', '/webhooks/1/token/messages/@original')).toBe(
      'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original',
    );
    expect(operation('PATCH', '/webhooks/1/token/messages/2')).toBe(
      'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}',
    );
    expect(operation('POST', '/channels/1/messages/bulk-delete')).toBe(
      'POST /channels/{channel_id}/messages/bulk-delete',
    );
  });

  it('finds every operation of the spec by its own path', () => {
    const expected = Object.entries(pathsList).flatMap(([method, templates]) =>
      templates.map((template) => `${method.toUpperCase()} ${template}`),
    );
    const found = expected.map((name) => {
      const [method = '', template = ''] = name.split(' ');
      const route = template.replace(/\{[^}]+\}/g, '1');
      return checkRequestBody(method, route, {}).operation ?? '(none)';
    });
    expect(expected.length).toBeGreaterThan(200);
    expect(found).toEqual(expected);
  });

  it('gives body schemas only to operations the spec has', () => {
    const operations = new Set(
      Object.entries(pathsList).flatMap(([method, templates]) =>
        templates.map((template) => `${method.toUpperCase()} ${template}`),
      ),
    );
    expect([...REQUEST_BODIES.keys()].filter((name) => !operations.has(name))).toEqual([]);
  });

  it('has every route the fake serves with a body, so none goes unchecked', () => {
    const routes = [
      'PUT /applications/1/commands',
      'POST /applications/1/commands',
      'PUT /applications/1/guilds/2/commands',
      'POST /applications/1/guilds/2/commands',
      `POST ${CALLBACK}`,
      'POST /webhooks/1/token',
      'PATCH /webhooks/1/token/messages/@original',
      'PATCH /webhooks/1/token/messages/2',
      'POST /channels/1/messages',
      'PATCH /channels/1/messages/2',
      'POST /channels/1/messages/2/threads',
    ];
    const missing = routes.filter((route) => {
      const [method = '', path = ''] = route.split(' ');
      return checkRequestBody(method, path, {}).errors.some((e) => e.code === 'NO_SUCH_OPERATION');
    });
    expect(missing).toEqual([]);
  });

  it.each([
    {
      what: 'a reply with an embed, buttons and no pings',
      method: 'POST',
      route: CALLBACK,
      body: {
        type: InteractionResponseType.ChannelMessageWithSource,
        data: {
          content: 'Answer',
          flags: MessageFlags.Ephemeral,
          embeds: [
            {
              title: 'T',
              description: 'D',
              color: 0x5865f2,
              fields: [{ name: 'n', value: 'v', inline: false }],
              footer: { text: 'f' },
            },
          ],
          components: [
            {
              type: ComponentType.ActionRow,
              components: [
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Secondary,
                  label: 'More',
                  custom_id: 'more:1',
                },
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Link,
                  label: 'Source',
                  url: 'https://example.com/a',
                },
              ],
            },
          ],
          allowed_mentions: { parse: [], users: ['190000000000000001'] },
        },
      },
    },
    {
      what: 'a deferral',
      method: 'POST',
      route: CALLBACK,
      body: {
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral },
      },
    },
    {
      what: 'autocomplete choices',
      method: 'POST',
      route: CALLBACK,
      body: {
        type: InteractionResponseType.ApplicationCommandAutocompleteResult,
        data: { choices: [{ name: 'a', value: 'a' }] },
      },
    },
    {
      what: 'commands with permissions as a string of digits, as discord.js sends them',
      method: 'PUT',
      route: '/applications/1/commands',
      body: [{ name: 'knowledge', description: 'd', default_member_permissions: '32' }],
    },
    {
      what: 'an edit of the original reply',
      method: 'PATCH',
      route: '/webhooks/1/token/messages/@original',
      body: { content: 'edited', embeds: [], components: [] },
    },
  ])('accepts $what', ({ method, route, body }) => {
    expect(describeErrors(checkRequestBody(method, route, body).errors)).toBe('');
  });

  it.each(INVALID)('refuses $what', ({ body, path, code }) => {
    const { errors } = checkRequestBody('POST', CALLBACK, body);
    expect(errors).toContainEqual(expect.objectContaining({ path, code }));
  });

  it('still refuses a string that is not an integer where an integer goes', () => {
    const body = [{ name: 'knowledge', description: 'd', default_member_permissions: 'admin' }];
    const { errors } = checkRequestBody('PUT', '/applications/1/commands', body);
    expect(errors.map((e) => e.path)).toEqual(['/0/default_member_permissions']);
  });

  it('refuses a body for a route Discord does not have or that takes none', () => {
    expect(checkRequestBody('POST', '/channels/1/nothing-here', {}).errors).toEqual([
      expect.objectContaining({ path: '', code: 'NO_SUCH_OPERATION' }),
    ]);
    expect(checkRequestBody('PUT', '/channels/1/messages/pins/2', {}).errors).toEqual([
      expect.objectContaining({ code: 'NO_SUCH_OPERATION' }),
    ]);
  });

  it("nests the errors like Discord's 50035 error tree", () => {
    const body = {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { embeds: [{ title: 5 }] },
    };
    expect(discordErrorTree(checkRequestBody('POST', CALLBACK, body).errors)).toEqual({
      data: {
        embeds: {
          0: { title: { _errors: [{ code: 'INVALID_TYPE', message: 'must be string' }] } },
        },
      },
    });
  });
});

describe('the fake Discord enforces the contract on the real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;
  /** What the next /probe interaction does; its result or error lands in `outcome`. */
  let act: (interaction: ChatInputCommandInteraction) => Promise<unknown>;
  let outcome: Promise<unknown>;

  beforeAll(async () => {
    fake = await startFakeDiscord();
    client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: fake.apiUrl, retries: 0, timeout: 2000 },
    });
    client.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand()) outcome = act(interaction).catch((error) => error);
    });
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
  });
  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  async function probe(does: typeof act): Promise<unknown> {
    act = does;
    await fake.sendInteraction(chatInput('probe'));
    return outcome;
  }

  it('lets a valid reply built with discord.js through', async () => {
    const result = await probe((interaction) =>
      interaction.reply({
        content: 'Answer',
        embeds: [new EmbedBuilder().setTitle('Title').setDescription('Text').setColor(0x5865f2)],
        components: [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder()
              .setCustomId('more')
              .setLabel('More')
              .setStyle(ButtonStyle.Secondary),
          ),
        ],
        allowedMentions: { parse: [] },
        flags: MessageFlags.Ephemeral,
      }),
    );
    expect(result).not.toBeInstanceOf(Error);
    expect(fake.contractViolations).toEqual([]);
  });

  it.each(INVALID)('answers $what with 400 / 50035 and records it', async ({ body, path }) => {
    const error = await probe((interaction) =>
      client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body,
        auth: false,
      }),
    );
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    // discord.js flattens Discord's error tree into its message, e.g. "data.embeds[0].title[INVALID_TYPE]: ...".
    const readable = path
      .slice(1)
      .replace(/\/(\d+)/g, '[$1]')
      .replace(/\//g, '.');
    expect((error as Error).message).toContain(readable);

    const violations = fake.contractViolations.splice(0); // expected here: keep this test green
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      method: 'POST',
      operation: 'POST /interactions/{interaction_id}/{interaction_token}/callback',
      errors: expect.arrayContaining([expect.objectContaining({ path })]),
    });
    expect(violations[0]?.route).toMatch(/^\/interactions\/\d+\/[^/]+\/callback$/);
  });

  it('checks the body before any responder the test set up', async () => {
    const remove = fake.setResponder('POST', /\/callback$/, { status: 204 });
    try {
      const error = await probe((interaction) =>
        client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
          body: { type: 'four' },
          auth: false,
        }),
      );
      expect(error).toMatchObject({ status: 400, code: 50035 });
      expect(fake.contractViolations.splice(0)).toHaveLength(1);
    } finally {
      remove();
    }
  });
});

describe('a body Discord would refuse fails the test that sent it', () => {
  it(
    'in a separate vitest run of tests/fixtures/contract-probe.ts',
    { timeout: 60_000 },
    async () => {
      const report = join(mkdtempSync(join(tmpdir(), 'contract-probe-')), 'report.json');
      // The repo's vitest.config.ts only includes *.test.ts: run the probe with an inline config.
      const script = `
      import { startVitest } from 'vitest/node';
      const vitest = await startVitest('test', [], {
        watch: false, config: false, include: ['tests/fixtures/contract-probe.ts'],
        reporters: ['json'], outputFile: ${JSON.stringify(report)},
      });
      await vitest?.close();`;
      const run = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', script],
        // A clean environment: this worker's VITEST_* variables must not leak into the child.
        { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } },
      ).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
      expect(run).toBe(1);

      const results = JSON.parse(readFileSync(report, 'utf8')) as {
        testResults: Array<{
          assertionResults: Array<{ title: string; status: string; failureMessages: string[] }>;
        }>;
      };
      const tests = results.testResults.flatMap((file) => file.assertionResults);
      expect(tests.map((t) => [t.title, t.status])).toEqual([
        ['sends an embed with a numeric title', 'failed'],
        ['sends a valid reply afterwards', 'passed'],
      ]);
      const message = tests[0]?.failureMessages.join('\n') ?? '';
      expect(message).toContain('real Discord would refuse with 400 / 50035 Invalid Form Body');
      expect(message).toContain(
        'POST /interactions/1/token/callback (POST /interactions/{interaction_id}/{interaction_token}/callback)',
      );
      expect(message).toContain('data.embeds[0].title: must be string [INVALID_TYPE]');
    },
  );
});
