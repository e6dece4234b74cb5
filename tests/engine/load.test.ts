import { afterEach, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.ts';
import { parseKnowledgeFile } from '../../src/knowledge/parse.ts';
import {
  article,
  KNOWLEDGE_DIR,
  tempKnowledge,
  type TempKnowledge,
  openTestEngine,
} from '../helpers/knowledge.ts';

describe('parseKnowledgeFile', () => {
  it('reads front matter, keeps the body verbatim and dates as written', () => {
    const result = parseKnowledgeFile(
      'a',
      'a.md',
      '---\ntitle: Talks end\npublished: 2025-06-02\nurl: https://example.org/a\n---\nLine one.\n\nLine two.\n',
    );
    expect(result).toEqual({
      ok: true,
      article: {
        id: 'a',
        file: 'a.md',
        title: 'Talks end',
        published: '2025-06-02',
        url: 'https://example.org/a',
        body: 'Line one.\n\nLine two.\n',
      },
    });
  });

  it.each([
    ['no front matter', 'Just text.', /no front matter/],
    ['a missing title', '---\npublisher: X\n---\nText here.', /"title" is required/],
    ['an empty body', '---\ntitle: T\n---\n\n', /empty body/],
    ['broken YAML', '---\ntitle: [unclosed\n---\nText.', /not valid YAML/],
    ['a bad date', '---\ntitle: T\npublished: June 2nd\n---\nText.', /"published" must be a date/],
    [
      'a non-http url',
      '---\ntitle: T\nurl: javascript:alert(1)\n---\nText.',
      /"url" must be an http/,
    ],
  ])('rejects a file with %s, saying what is wrong', (_, source, message) => {
    const result = parseKnowledgeFile('x', 'x.md', source);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problems.join('; ')).toMatch(message);
  });
});

describe('loadKnowledge', () => {
  let folder: TempKnowledge | undefined;
  afterEach(() => folder?.remove());

  it('loads the real articles without problems and without invented citation fields', async () => {
    const knowledge = await loadKnowledge(KNOWLEDGE_DIR);
    expect(knowledge.problems).toEqual([]);
    expect(knowledge.articles.length).toBeGreaterThanOrEqual(5);
    for (const a of knowledge.articles) {
      expect(a.title.length).toBeGreaterThan(0);
      expect(a.url).toBeUndefined();
      expect(a.publisher).toBeUndefined();
    }
  });

  it('never indexes headings, credits, captions, ads, related links or repeats', async () => {
    const knowledge = await loadKnowledge(KNOWLEDGE_DIR);
    const texts = knowledge.sentences.map((s) => s.text);
    for (const text of texts) {
      expect(text).toMatch(/[.!?…]["'”’)]*$/u); // a complete sentence
      expect(text).not.toMatch(/^Related:|\/(?:Reuters|AFP)$|check out/i);
    }
    const perArticle = new Map<string, Set<string>>();
    for (const s of knowledge.sentences) {
      const seen = perArticle.get(s.articleId) ?? new Set();
      expect(seen.has(s.text)).toBe(false);
      seen.add(s.text);
      perArticle.set(s.articleId, seen);
    }
  });

  it('reports each bad file by name and still loads the good ones', async () => {
    folder = tempKnowledge();
    folder.write('good.md', article('Talks end', 'The delegations met in Istanbul for an hour.'));
    folder.write('no-front-matter.md', 'The delegations met again.');
    folder.write('no-title.md', '---\npublisher: X\n---\nThe delegations met again.');
    folder.write('binary.md', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01]));
    folder.write('README.md', '# not an article');
    folder.write('notes.json', '{}');
    const knowledge = await loadKnowledge(folder.dir);
    expect(knowledge.articles.map((a) => a.id)).toEqual(['good']);
    expect(knowledge.problems.map((p) => p.file).sort()).toEqual([
      'binary.md',
      'no-front-matter.md',
      'no-title.md',
    ]);
  });

  it('answers from the good files when one knowledge file is malformed', async () => {
    folder = tempKnowledge({ withRealArticles: true });
    folder.write('zzz-broken.md', '---\ntitle: [oops\n---\nBroken.');
    const engine = await openTestEngine(folder.dir);
    expect(engine.problems).toEqual([
      { file: 'zzz-broken.md', problem: expect.stringMatching(/YAML/) },
    ]);
    expect(engine.answer('how many drones were smuggled into russia').answered).toBe(true);
  });

  it('explains an unreadable folder', async () => {
    await expect(loadKnowledge('/nonexistent/knowledge')).rejects.toThrow(/KNOWLEDGE_DIR/);
  });
});
