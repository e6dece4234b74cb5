/**
 * Answering: question → MiniSearch candidates → rerank → merge copies →
 * answer or abstain.
 *
 * BM25 scores do not compare across questions, so the decision to answer is
 * made on coverage instead: the IDF-weighted share of the question's content
 * terms that the best sentence contains. A sentence that matches only the
 * common words of an off-topic question ("war", "president") covers little of
 * it, however high its raw score.
 */
import type { Article, Sentence } from '../knowledge/types.ts';
import { inverseDocumentFrequency, type SentenceIndex } from './index.ts';
import { isDictionaryWord } from './dictionary.ts';
import { detectIntents, intentFit, type Intent } from './intent.ts';
import type { TermPipeline } from './terms.ts';
import type { AnswerOptions } from './options.ts';
import type { Answer, AnswerItem, Citation } from './types.ts';

interface QueryTerm {
  readonly term: string;
  readonly weight: number;
  /** Weight of a match on this term; below 1 for spelling corrections. */
  readonly credit: number;
  /** Vocabulary synonyms that may stand in for it, at `synonymCredit`. */
  readonly synonyms: readonly string[];
}

interface AnalysedQuestion {
  readonly terms: readonly QueryTerm[];
  readonly intents: readonly Intent[];
  /** The question with misspelled words replaced, when any were. */
  readonly corrected?: string;
}

interface Candidate {
  readonly sentence: Sentence;
  readonly terms: ReadonlySet<string>;
  readonly coverage: number;
  readonly score: number;
}

export interface AnswerContext {
  readonly index: SentenceIndex;
  readonly sentences: readonly Sentence[];
  readonly articles: ReadonlyMap<string, Article>;
  readonly pipeline: TermPipeline;
}

export function citationOf(article: Article): Citation {
  const { id, title, published, publisher, url } = article;
  return {
    id,
    title,
    ...(published !== undefined && { published }),
    ...(publisher !== undefined && { publisher }),
    ...(url !== undefined && { url }),
  };
}

/** Spelling tolerance grows with word length; short words are too easy to "correct" wrongly. */
function maxEditDistance(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 5) return 1;
  return 0;
}

