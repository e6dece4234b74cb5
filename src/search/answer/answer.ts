/**
 * Answering, as stages:
 *
 *   analyse question → candidates → features → score → select → decide
 *
 * `question.ts` analyses, `candidates.ts` finds sentences worth scoring,
 * `features.ts` describes each (question, sentence) pair, `ranker.ts` scores
 * them and says how likely the best one answers, and this module selects the
 * sentences to show (diverse, copies merged) and decides between three
 * outcomes: confident, uncertain (labelled "may answer it"), or not found
 * (with related questions the articles do answer). Who sees which is not the
 * engine's business: src/runtime/visibility.ts decides.
 *
 * Raw BM25 scores do not compare across questions, so the decision rests on
 * the fitted confidence model, not on a score threshold.
 */
import type { ArticleInfo } from '../../knowledge/types.ts';
import { findCandidates, type Candidate } from './candidates.ts';
import { matchLearned, NOTHING_LEARNED, type Learned, type LearnedMatches } from './learned.ts';
import { RANK_FEATURES, rankFeatures, unknownShare } from './features.ts';
import type { AnswerOptions } from './options.ts';
import { analyseQuestion, type AnalysedQuestion } from './question.ts';
import { shortAnswer, type ShortAnswer } from './bound-values.ts';
import { CONFIDENCE_FEATURES, linearScore, sigmoid, type RankerModel } from './ranker.ts';
import { disagree, valuesAsWritten } from './disagreement.ts';
import { jaccard } from '../jaccard.ts';
import type { SearchContext } from '../index/search-context.ts';
import { distinctTerms } from '../index/sentence-terms.ts';
import type { Answer, AnswerItem, Citation, Disagreement, RelatedQuestion } from '../types.ts';

export function citationOf(article: ArticleInfo): Citation {
  const { id, title, published, publisher, url } = article;
  return {
    id,
    title,
    ...(published !== undefined && { published }),
    ...(publisher !== undefined && { publisher }),
    ...(url !== undefined && { url }),
  };
}

/** A candidate with its features and ranker score. */
export interface ScoredCandidate {
  readonly id: number;
  readonly features: readonly number[];
  readonly score: number;
  readonly terms: ReadonlySet<string>;
}

const feature = (candidate: ScoredCandidate, name: (typeof RANK_FEATURES)[number]) =>
  candidate.features[RANK_FEATURES.indexOf(name)] ?? 0;

/**
 * Candidates with the community's confirmations (learned.ts) applied: every
 * sentence confirmed for a close question is a candidate, carrying that
 * closeness as a feature.
 */
export function withConfirmations(
  candidates: readonly Candidate[],
  matches: LearnedMatches,
  keyOf: (sentenceId: number) => string | undefined,
): Candidate[] {
  const confirmed = (id: number) => matches.right.get(keyOf(id) ?? '')?.similarity ?? 0;
  const seen = new Set(candidates.map((c) => keyOf(c.id)));
  return [
    ...candidates.map((c) => ({ ...c, confirmed: confirmed(c.id) })),
    ...[...matches.right.entries()]
      .filter(([key]) => !seen.has(key))
      .map(([, { sentenceId, similarity }]) => ({
        id: sentenceId,
        bm25: 0,
        confirmed: similarity,
      })),
  ];
}

/**
 * Stages 1–4 for one question: its analysis and every candidate, best first
 * (a sentence confirmed wrong for a close question is not one).
 */
export function scoreCandidates(
  question: string,
  context: SearchContext,
  options: AnswerOptions,
  model: RankerModel,
  learned: Learned = NOTHING_LEARNED,
): { query: AnalysedQuestion; ranked: ScoredCandidate[]; matches: LearnedMatches } {
  const query = analyseQuestion(question, context, options);
  const matches = matchLearned(query, learned, {
    synonymCredit: options.synonymCredit,
    ...options.confirmationMatch,
  });
  if (query.terms.length === 0) return { query, ranked: [], matches };
  const keyOf = (id: number) => context.sentences[id]?.key;
  const ruledOut = (id: number) => matches.wrong.has(keyOf(id) ?? '');
  const ranked = withConfirmations(findCandidates(query, context, options), matches, keyOf)
    .filter((candidate) => !ruledOut(candidate.id))
    .map((candidate) => {
      const features = rankFeatures(query, candidate, context, options, learned);
      return {
        id: candidate.id,
        features,
        score: linearScore(model.rank, features),
        terms: context.facts(candidate.id).own,
      };
    })
    .sort(
      (a, b) => Number(ruledOut(a.id)) - Number(ruledOut(b.id)) || b.score - a.score || a.id - b.id,
    );
  return {
    query,
    ranked: confirmedFirst(captionsLast(ranked, context), matches, context),
    matches,
  };
}

