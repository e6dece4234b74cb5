/** The CLI and start-up as a user runs them: real processes, real stdout. */
import { afterAll, describe, expect, it } from 'vitest';
import { tempKnowledge } from '../helpers/knowledge.ts';
import { runScript as run } from '../helpers/run.ts';

describe('npm run ask', () => {
  it('prints a readable answer with numbered citations', async () => {
    const { code, stdout } = await run('src/cli.ts', ['who chaired the second meeting?']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\. .*Fidan.*\[1\]/m);
    expect(stdout).toMatch(/^Sources:\n {2}\[1\] \S/m);
  });

  it('prints one JSON object with --json', async () => {
    const { code, stdout } = await run('src/cli.ts', ['--json', 'how many drones were smuggled']);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({ question: 'how many drones were smuggled', answered: true });
    expect(answer.answers[0]).toEqual(
      expect.objectContaining({
        text: expect.stringContaining('117'),
        score: expect.any(Number),
        sources: [expect.objectContaining({ id: expect.any(String), title: expect.any(String) })],
      }),
    );
  });

  it('answers one JSON line per stdin line, in order, with nothing else on stdout', async () => {
    const questions = [
      'when did the first talks take place',
      'bitcoin price today',
      '',
      'who is medinsky',
    ];
    const { code, stdout } = await run('src/cli.ts', ['--json', '--stdin'], {
      input: `${questions.join('\n')}\n`,
    });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(questions.length);
    const answers = lines.map((line) => JSON.parse(line));
    expect(answers.map((a) => a.question)).toEqual(questions);
    expect(answers.map((a) => a.answered)).toEqual([true, false, false, true]);
    expect(answers[1].answers).toEqual([]);
  });

  it('says how to list the articles in terminal terms when they do not answer', async () => {
    const { code, stdout } = await run('src/cli.ts', ['bitcoin price today']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^The articles don't answer that\./);
    expect(stdout).toMatch(/npm run knowledge -- list/);
    // No slash command exists in a terminal.
    expect(stdout).not.toMatch(/(?:^|\s)\/[a-z]/m);
  });

  it('with the database down, says so in one plain line on stderr and still answers', async () => {
    const { code, stdout, stderr } = await run('src/cli.ts', ['who chaired the second meeting?'], {
      // Nothing listens on port 1: the connection is refused at once.
      env: { DATABASE_URL: 'postgres://talks:secret@127.0.0.1:1/talks' },
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\. .*Fidan/m);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ECONNREFUSED.*without the confirmed answers\.$/);
    expect(stderr).not.toMatch(/secret|^\s+at |"level"/m); // no password, stack or JSON log
  });

  it('explains a missing question and a bad option', async () => {
    expect((await run('src/cli.ts', [])).stderr).toMatch(/No question given/);
    const bad = await run('src/cli.ts', ['--limit', 'lots', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--limit must be a whole number/);
  });
});

describe('start-up without usable knowledge or token', () => {
  const empty = tempKnowledge();
  empty.write('broken.md', 'no front matter here');
  afterAll(() => empty.remove());

  it('exits non-zero listing every bad file when no article loads', async () => {
    const { code, stderr } = await run('src/cli.ts', ['anything'], {
      env: { KNOWLEDGE_DIR: empty.dir },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/No article could be loaded/);
    expect(stderr).toMatch(/broken\.md: has no front matter/);
  });

  it('npm start without a token or a terminal exits non-zero naming DISCORD_TOKEN', async () => {
    const { code, stderr } = await run('src/main.ts', []);
    expect(code).toBe(1);
    expect(stderr).toMatch(/DISCORD_TOKEN/);
  });
});
