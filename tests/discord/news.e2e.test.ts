/**
 * Following the news through Discord: a moderator names the news channel and
 * follows a feed; after a poll the real discord.js client posts one "New
 * article" message there, with the sentences no earlier article says.
 */
import { ApplicationCommandOptionType, ChannelType, PermissionFlagsBits } from 'discord.js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordActions } from '../../src/discord/actions.ts';
import { startFeedService, type FeedService } from '../../src/feeds/feed-service.ts';
import {
  button,
  chatInput,
  startFakeDiscord,
  type FakeDiscord,
  type PartialInteraction,
} from '../fixtures/fake-discord.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import { startBotProcess, stopBotProcess, type BotProcess } from '../helpers/bot-process.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { bodyOf, finalReply, MEMBER, MODERATOR } from '../helpers/discord.ts';
import { KNOWLEDGE_DIR, tempKnowledge, type TempKnowledge } from '../helpers/knowledge.ts';
import { html, newsPage, seedArticle, servePages, type Served } from '../helpers/pages.ts';

const MANAGE_GUILD = PermissionFlagsBits.ManageGuild;
const NEWS_CHANNEL = '200000000000000777';

/** A story that retells two facts the articles hold and adds three of its own. */
const STORY = {
  title: 'Third round of Istanbul talks ends with a deal on prisoner lists',
  paragraphs: [
    'The second round of direct talks took place in Istanbul on June 2, with both sides agreeing to a further prisoner exchange.',
    'Russia pledged to return the bodies of 6,000 Ukrainian soldiers.',
    'On July 23 the delegations met for a third time in the Ciragan Palace and exchanged lists of 1,200 prisoners each.',
    'Turkish mediators proposed a standing humanitarian working group that would meet every month in Ankara.',
    'The Vatican offered to host the next meeting, and both delegations said they would study the proposal.',
  ],
  siteName: 'Bosphorus Daily',
  published: '2025-07-24',
};

const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
function overlap(a: Set<string>, b: Set<string>): number {
  const shared = [...a].filter((w) => b.has(w)).length;
  return shared / (a.size + b.size - shared);
}