export function createAnswerer(context: AnswerContext, defaults: AnswerOptions) {
  const { index, sentences, articles, pipeline } = context;
  const titleTerms = new Map<string, ReadonlySet<string>>();
  for (const article of articles.values()) {
    titleTerms.set(article.id, new Set(pipeline.terms(article.title, 'document')));
  }

  /** The most common corpus term within spelling distance of `term`, if any. */
  function correctSpelling(term: string, typed: string): string | undefined {
    const distance = maxEditDistance(typed);
    if (distance === 0 || /\p{N}/u.test(term)) return undefined;
    let best: { term: string; distance: number; count: number } | undefined;
    for (const [candidate, [count, d]] of index.termTree.fuzzyGet(term, distance)) {
      if (!best || d < best.distance || (d === best.distance && count > best.count)) {
        best = { term: candidate, distance: d, count };
      }
    }
    return best?.term;
  }

  function analyse(question: string, options: AnswerOptions): AnalysedQuestion {
    const terms = new Map<string, QueryTerm>();
    let corrected = question;
    let changed = false;
    for (const token of pipeline.tokenize(question)) {
      for (const processed of pipeline.processTerm(token, 'query')) {
        let term = processed;
        let credit = 1;
        const replacement = index.documentFrequency.has(term)
          ? undefined
          : correctSpelling(term, pipeline.surfaceForm(token));
        if (replacement !== undefined) {
          term = replacement;
          credit = options.correctedTermCredit;
          corrected = corrected.replace(token, index.displayWord.get(replacement) ?? replacement);
          changed = true;
        }
        if (!terms.has(term)) {
          const unknownName =
            !index.documentFrequency.has(term) &&
            !/\p{N}/u.test(term) &&
            !isDictionaryWord(pipeline.surfaceForm(token));
          const weight =
            inverseDocumentFrequency(index, term) * (unknownName ? options.unknownNameWeight : 1);
          terms.set(term, { term, weight, credit, synonyms: pipeline.synonymsOf(term) });
        }
      }
    }
    return {
      terms: [...terms.values()],
      intents: detectIntents(question),
      ...(changed && { corrected }),
    };
  }

  /** Terms of the sentences just before and after, within the same article. */
  function neighbourTerms(sentence: Sentence): Set<string> {
    const neighbours = new Set<string>();
    for (const id of [sentence.id - 1, sentence.id + 1]) {
      if (sentences[id]?.articleId !== sentence.articleId) continue;
      for (const term of index.sentenceTerms[id] ?? []) neighbours.add(term);
    }
    return neighbours;
  }

  function coverageOf(
    query: AnalysedQuestion,
    sentence: Sentence,
    terms: ReadonlySet<string>,
    options: AnswerOptions,
  ): number {
    const title = titleTerms.get(sentence.articleId);
    const neighbours = neighbourTerms(sentence);
    let covered = 0;
    let total = 0;
    for (const { term, weight, credit, synonyms } of query.terms) {
      total += weight;
      const matchIn = (field: ReadonlySet<string> | undefined) =>
        field?.has(term) ? 1 : synonyms.some((s) => field?.has(s)) ? options.synonymCredit : 0;
      const fieldCredit = Math.max(
        matchIn(terms),
        matchIn(title) * options.partialFieldCredit.title,
        matchIn(neighbours) * options.partialFieldCredit.context,
      );
      covered += weight * credit * fieldCredit;
    }
    return total === 0 ? 0 : covered / total;
  }

  function rankCandidates(query: AnalysedQuestion, options: AnswerOptions): Candidate[] {
    const boosts = new Map<string, number>();
    for (const { term, credit, synonyms } of query.terms) {
      for (const synonym of synonyms)
        if (!boosts.has(synonym)) boosts.set(synonym, credit * options.synonymCredit);
      boosts.set(term, credit);
    }
    // In a large corpus, a term found in a tenth of all sentences is effectively
    // a stop word: it barely changes the ranking but makes the search walk most
    // of the index. Candidates come from the rarer terms; coverage still counts all.
    const commonDf = Math.max(
      options.minCommonDocumentFrequency,
      index.sentenceCount * options.commonTermShare,
    );
    const rare = [...boosts.keys()].filter(
      (t) => (index.documentFrequency.get(t) ?? 0) <= commonDf,
    );
    const searchTerms = rare.length > 0 ? rare : [...boosts.keys()];
    const results = index.search.search(searchTerms.join(' '), {
      // Terms are already processed; MiniSearch must take them as they are.
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      boost: { ...options.fieldBoost },
      boostTerm: (term) => boosts.get(term) ?? 1,
    });
    const topScore = results[0]?.score ?? 1;
    return results
      .slice(0, options.candidates)
      .map((result) => {
        const sentence = sentences[result.id as number] as Sentence;
        const terms = new Set(index.sentenceTerms[sentence.id]);
        const coverage = coverageOf(query, sentence, terms, options);
        const intentFactor = intentFit(query.intents, sentence.text, options.missingSignalPenalty);
        // Coverage leads: BM25 adds up synonyms and repeats of one question word,
        // coverage counts each once. BM25 then breaks ties (length, frequency).
        const relevance = options.bm25Floor + (1 - options.bm25Floor) * (result.score / topScore);
        return { sentence, terms, coverage, score: coverage * relevance * intentFactor };
      })
      .sort((a, b) => b.score - a.score);
  }

  /**
   * Near-identical sentences (the same wire copy in two articles) become one
   * item citing both. Only `isStrong` candidates lead an item; any candidate
   * can join one as a further source.
   */
  function mergeCopies(
    ranked: readonly Candidate[],
    isStrong: (candidate: Candidate) => boolean,
    options: AnswerOptions,
  ): AnswerItem[] {
    const groups: { lead: Candidate; members: Candidate[] }[] = [];
    for (const candidate of ranked) {
      const group = groups.find(
        (g) => jaccard(g.lead.terms, candidate.terms) >= options.mergeSimilarity,
      );
      if (group) group.members.push(candidate);
      else if (groups.length < options.limit && isStrong(candidate)) {
        groups.push({ lead: candidate, members: [candidate] });
      }
    }
    return groups.map(({ lead, members }) => toItem(lead, members));
  }

  function toItem(lead: Candidate, members: readonly Candidate[]): AnswerItem {
    const sources: Citation[] = [];
    for (const { sentence } of members) {
      const article = articles.get(sentence.articleId);
      if (article && !sources.some((s) => s.id === article.id)) sources.push(citationOf(article));
    }
    return {
      text: lead.sentence.text,
      score: round(lead.score),
      coverage: round(lead.coverage),
      key: lead.sentence.key,
      sources,
      context: {
        ...(lead.sentence.previous !== undefined && { before: lead.sentence.previous }),
        ...(lead.sentence.next !== undefined && { after: lead.sentence.next }),
      },
    };
  }

  function suggestionsFor(query: AnalysedQuestion, ranked: readonly Candidate[]): string[] {
    const suggestions: string[] = [];
    if (query.corrected) suggestions.push(query.corrected);
    for (const { sentence } of ranked) {
      const title = articles.get(sentence.articleId)?.title;
      if (title && !suggestions.includes(title)) suggestions.push(title);
      if (suggestions.length >= 3) break;
    }
    return suggestions;
  }

  return function answer(rawQuestion: string, overrides?: Partial<AnswerOptions>): Answer {
    const options = overrides ? { ...defaults, ...overrides } : defaults;
    const question = rawQuestion.replace(/\s+/g, ' ').trim();
    const query = analyse(question.slice(0, options.maxQuestionLength), options);
    if (query.terms.length === 0) return { question, answered: false, answers: [] };

    const ranked = rankCandidates(query, options);
    const best = ranked[0];
    if (!best || best.coverage < options.minCoverage) {
      const suggestions = suggestionsFor(query, ranked);
      return {
        question,
        answered: false,
        answers: [],
        ...(suggestions.length > 0 && { suggestions }),
      };
    }
    const isStrong = (c: Candidate) =>
      c.score >= best.score * options.minRelativeScore && c.coverage >= options.minCoverage / 2;
    return { question, answered: true, answers: mergeCopies(ranked, isStrong, options) };
  };
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
