/**
 * The file name an added article is saved under, which is also its id
 * (citations, `npm run knowledge -- remove <id>`). The name the moderator
 * gave is kept when no article has it yet, made safe: lower case, letters,
 * digits, `-` and `_` only. An article added by link is named after its
 * title. When that id is taken, eight characters of the text's hash are
 * appended, so a different article with the same name still gets its own id
 * and the same article added twice gets the same one.
 */
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { foldText } from './fold.ts';

/** Longest id made from a name or title (before a hash is appended). */
const MAX_ID_LENGTH = 64;

/** Letters and digits (accents dropped), `_` kept, anything else one `-`. */
export function safeId(name: string): string {
  return foldText(name)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, MAX_ID_LENGTH)
    .replace(/[-_]+$/, '');
}

/** The extension the file keeps: `.txt` stays plain text, anything else is Markdown. */
const extensionOf = (name: string) => (extname(name).toLowerCase() === '.txt' ? '.txt' : '.md');

export interface ArticleFileName {
  readonly fileName: string;
  /** The id the article asked for, when another article has it (so a hash was appended). */
  readonly taken?: string;
}

/**
 * The file name for an article that asked for `wanted` (an upload's own name,
 * or a title for a link), or undefined when even the hashed name is taken:
 * the same text under the same name is already there.
 */
export function articleFileName(
  wanted: string,
  text: string,
  isTaken: (id: string) => boolean,
): ArticleFileName | undefined {
  const name = basename(wanted);
  const base = safeId(name.slice(0, name.length - extname(name).length)) || 'article';
  const extension = extensionOf(name);
  if (!isTaken(base)) return { fileName: `${base}${extension}` };
  const hashed = `${base}-${createHash('sha1').update(text).digest('hex').slice(0, 8)}`;
  return isTaken(hashed) ? undefined : { fileName: `${hashed}${extension}`, taken: base };
}
