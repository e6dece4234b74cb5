/** The id an added article gets: its own name when free, made safe; a hash only when taken. */
import { describe, expect, it } from 'vitest';
import { articleFileName, safeId } from '../../src/knowledge/file-name.ts';

const none = () => false;

describe('articleFileName', () => {
  it('keeps the given name when no article has it', () => {
    expect(articleFileName('third-round.md', 'text', none)).toEqual({
      fileName: 'third-round.md',
    });
    expect(articleFileName('Notes_2025.TXT', 'text', none)?.fileName).toBe('notes_2025.txt');
  });

  it('makes any name safe: lower case, letters, digits, - and _ only, no folders', () => {
    expect(safeId('Çırağan Palace: Round 2!')).toBe('ciragan-palace-round-2');
    expect(articleFileName('../../etc/passwd.md', 'text', none)?.fileName).toBe('passwd.md');
    expect(articleFileName('!!!.md', 'text', none)?.fileName).toBe('article.md');
    expect(articleFileName('x'.repeat(300) + '.md', 'text', none)?.fileName.length).toBe(67);
  });

  it('appends the text’s hash when the id is taken, the same hash for the same text', () => {
    const taken = (id: string) => id === 'third-round';
    const first = articleFileName('third-round.md', 'one text', taken);
    expect(first).toEqual({
      fileName: expect.stringMatching(/^third-round-[0-9a-f]{8}\.md$/),
      taken: 'third-round',
    });
    expect(articleFileName('third-round.md', 'one text', taken)).toEqual(first);
    expect(articleFileName('third-round.md', 'another text', taken)?.fileName).not.toBe(
      first?.fileName,
    );
  });

  it('is undefined when the hashed name is taken too: the same text under the same name', () => {
    const hashed = articleFileName('a.md', 'same', (id) => id === 'a')!.fileName.slice(0, -3);
    expect(articleFileName('a.md', 'same', (id) => id === 'a' || id === hashed)).toBeUndefined();
  });
});
