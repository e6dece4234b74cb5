/**
 * `npm run eval:topic`: how well the topic test of feeds (src/feeds/relevance.ts)
 * tells an article about the talks from one that is not. On topic: each
 * knowledge article, left out of the index and judged against the others.
 * Off topic: the SQuAD Wikipedia articles in ../shared/data (skipped, with a
 * line saying so, when that folder is absent).
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEngine } from '../../src/engine/open.ts';
import { validateUpload } from '../../src/engine/library.ts';
import { loadVocabulary, VOCABULARY_FILE } from '../../src/knowledge/vocabulary.ts';
import { ON_TOPIC_SHARE, topicShare } from '../../src/feeds/relevance.ts';
import { SQUAD_AVAILABLE, SQUAD_DIR, SQUAD_MISSING } from './squad.ts';

const knowledgeDir = fileURLToPath(new URL('../../knowledge', import.meta.url));
const vocabulary = await loadVocabulary(join(knowledgeDir, VOCABULARY_FILE));
const articleFiles = (await readdir(knowledgeDir)).filter((f) => /^\d.*\.md$/.test(f));

const sentencesOf = (name: string, text: string) => {
  const checked = validateUpload(name, new TextEncoder().encode(text), vocabulary);
  if (!checked.ok) throw new Error(`${name}: ${checked.problems.join('; ')}`);
  return checked.sentences;
};

const rows: { name: string; share: number; onTopic: boolean }[] = [];
for (const left of articleFiles) {
  const dir = await mkdtemp(join(tmpdir(), 'talks-topic-'));
  try {
    await cp(knowledgeDir, dir, { recursive: true });
    await rm(join(dir, left));
    const { engine } = await openEngine(dir);
    const text = await readFile(join(knowledgeDir, left), 'utf8');
    rows.push({ name: left, share: topicShare(engine, sentencesOf(left, text)), onTopic: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
if (SQUAD_AVAILABLE) {
  const fullEngine = (await openEngine(knowledgeDir)).engine;
  for (const split of ['fit', 'holdout']) {
    const folder = join(SQUAD_DIR, split);
    for (const file of await readdir(folder)) {
      const text = await readFile(join(folder, file), 'utf8');
      rows.push({
        name: file,
        share: topicShare(fullEngine, sentencesOf(file, text)),
        onTopic: false,
      });
    }
  }
} else {
  console.log(SQUAD_MISSING);
}
for (const row of rows) {
  const verdict = row.share >= ON_TOPIC_SHARE ? 'taken  ' : 'skipped';
  console.log(
    `${row.onTopic ? 'on topic ' : 'off topic'}  ${row.share.toFixed(2)}  ${verdict}  ${row.name}`,
  );
}
const wrong = rows.filter((r) => r.share >= ON_TOPIC_SHARE !== r.onTopic).length;
console.log(`threshold ${ON_TOPIC_SHARE}: ${rows.length - wrong} of ${rows.length} judged right`);
