/** `npm run knowledge` as an operator runs it: real processes, a real local web server. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempKnowledge, type TempKnowledge } from '../helpers/knowledge.ts';
import {
  html,
  newsPage,
  redirect,
  seedArticle,
  servePages,
  type Served,
} from '../helpers/pages.ts';
import { runScript } from '../helpers/run.ts';
import { PRISONERS, RIYADH, rss, ServedFeed } from '../feeds/fixtures.ts';

const ARTICLE = {
  title: 'Black Sea grain corridor reopens after Istanbul deal',
  paragraphs: [
    'Grain ships left Odesa on Tuesday after the Black Sea grain corridor reopened under the Istanbul deal.',
    'The first grain convoy carried 212,000 tonnes of wheat bound for Egypt, the port authority said.',
    'Turkish inspectors will check every grain ship in the Bosphorus before it reaches the Black Sea.',
  ],
};

describe('npm run knowledge', () => {
  let folder: TempKnowledge;
  let site: Served;
  let dataDir: string;
  const env = () => ({
    KNOWLEDGE_DIR: folder.dir,
    DATA_DIR: dataDir,
    LINK_ALLOWED_HOSTS: site.host,
  });
  const run = (args: string[], extraEnv: Record<string, string> = {}) =>
    runScript('src/knowledge-cli.ts', args, { env: { ...env(), ...extraEnv }, timeoutMs: 60_000 });

  beforeAll(async () => {
    folder = tempKnowledge({ withRealArticles: true });
    dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-data-'));
    site = await servePages({
      '/grain': html(
        newsPage({
          ...ARTICLE,
          siteName: 'Odesa Port News',
          published: '2025-07-01T08:00:00Z',
          canonical: '/news/grain-corridor',
        }),
      ),
      '/short-link': redirect('/grain'),
      '/copy': html(newsPage({ ...seedArticle('003_71e9917664567cb9.md'), title: 'Reworded' })),
      '/image': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end('png'),
    });
  });
  afterAll(async () => {
    await site.close();
    folder.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a page by link, and npm run ask answers from it', async () => {
    const added = await run(['add', `${site.origin}/short-link`]);
    expect(added.stderr).toMatch(/Black Sea grain corridor reopens/);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      /^Added "Black Sea grain corridor reopens after Istanbul deal" as black-sea-grain-corridor-reopens-after-istanbul-deal\.md \(3 sentences\)/,
    );
    const file = readdirSync(folder.dir).find((f) => f.startsWith('black-sea-grain'))!;
    const saved = readFileSync(join(folder.dir, file), 'utf8');
    expect(saved).toMatch(
      /^---\ntitle: Black Sea grain corridor reopens after Istanbul deal\npublished: 2025-07-01\npublisher: Odesa Port News\nurl: http:\/\/127\.0\.0\.1:\d+\/news\/grain-corridor\n---\n/,
    );
    expect(readdirSync(folder.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const asked = await runScript(
      'src/cli.ts',
      ['--json', 'how many tonnes of wheat did the first grain convoy carry'],
      {
        env: { KNOWLEDGE_DIR: folder.dir, DATA_DIR: dataDir },
      },
    );
    expect(asked.code).toBe(0);
    const answer = JSON.parse(asked.stdout);
    expect(answer.answered).toBe(true);
    expect(answer.answers[0].text).toMatch(/212,000 tonnes/);
    expect(answer.answers[0].sources[0]).toMatchObject({
      publisher: 'Odesa Port News',
      published: '2025-07-01',
    });

    // The same page again (same canonical address) is refused, naming the article.
    const again = await run(['add', `${site.origin}/grain`]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /already in the knowledge folder: "Black Sea grain corridor reopens after Istanbul deal" \(black-sea-grain/,
    );

    const list = await run(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^black-sea-grain\S+\t3\tBlack Sea grain corridor/m);

    const removed = await run(['remove', file.replace(/\.md$/, '')]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^Removed "Black Sea grain/);
    expect(readdirSync(folder.dir).some((f) => f.startsWith('black-sea-grain'))).toBe(false);
  });

  it('refuses with the reason and a non-zero status', async () => {
    const copy = await run(['add', `${site.origin}/copy`]);
    expect(copy.code).toBe(1);
    expect(copy.stderr).toMatch(/sentences are indexed, most in ".+" \(003_71e9917664567cb9\)/);

    const image = await run(['add', `${site.origin}/image`]);
    expect(image.code).toBe(1);
    expect(image.stderr).toMatch(/not an HTML page \(image\/png\)/);

    const local = await run(['add', `${site.origin}/grain`], { LINK_ALLOWED_HOSTS: '' });
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/loopback/);
    expect(local.stderr).toMatch(/LINK_ALLOWED_HOSTS/);

    const scheme = await run(['add', 'file:///etc/passwd']);
    expect(scheme.code).toBe(1);
    expect(scheme.stderr).toMatch(/only http and https/);

    const unknown = await run(['remove', 'no-such-article']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no article has the id "no-such-article"/);
    expect(unknown.stderr).toMatch(/npm run knowledge -- list/);
    // The terminal has no slash commands: a message must not send anyone to one.
    expect(unknown.stderr).not.toMatch(/(?:^|\s)\/[a-z]/m);
  });

  it('says what was wrong with a command line, exits 2 and shows the usage', async () => {
    const cases: [string[], RegExp][] = [
      [[], /No command given/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['add'], /add needs a link/],
      [['remove'], /remove needs an article id/],
      [['list', 'extra'], /Unexpected argument after list: extra/],
      [['--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, problem] of cases) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(problem);
      expect(result.stderr).toMatch(/Usage:\n/);
      expect(result.stderr).toMatch(/Exit status: 0 done, 1 refused or failed/);
    }
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage:/);
  });

  it('adds an article file, with the upload checks', async () => {
    const good = join(dataDir, 'ceasefire.md');
    writeFileSync(
      good,
      '---\ntitle: Ceasefire monitors arrive in Zaporizhzhia\n---\nCeasefire monitors arrived in Zaporizhzhia on Monday to watch the front line.\n\nThe ceasefire monitors will report to the OSCE every week from Zaporizhzhia.\n',
    );
    const added = await run(['add', good]);
    expect(added.code).toBe(0);
    // The file's own name is its id while no article has it.
    expect(added.stdout).toMatch(
      /^Added "Ceasefire monitors arrive in Zaporizhzhia" as ceasefire\.md \(2 sentences\)/,
    );
    expect((await run(['list'])).stdout).toMatch(/^ceasefire\t2\tCeasefire monitors/m);
    // Another article under a taken name keeps the name, with its text's hash appended.
    writeFileSync(
      good,
      '---\ntitle: Grain ships inspected in Odesa\n---\nInspectors checked nine grain ships in Odesa on Friday before they sailed.\n',
    );
    const renamed = await run(['add', good]);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toMatch(
      /^Added "Grain ships inspected in Odesa" as ceasefire-[0-9a-f]{8}\.md \(1 sentence; another article has the id ceasefire\)/,
    );

    const json = join(dataDir, 'package.json');
    writeFileSync(json, '{}');
    const wrongType = await run(['add', json]);
    expect(wrongType.code).toBe(1);
    // The refusal names what it refused.
    expect(wrongType.stderr).toMatch(/^Adding .*package\.json failed; nothing changed:/);
    expect(wrongType.stderr).toMatch(/not a \.json file/);

    const bad = join(dataDir, 'bad.md');
    writeFileSync(bad, 'no front matter here.');
    const refused = await run(['add', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no front matter/);
    expect((await run(['add', join(dataDir, 'missing.md')])).stderr).toMatch(
      /could not be read \(ENOENT\)/,
    );
  });
});

describe('npm run knowledge -- teach | learned | forget, used by npm run ask', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-data-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const run = (script: string, args: string[]) =>
    runScript(script, args, { env: { DATA_DIR: dataDir }, timeoutMs: 60_000 });

  it('teaches by quote, lists, answers a rewording confidently with it, and forgets', async () => {
    const asked = 'when did the second round of talks happen';
    const before = JSON.parse(
      (await run('src/cli.ts', ['--json', 'when did the second round happen'])).stdout,
    );
    expect(before.confirmed).toBeUndefined();
    expect(before.uncertain).toBe(true);

    const taught = await run('src/knowledge-cli.ts', [
      'teach',
      asked,
      'The second round of direct talks took place in Istanbul',
    ]);
    expect(taught.stderr).toBe('');
    expect(taught.code).toBe(0);
    expect(taught.stdout).toMatch(
      /^Taught #(\d+): "when did the second round of talks happen" is answered by "June 2, 2025: The second round/,
    );

    const listed = await run('src/knowledge-cli.ts', ['learned']);
    expect(listed.code).toBe(0);
    const [id, question, sentence, key, how] = listed.stdout.trim().split('\t');
    expect({ question, how }).toMatchObject({
      question: asked,
      how: expect.stringMatching(
        /^taught, \d{4}-\d\d-\d\d; has not answered a later question yet$/,
      ),
    });
    expect(sentence).toMatch(/^June 2, 2025: The second round of direct talks took place/);

    const answer = JSON.parse(
      (await run('src/cli.ts', ['--json', 'when did the second round happen'])).stdout,
    );
    expect(answer.answers[0].key).toBe(key);
    expect(answer.uncertain).toBeUndefined();
    expect(answer.confirmed).toMatchObject({ question: asked, how: 'teach' });
    const text = await run('src/cli.ts', ['when did the second round of talks take place']);
    expect(text.stdout).toMatch(/^✓ a confirmed answer/m);

    expect((await run('src/knowledge-cli.ts', ['forget', id!])).code).toBe(0);
    expect((await run('src/knowledge-cli.ts', ['learned'])).stdout).toBe('');
    const forgotten = await run('src/knowledge-cli.ts', ['forget', id!]);
    expect(forgotten.code).toBe(1);
    expect(forgotten.stderr).toMatch(/no confirmed answer has the id/);
  });

  it('gaps lists the questions npm run ask could not answer well, near-identical ones together', async () => {
    for (const question of [
      'was there a third round in july',
      'Was there a third round in July?',
    ]) {
      expect((await run('src/cli.ts', [question])).code).toBe(0);
    }
    const gaps = await run('src/knowledge-cli.ts', ['gaps']);
    expect(gaps.code).toBe(0);
    expect(gaps.stdout).toMatch(/^2\tWas there a third round in July\?\tnot found$/m);
  });

  it('takes a sentence key that starts with "-" as a key, not an option', async () => {
    const taught = await run('src/knowledge-cli.ts', ['teach', 'who keeps pushing', '-cHoSpdJ-2']);
    expect(taught.stderr).toBe('');
    expect(taught.code).toBe(0);
    expect(taught.stdout).toMatch(/^Taught #(\d+): .*\(-cHoSpdJ-2\)\.$/m);
    const id = /^Taught #(\d+)/.exec(taught.stdout)![1]!;
    expect((await run('src/knowledge-cli.ts', ['forget', id])).code).toBe(0);
  });

  it('refuses a quote that fits several sentences, listing them with their keys (exit 1)', async () => {
    const result = await run('src/knowledge-cli.ts', [
      'teach',
      'who led the talks',
      'the second round',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is in \d+ sentences; name one by its key/);
    expect(result.stderr).toMatch(/^ {2}• \S{6,} {2}\S.+$/m);
    expect((await run('src/knowledge-cli.ts', ['teach', 'q', 'zzzz no such sentence'])).code).toBe(
      1,
    );
    expect((await run('src/knowledge-cli.ts', ['teach', 'only a question'])).code).toBe(2);
  });
});

describe('npm run knowledge -- follow | feeds | poll | unfollow', () => {
  let folder: TempKnowledge;
  let site: Served;
  let dataDir: string;
  let broken = false;
  let served: ServedFeed;
  const run = (args: string[]) =>
    runScript('src/knowledge-cli.ts', args, {
      env: { KNOWLEDGE_DIR: folder.dir, DATA_DIR: dataDir, LINK_ALLOWED_HOSTS: site.host },
      timeoutMs: 60_000,
    });

  beforeAll(async () => {
    folder = tempKnowledge({ withRealArticles: true });
    dataDir = mkdtempSync(join(tmpdir(), 'talks-bot-data-'));
    site = await servePages({
      '/articles/prisoners': html(newsPage(PRISONERS)),
      '/articles/riyadh': html(newsPage(RIYADH)),
      '/front': html(newsPage({ ...RIYADH, title: 'Front page' })),
      '/ledger.xml': (req, res) =>
        broken
          ? html('<!doctype html><html><body>Maintenance</body></html>')(req, res)
          : served.route(req, res),
    });
    served = new ServedFeed(
      rss('Kyiv Ledger', [
        { title: RIYADH.title, link: `${site.origin}/articles/riyadh` },
        { title: PRISONERS.title, link: `${site.origin}/articles/prisoners` },
      ]),
      '"ledger-1"',
      undefined,
    );
  });
  afterAll(async () => {
    await site.close();
    folder.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a page that is not a feed, following nothing', async () => {
    const refused = await run(['follow', `${site.origin}/front`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Following http:\/\/\S+\/front failed; nothing changed:/);
    expect(refused.stderr).toMatch(/a web page, not a feed/);
    expect(refused.stdout).toBe('');
    const feeds = await run(['feeds']);
    expect(feeds.code).toBe(0);
    expect(feeds.stdout).toBe('');
    expect(feeds.stderr).toMatch(/No feeds followed yet/);
  });

  it('says what was wrong with a follow or unfollow command line (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['follow'], /follow needs the address of an RSS, Atom or JSON feed/],
      [['follow', `${site.origin}/ledger.xml`, '--match'], /--match needs the words/],
      [['unfollow'], /unfollow needs the id of a feed/],
      [['feeds', 'extra'], /Unexpected argument after feeds: extra/],
    ];
    for (const [args, problem] of cases) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(problem);
      expect(result.stderr).toMatch(/Usage:\n/);
    }
  });

  it('follows a feed with words, polls it, adds the matching article, lists and unfollows it', async () => {
    const followed = await run([
      'follow',
      `${site.origin}/ledger.xml`,
      '--match',
      'prisoner exchange',
    ]);
    expect(followed.stderr).toBe('');
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(
      /^Following #(\d+) Kyiv Ledger \(2 items now; words: prisoner exchange\)\./,
    );
    const id = /^Following #(\d+)/.exec(followed.stdout)![1]!;

    const waiting = await run(['feeds']);
    expect(waiting.code).toBe(0);
    // Until the first poll reads its title, the feed is named by its address.
    expect(waiting.stdout).toContain(`#${id} ${site.origin}/ledger.xml\n  waiting`);
    expect(waiting.stdout).toMatch(
      /waiting for its first poll · words: prisoner exchange · last poll never · last new article never · 0 added, 0 skipped/,
    );

    const polled = await run(['poll']);
    expect(polled.stderr).toBe('');
    expect(polled.code).toBe(0);
    expect(polled.stdout).toBe(`#${id}\t1 added, 1 skipped\n  + ${PRISONERS.title}\n`);

    const list = await run(['list']);
    expect(list.stdout).toMatch(
      /^prisoner-exchange-brings\S*\t3\tPrisoner exchange brings 307 soldiers/m,
    );
    expect(list.stdout).not.toMatch(/Energy ceasefire talks open in Riyadh/);

    const feeds = await run(['feeds']);
    expect(feeds.stdout).toMatch(new RegExp(`^#${id} Kyiv Ledger$`, 'm'));
    expect(feeds.stdout).toMatch(
      /ok · words: prisoner exchange · last poll just now · last new article just now · 1 added, 1 skipped/,
    );

    // Unchanged: the site answers 304 to the conditional request.
    const again = await run(['poll']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`#${id}\tunchanged\n`);
    expect(served.requests.at(-1)).toEqual({ ifNoneMatch: '"ledger-1"', status: 304 });

    // A feed that broke: the poll says why and exits 1; nothing is lost.
    broken = true;
    const failed = await run(['poll']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      new RegExp(`^#${id}\tfailed: that address is a web page, not a feed`),
    );
    const failing = await run(['feeds']);
    expect(failing.stdout).toMatch(/failing \(1 of 5 before it is paused\)/);
    expect(failing.stdout).toMatch(/last error: that address is a web page, not a feed/);
    expect((await run(['list'])).stdout).toMatch(/Prisoner exchange brings 307 soldiers/);

    const unfollowed = await run(['unfollow', id]);
    expect(unfollowed.code).toBe(0);
    expect(unfollowed.stdout).toBe(`No longer following #${id}; the articles it added stay.\n`);
    const unknown = await run(['unfollow', id]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      new RegExp(`no feed has the id "${id}" \\(npm run knowledge -- feeds shows them\\)`),
    );
    expect((await run(['unfollow', 'abc'])).code).toBe(1);
    expect((await run(['feeds'])).stdout).toBe('');
    expect((await run(['list'])).stdout).toMatch(/Prisoner exchange brings 307 soldiers/);
    const none = await run(['poll']);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/No feeds to poll/);
  }, 90_000);
});