/**
 * The community's confirmed answer to this question (or a close rewording
 * of it) comes first, whatever the ranker says: a lookup before ranking,
 * not a feature the ranker may outvote.
 */
function confirmedFirst(
  ranked: ScoredCandidate[],
  matches: LearnedMatches,
  context: SearchContext,
): ScoredCandidate[] {
  const { lookup } = matches;
  if (!lookup) return ranked;
  const key = lookup.confirmation.sentenceKey;
  const at = ranked.findIndex((c) => context.sentences[c.id]?.key === key);
  if (at <= 0) return ranked;
  return [ranked[at]!, ...ranked.slice(0, at), ...ranked.slice(at + 1)];
}

/** How much more of a question a caption must cover than an article sentence to come before it. */
const CAPTION_MARGIN = 0.25;

/**
 * Photo captions answer only as a last resort: a caption goes below every
 * article sentence that answers the question nearly as well (covers it
 * within CAPTION_MARGIN, and holds the asked kind of answer as well),
 * wherever its score put it.
 */
function captionsLast(ranked: ScoredCandidate[], context: SearchContext): ScoredCandidate[] {
  const isCaption = (c: ScoredCandidate) => context.sentences[c.id]?.caption === true;
  if (!ranked.some(isCaption)) return ranked;
  const covers = (c: ScoredCandidate) => feature(c, 'contextCoverage');
  const ordered = ranked.filter((c) => !isCaption(c));
  for (const caption of ranked.filter(isCaption)) {
    const byScore = ordered.findIndex((c) => c.score < caption.score);
    // As good: covers the question nearly as well, and holds the asked kind of answer for it
    // at least as well as the caption does.
    const asGood = (c: ScoredCandidate) =>
      covers(c) >= covers(caption) - CAPTION_MARGIN &&
      feature(c, 'bound') >= feature(caption, 'bound');
    const lastCovering = ordered.reduce((last, c, i) => (asGood(c) ? i : last), -1);
    ordered.splice(
      Math.max(byScore === -1 ? ordered.length : byScore, lastCovering + 1),
      0,
      caption,
    );
  }
  return ordered;
}

/** What the confidence model reads: the best candidate's standing and the question's. */
export function confidenceFeatures(
  query: AnalysedQuestion,
  ranked: readonly ScoredCandidate[],
): number[] {
  const [best, second] = ranked;
  if (!best) return CONFIDENCE_FEATURES.map(() => 0);
  const values: Record<(typeof CONFIDENCE_FEATURES)[number], number> = {
    top: best.score,
    // Never below 0: a caption put first as a last resort may score below the sentences after it.
    margin: second ? Math.max(0, best.score - second.score) : 1,
    coverage: feature(best, 'coverage'),
    softCoverage: feature(best, 'softCoverage'),
    contextCoverage: feature(best, 'contextCoverage'),
    unknown: unknownShare(query),
    missing: feature(best, 'missing'),
    ordinal: feature(best, 'ordinal'),
    answerType: feature(best, 'answerType'),
    bound: feature(best, 'bound'),
    kindMissing: query.type.kinds.length > 0 && feature(best, 'answerType') <= 0 ? 1 : 0,
    words: Math.min(query.terms.length, 4) / 4,
    side: feature(best, 'side'),
    names: feature(best, 'names'),
    confirmed: feature(best, 'confirmed'),
  };
  return CONFIDENCE_FEATURES.map((name) => values[name]);
}

/** Per-call answer settings: tuning overrides, and the confirmations of the asker's community. */
export type AnswerRequest = Partial<AnswerOptions> & { readonly learned?: Learned };

