/** Large knowledge folders for tests: enough articles that building the index takes seconds. */
import { buildCorpus } from '../../bench/corpus.ts';
import { article, type TempKnowledge } from './knowledge.ts';

/** Adds `count` generated news articles (the benchmark's seeded writer) to a folder. */
export async function writeGeneratedArticles(folder: TempKnowledge, count: number): Promise<void> {
  const { knowledge, stats } = await buildCorpus(count + 5, 1);
  // The corpus starts with the five real articles; only the generated ones are written.
  for (const a of knowledge.articles.slice(stats.realArticles)) {
    folder.write(a.file, article(a.title, a.body));
  }
}
