/**
 * Parses one knowledge file: YAML front matter (validated) plus a verbatim body.
 */
import { createRequire } from 'node:module';
import type matterType from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Article } from './types.ts';

/** gray-matter, loaded on first use: a start from the index cache parses no article. */
let matter: typeof matterType | undefined;
const grayMatter = () =>
  (matter ??= createRequire(import.meta.url)('gray-matter') as typeof matterType);

const isoDate = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.trim()))
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)), {
    message: 'must be a date written as YYYY-MM-DD',
  });

const frontMatterSchema = z.object({
  title: z
    .string({ error: 'is required (a one-line headline)' })
    .trim()
    .min(1, 'must not be empty')
    .max(300, 'must be at most 300 characters'),
  published: isoDate.optional(),
  publisher: z.string().trim().min(1).max(200).optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) address' }).optional(),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;

export type ParseResult = { ok: true; article: Article } | { ok: false; problems: string[] };

/**
 * The `yaml` package keeps dates as strings (YAML 1.2 core schema), so
 * "published: 2025-06-02" is read exactly as written, never shifted by a time zone.
 */
const yamlEngine = { parse: (source: string) => parseYaml(source) as object };

/** Parses a knowledge file's text; `id` is the file name without extension. */
export function parseKnowledgeFile(id: string, file: string, source: string): ParseResult {
  const text = source.replace(/^\uFEFF/, '');
  if (!/^---\r?\n/.test(text)) {
    return {
      ok: false,
      problems: [
        'has no front matter: start the file with a line "---", then "title: …", then "---"',
      ],
    };
  }
  let parsed: matterType.GrayMatterFile<string>;
  try {
    parsed = grayMatter()(text, { engines: { yaml: yamlEngine }, language: 'yaml' });
  } catch (error) {
    return {
      ok: false,
      problems: [`has front matter that is not valid YAML (${firstLine(error)})`],
    };
  }
  const result = frontMatterSchema.safeParse(parsed.data ?? {});
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(`front matter "${issue.path.join('.') || 'title'}" ${issue.message}`);
    }
  }
  const body = parsed.content.replace(/^\r?\n/, '');
  if (body.trim().length === 0)
    problems.push('has an empty body: paste the article text below the front matter');
  if (!result.success || problems.length > 0) return { ok: false, problems };

  const { title, published, publisher, url } = result.data;
  return {
    ok: true,
    article: {
      id,
      file,
      title,
      body,
      ...(published !== undefined && { published }),
      ...(publisher !== undefined && { publisher }),
      ...(url !== undefined && { url }),
    },
  };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? 'unknown error';
}