describe('news channel', () => {
  let folder: TempKnowledge;
  let site: Served;
  let t: TestBot;
  let feeds: FeedService;
  let feedXml: string;

  beforeAll(async () => {
    folder = tempKnowledge({ withRealArticles: true });
    feedXml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Bosphorus Daily: Talks</title></channel></rss>`;
    site = await servePages({
      '/feed.xml': (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml),
      '/third-round': html(newsPage(STORY)),
    });
    t = await startTestBot({
      knowledgeDir: folder.dir,
      env: { LINK_ALLOWED_HOSTS: site.host },
    });
    feeds = startFeedService({
      store: t.store,
      library: t.library,
      logger: pino({ level: 'silent' }),
      fetch: { allowedHosts: [site.host] },
      pollMinutes: 30,
      post: createDiscordActions(t.bot.client.rest).post,
      // Rounds only when the test calls tick().
      tickMs: 3_600_000,
      firstRoundMs: 3_600_000,
    });
  });
  afterAll(async () => {
    await feeds.stop();
    await t.stop();
    await site.close();
    folder.remove();
  });

  function settingsNews(user: typeof MEMBER, permissions: bigint): PartialInteraction {
    const interaction = chatInput(
      'settings',
      [
        {
          name: 'news-channel',
          type: ApplicationCommandOptionType.Subcommand,
          options: [
            { name: 'channel', type: ApplicationCommandOptionType.Channel, value: NEWS_CHANNEL },
          ],
        },
      ],
      { user, permissions },
    );
    interaction.data.resolved = {
      channels: {
        [NEWS_CHANNEL]: {
          id: NEWS_CHANNEL,
          type: ChannelType.GuildText,
          name: 'news',
          permissions: '0',
        },
      },
    };
    return interaction;
  }

  const follow = (url: string, user = MODERATOR, permissions = MANAGE_GUILD) =>
    chatInput(
      'knowledge',
      [
        {
          name: 'follow',
          type: ApplicationCommandOptionType.Subcommand,
          options: [{ name: 'feed', type: ApplicationCommandOptionType.String, value: url }],
        },
      ],
      { user, permissions },
    );

  const newsPosts = () =>
    t.fake.requests.filter(
      (r) => r.method === 'POST' && r.route === `/channels/${NEWS_CHANNEL}/messages`,
    );

  it('only Manage Server may name the news channel or follow a feed', async () => {
    const refused = bodyOf(await t.fake.sendInteraction(settingsNews(MEMBER, 0n)));
    expect(refused.data?.content).toMatch(/Manage Server/);
    const notFollowed = await finalReply(
      t.fake,
      await t.fake.sendInteraction(follow(`${site.origin}/feed.xml`, MEMBER, 0n)),
    );
    expect(notFollowed?.content).toMatch(/Manage Server/);
    expect(await t.store.feeds.list()).toEqual([]);
  });

  it('refuses a web page given as a feed, following nothing', async () => {
    const reply = await finalReply(
      t.fake,
      await t.fake.sendInteraction(follow(`${site.origin}/third-round`)),
    );
    expect(reply?.content).toMatch(/not a feed/);
    expect(await t.store.feeds.list()).toEqual([]);
  });

  it('after a poll, posts one "New article" message with 2–3 cited sentences no earlier article says', async () => {
    const named = bodyOf(await t.fake.sendInteraction(settingsNews(MODERATOR, MANAGE_GUILD)));
    expect(named.data?.content).toMatch(/now announced in <#200000000000000777>/);
    const followed = await finalReply(
      t.fake,
      await t.fake.sendInteraction(follow(`${site.origin}/feed.xml`)),
    );
    expect(followed?.content).toMatch(/Following .*Bosphorus Daily/);

    // The story appears in the feed; the next round polls it.
    feedXml = feedXml.replace(
      '</channel>',
      `<item><title>${STORY.title}</title><link>${site.origin}/third-round</link><guid>third-round</guid></item></channel>`,
    );
    await feeds.tick();
    const [post, ...more] = newsPosts();
    expect(more).toEqual([]);
    const body = post!.body as {
      content: string;
      embeds: { description: string }[];
    };
    expect(body.content).toMatch(/^📰 New article: \*\*Third round of Istanbul talks/);
    expect(body.content).toMatch(/Bosphorus Daily/);
    const lines = body.embeds[0]!.description.split('\n\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(3);
    const existing = readdirSync(KNOWLEDGE_DIR)
      .filter((file) => /^\d+_.*\.md$/.test(file))
      .flatMap((file) => seedArticle(file).paragraphs.flatMap((p) => p.split(/(?<=[.!?])\s+/)))
      .map(words);
    expect(existing.length).toBeGreaterThan(100);
    for (const line of lines) {
      expect(line, 'cited with a link to the article').toContain(`(${site.origin}/third-round)`);
      const sentence = words(line.replace(/^\*\*\d\.\*\* /, '').replace(/ — \[.*$/, ''));
      const closest = Math.max(...existing.map((e) => overlap(sentence, e)));
      expect(closest, line).toBeLessThan(0.5);
    }
    // And the bot answers from it at once.
    expect(
      t.library.current().answer('Where did the delegations exchange lists of 1,200 prisoners?')
        .answered,
    ).toBe(true);
  });

  it('posts nothing more at the next rounds', async () => {
    await feeds.tick();
    await feeds.tick();
    expect(newsPosts()).toHaveLength(1);
  });

  it('/knowledge feeds shows the feed with what its polls found; Unfollow stops following it', async () => {
    const listing = await finalReply(
      t.fake,
      await t.fake.sendInteraction(
        chatInput('knowledge', [{ name: 'feeds', type: ApplicationCommandOptionType.Subcommand }], {
          user: MODERATOR,
          permissions: MANAGE_GUILD,
        }),
      ),
    );
    expect(listing?.content).toContain(`**#1 Bosphorus Daily: Talks** — <${site.origin}/feed.xml>`);
    expect(listing?.content).toMatch(
      /ok · words: none \(articles on topic\) · last poll just now · last new article just now · 1 added, 0 skipped/,
    );
    const unfollow = listing?.components?.[0]?.components[0];
    expect(unfollow?.label).toBe('Unfollow #1');

    // A member who may not change the articles cannot press it into effect.
    const refused = await finalReply(
      t.fake,
      await t.fake.sendInteraction(
        button(unfollow!.custom_id, {}, { user: MEMBER, permissions: 0n }),
      ),
    );
    expect(refused?.content).toMatch(/Manage Server/);
    expect(await t.store.feeds.list()).toHaveLength(1);

    const done = await finalReply(
      t.fake,
      await t.fake.sendInteraction(
        button(unfollow!.custom_id, {}, { user: MODERATOR, permissions: MANAGE_GUILD }),
      ),
    );
    expect(done?.content).toMatch(
      /No longer following \*\*Bosphorus Daily: Talks\*\*; the articles it added stay/,
    );
    expect(await t.store.feeds.list()).toEqual([]);
    expect(t.library.current().articles.some((a) => a.title === STORY.title)).toBe(true);
  });
});

describe('npm start', () => {
  let site: Served;
  let fake: FakeDiscord;
  let folder: TempKnowledge;
  let dataDir: string;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    folder = tempKnowledge({ withRealArticles: true });
    dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-news-'));
    site = await servePages({
      '/feed.json': (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/feed+json' }).end(
          JSON.stringify({
            version: 'https://jsonfeed.org/version/1.1',
            title: 'Bosphorus Daily',
            items: [{ id: 'third-round', url: `${site.origin}/third-round`, title: STORY.title }],
          }),
        ),
      '/third-round': html(newsPage(STORY)),
    });
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    if (bot) await stopBotProcess(bot.child);
    await fake.close();
    await site.close();
    folder.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('polls the followed feeds and announces in the news channel, with nothing but the settings', async () => {
    // What /knowledge follow and /settings news-channel leave in the store.
    const store = openSqliteStore(dataDir);
    await store.feeds.follow({ url: `${site.origin}/feed.json` });
    const guildId = fake.guilds[0]!.id;
    await store.settings.setNewsChannel(guildId, NEWS_CHANNEL);
    await store.close();

    bot = await startBotProcess(fake, {
      compiled: true,
      waitForGateway: true,
      env: {
        DISCORD_TOKEN: fake.token,
        DATA_DIR: dataDir,
        KNOWLEDGE_DIR: folder.dir,
        LINK_ALLOWED_HOSTS: site.host,
      },
    });
    const post = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.route === `/channels/${NEWS_CHANNEL}/messages`,
      30_000,
    );
    expect((post.body as { content: string }).content).toMatch(/^📰 New article: /);
    // Logs are written asynchronously: the line follows the post.
    await expect
      .poll(() => bot!.logs(), { timeout: 5_000 })
      .toMatch(/"msg":"New article announced"/);
  });
});