export function createAnswerer(
  context: SearchContext,
  defaults: AnswerOptions,
  model: RankerModel,
) {
  const { sentences, articles } = context;

  /**
   * Stage 5: the sentences to show. Maximal marginal relevance: each next
   * sentence must be relevant and add something the ones before do not say;
   * near-identical sentences (the same report in several articles) join the
   * item they copy as further sources instead.
   */
  function select(
    ranked: readonly ScoredCandidate[],
    options: AnswerOptions,
    query?: AnalysedQuestion,
    /** The first candidate is the community's confirmed answer: it stays first. */
    confirmedFirst = false,
  ): { items: AnswerItem[]; leads: ScoredCandidate[]; short?: string } {
    const best = ranked[0];
    if (!best) return { items: [], leads: [] };
    // A confirmed answer stays first (it may score below others); the rest are chosen for
    // relevance and what they add.
    const groups: { lead: ScoredCandidate; members: ScoredCandidate[] }[] = confirmedFirst
      ? [{ lead: best, members: [best] }]
      : [];
    const pool = confirmedFirst ? ranked.slice(1) : [...ranked];
    const relevance = (c: ScoredCandidate) => Math.exp(c.score - best.score);
    while (pool.length > 0 && groups.length < options.limit) {
      let pick = 0;
      let pickValue = -Infinity;
      for (const [i, candidate] of pool.entries()) {
        // A copy joins its item as a further source (below); a restatement in other
        // words ("agreed to swap 1,000 prisoners" after "…to exchange 1,000 prisoners")
        // would only say the same thing twice.
        const restates = groups.some(
          (g) => jaccard(g.lead.terms, candidate.terms) >= options.diversity.restatement,
        );
        if (restates) continue;
        const redundancy = Math.max(
          0,
          ...groups.map((g) => jaccard(g.lead.terms, candidate.terms)),
        );
        const value =
          options.diversity.relevance * relevance(candidate) -
          (1 - options.diversity.relevance) * redundancy;
        if (value > pickValue) {
          pickValue = value;
          pick = i;
        }
      }
      if (pickValue === -Infinity) break;
      const [candidate] = pool.splice(pick, 1) as [ScoredCandidate];
      if (groups.length > 0 && relevance(candidate) < options.minRelativeScore) break;
      groups.push({ lead: candidate, members: [candidate] });
    }
    // Copies of a shown sentence, anywhere in the ranking, are its further sources.
    for (const candidate of ranked) {
      const group = groups.find(
        (g) =>
          g.lead !== candidate && jaccard(g.lead.terms, candidate.terms) >= options.mergeSimilarity,
      );
      if (group && !group.members.includes(candidate)) group.members.push(candidate);
    }
    // The phrase that answers, in every shown sentence; the first one's is the short answer.
    const answering = groups.map(({ lead }) =>
      query
        ? shortAnswer(query, context.facts(lead.id), sentences[lead.id]!.text, context)
        : undefined,
    );
    return {
      items: groups.map(({ lead, members }, i) => toItem(lead, members, answering[i])),
      leads: groups.map(({ lead }) => lead),
      ...(answering[0] && { short: answering[0].text }),
    };
  }

  function toItem(
    lead: ScoredCandidate,
    members: readonly ScoredCandidate[],
    answering?: ShortAnswer,
  ): AnswerItem {
    const sources: Citation[] = [];
    for (const { id } of members) {
      const article = articles.get(sentences[id]!.articleId);
      if (article && !sources.some((s) => s.id === article.id)) sources.push(citationOf(article));
    }
    const sentence = sentences[lead.id]!;
    return {
      text: sentence.text,
      score: round(lead.score),
      coverage: round(feature(lead, 'coverage')),
      key: sentence.key,
      sources,
      context: {
        ...(sentence.previous !== undefined && { before: sentence.previous }),
        ...(sentence.next !== undefined && { after: sentence.next }),
      },
      ...(answering && { highlight: [answering.start, answering.end] as const }),
      ...(sentence.caption && { caption: true as const }),
    };
  }

  /**
   * Related questions the articles answer, for a question they do not: from
   * the closest sentences sharing enough of the question's own words, each
   * sentence's topic as a question ("What do the articles say about the
   * second round of talks?"), with the sentence that answers it. Nothing
   * related, no suggestions — never the member's own text "corrected".
   */
  function relatedQuestions(
    query: AnalysedQuestion,
    ranked: readonly ScoredCandidate[],
    options: AnswerOptions,
  ): RelatedQuestion[] {
    // Only words the member typed count: a "corrected" word (paris → parties) is a guess.
    const typed = query.terms.filter((term) => term.credit === 1);
    const total = query.terms.reduce((sum, term) => sum + term.weight, 0);
    const typedCoverage = (candidate: ScoredCandidate) =>
      typed.reduce((sum, term) => sum + (candidate.terms.has(term.term) ? term.weight : 0), 0) /
      (total || 1);
    const suggestions: RelatedQuestion[] = [];
    // Closely related first; when nothing is, anything sharing a word the member typed —
    // a member told "not found" should always get somewhere to go next.
    for (const minCoverage of [options.suggestions.minCoverage, Number.MIN_VALUE]) {
      for (const candidate of ranked.slice(0, 10)) {
        if (suggestions.length >= options.suggestions.limit) break;
        if (sentences[candidate.id]!.caption) continue;
        if (typedCoverage(candidate) < minCoverage) continue;
        const topic = topicOf(candidate, new Set(typed.map((term) => term.term)));
        if (!topic) continue;
        const question = `What do the articles say about ${topic}?`;
        if (!suggestions.some((s) => s.question.toLowerCase() === question.toLowerCase())) {
          suggestions.push({ question, key: sentences[candidate.id]!.key });
        }
      }
      if (suggestions.length > 0) break;
    }
    return suggestions;
  }

  /**
   * The noun phrase around the sentence's first word that the question shares
   * ("the second round of talks" for "third round"): the run of content words
   * holding it, an "of" phrase after it, and "the" before it unless it starts
   * with a name or a number.
   */
  function topicOf(candidate: ScoredCandidate, shared: ReadonlySet<string>): string | undefined {
    const { pipeline } = context;
    const words = sentences[candidate.id]!.text.split(/\s+/);
    const termsOf = (word: string) => pipeline.terms(word, 'document');
    const anchor = words.findIndex((word) => termsOf(word).some((term) => shared.has(term)));
    if (anchor === -1) return undefined;
    const bare = (i: number) => (words[i] ?? '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}%]+$/gu, '');
    const endsClause = (i: number) => /[,.;:!?)"”]$/.test(words[i] ?? '');
    // The sentence's verbs (read at index time) end a topic: not "Russia currently holds".
    const verbs = new Set(
      context
        .facts(candidate.id)
        .structure.clauses.flatMap((clause) => (clause.verb === undefined ? [] : [clause.verb])),
    );
    /** A word that can sit inside a noun phrase: a content word, not a verb form. */
    const nominal = (i: number) =>
      i >= 0 &&
      i < words.length &&
      termsOf(words[i]!).length > 0 &&
      !termsOf(words[i]!).some((term) => verbs.has(term)) &&
      !/^(?:without|against|not|no|never|nor)$/i.test(bare(i)) &&
      !/^[\p{Ll}][\p{L}-]*(?:ed|ing)$/u.test(bare(i));
    let from = anchor;
    while (from > anchor - 2 && nominal(from - 1) && !endsClause(from - 1)) from -= 1;
    let to = anchor;
    while (to < anchor + 2 && !endsClause(to) && nominal(to + 1)) to += 1;
    // "round of peace talks": an "of" phrase completes the topic, up to three words.
    if (!endsClause(to) && /^(?:of|for|on|over)$/i.test(words[to + 1] ?? '')) {
      let end = to + 1;
      while (end < to + 4 && nominal(end + 1)) {
        end += 1;
        if (endsClause(end)) break;
      }
      if (end > to + 1) to = end;
    }
    const phrase = words
      .slice(from, to + 1)
      .join(' ')
      .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}%]+$/gu, '');
    if (phrase.length === 0) return undefined;
    const named =
      /^[\p{Lu}\p{N}]/u.test(phrase) || /^(?:the|a|an|this|these|their|its)\b/i.test(phrase);
    const topic = named ? phrase : `the ${phrase}`;
    // The whole question stays within a button label (80 characters).
    return topic.length <= 45 ? topic : undefined;
  }

  /**
   * Shown sentences that other articles report with different numbers or
   * dates (among the closest candidates, merged copies included): each
   * becomes one "sources differ" note listing every version with its source.
   */
  function disagreementsAmong(
    leads: readonly ScoredCandidate[],
    ranked: readonly ScoredCandidate[],
    options: AnswerOptions,
  ): Disagreement[] {
    const reported = (c: ScoredCandidate) => ({
      articleId: sentences[c.id]!.articleId,
      text: sentences[c.id]!.text,
      terms: c.terms,
    });
    const nearby = ranked.slice(0, options.disagreement.candidates);
    const found: Disagreement[] = [];
    const seen = new Set<string>();
    for (const lead of leads) {
      const versions = [lead];
      for (const other of nearby) {
        if (versions.some((v) => sentences[v.id]!.articleId === sentences[other.id]!.articleId))
          continue;
        if (disagree(reported(lead), reported(other), options.disagreement)) {
          versions.push(other);
        }
      }
      const pair = versions
        .map((v) => v.id)
        .sort((x, y) => x - y)
        .join(' ');
      if (versions.length > 1 && !seen.has(pair)) {
        seen.add(pair);
        found.push({
          versions: versions.map((v) => ({
            text: sentences[v.id]!.text,
            values: valuesAsWritten(sentences[v.id]!.text),
            sources: toItem(v, [v]).sources,
          })),
        });
      }
    }
    return found;
  }

  /**
   * One sentence as an answer item, with its copies in other articles as
   * further sources: for buttons pressed later and for a previewed sentence
   * the member picked. Found by asking the sentence itself, whatever the
   * decision on that "question" would be.
   */
  function explainSentence(id: number): AnswerItem | undefined {
    const sentence = sentences[id];
    if (!sentence) return undefined;
    const { ranked } = scoreCandidates(sentence.text, context, defaults, model);
    const lead = ranked.find((candidate) => candidate.id === id) ?? {
      id,
      features: RANK_FEATURES.map(() => 0),
      score: 0,
      terms: distinctTerms(context.index.sentenceTerms, id),
    };
    const copies = ranked.filter(
      (candidate) =>
        candidate.id !== id && jaccard(lead.terms, candidate.terms) >= defaults.mergeSimilarity,
    );
    return toItem(lead, [lead, ...copies]);
  }

  function answer(rawQuestion: string, request: AnswerRequest = {}): Answer {
    const { learned, ...overrides } = request;
    const options = Object.keys(overrides).length > 0 ? { ...defaults, ...overrides } : defaults;
    const question = rawQuestion.replace(/\s+/g, ' ').trim();
    const { query, ranked, matches } = scoreCandidates(
      question.slice(0, options.maxQuestionLength),
      context,
      options,
      model,
      learned,
    );
    const confidence =
      ranked.length === 0
        ? 0
        : sigmoid(linearScore(model.confidence, confidenceFeatures(query, ranked)));

    // Stage 6: decide. A best sentence the community confirmed for a question this close
    // (the same question, in practice) is confident whatever the model says.
    const firstKey = ranked[0] && sentences[ranked[0].id]!.key;
    const confirmation = firstKey !== undefined ? matches.right.get(firstKey) : undefined;
    const sure =
      (confirmation?.similarity ?? 0) >= model.thresholds.confirmed ||
      (firstKey !== undefined && matches.lookup?.confirmation.sentenceKey === firstKey);

    if (confidence < model.thresholds.uncertain && !sure) {
      const suggestions = relatedQuestions(query, ranked, options);
      return {
        question,
        answered: false,
        confidence: round(confidence),
        answers: [],
        ...(suggestions.length > 0 && { suggestions }),
      };
    }
    const lookedUp =
      firstKey !== undefined && matches.lookup?.confirmation.sentenceKey === firstKey;
    const { items, leads, short } = select(ranked, options, query, lookedUp);
    const disagreements = disagreementsAmong(leads, ranked, options);
    // A photo caption answers only as a last resort: never confidently, never unasked —
    // unless the community confirmed it for this question.
    const uncertain =
      !sure && (confidence < model.thresholds.confident || items[0]?.caption === true);
    // A confident answer whose first sentence the community confirmed says so.
    const confirmedBy =
      !uncertain && leads[0] ? matches.right.get(sentences[leads[0].id]!.key) : undefined;
    return {
      question,
      answered: true,
      ...(uncertain && { uncertain: true as const }),
      confidence: round(confidence),
      ...(short !== undefined && { short }),
      answers: items,
      ...(confirmedBy && {
        confirmed: {
          id: confirmedBy.confirmation.id,
          question: confirmedBy.confirmation.question,
          how: confirmedBy.confirmation.how,
        },
      }),
      ...(disagreements.length > 0 && { disagreements }),
    };
  }

  return { answer, explainSentence };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
