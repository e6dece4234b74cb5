/**
 * Stage 1 of answering: the question analysed once — its terms (through the
 * same pipeline as the articles, misspellings corrected against the corpus),
 * how much each weighs, what each may match besides itself, and what kind of
 * answer the question wants.
 */
import { isDictionaryWord } from './dictionary.ts';
import { inverseDocumentFrequency } from '../index/sentence-index.ts';
import { questionType, type QuestionType } from './answer-type.ts';
import { ordinalsIn } from './ordinals.ts';
import { meaningVector } from './meaning-vector.ts';
import { wordVectors } from '../index/semantic.ts';
import type { AnswerOptions } from './options.ts';
import type { SearchContext } from '../index/search-context.ts';
import { readQuestion, type QuestionReading } from '../read/binding.ts';
import { lexiconOf } from '../read/lexicon.ts';
import { tagSentence } from '../read/tagger.ts';

export interface QueryTerm {
  /** The index term (stemmed). */
  readonly term: string;
  /** The word as the member typed it (lowercase), or its correction. */
  readonly surface: string;
  /** IDF, doubled for a name the articles never mention. */
  readonly weight: number;
  /** Weight of a match on this term; below 1 for spelling corrections. */
  readonly credit: number;
  /** Vocabulary synonyms that may stand in for it, at `synonymCredit`. */
  readonly synonyms: readonly string[];
  /** Index terms near it in meaning, with their cosine (none for names and numbers). */
  readonly related: ReadonlyMap<string, number>;
  /** Every index term's closeness in meaning to it (a graded signal, not a match). */
  readonly closeness: ReadonlyMap<string, number>;
  /** A name: written capitalised in the articles, or unknown and not an English word. */
  readonly isName: boolean;
  /** Whether any sentence contains it. */
  readonly known: boolean;
}

export interface AnalysedQuestion {
  readonly text: string;
  readonly terms: readonly QueryTerm[];
  /** What kind of answer it asks for (a date for "when"…), from its wording. */
  readonly type: QuestionType;
  /** Index terms of the subject of "what is X" / "who is X", heaviest first. */
  readonly subjectTerms: readonly string[];
  /** Its words' meaning as one vector (meaning-vector.ts). */
  readonly meaning: Float32Array | undefined;
  /** Ordinals the question names ("second" in "the second round"). */
  readonly ordinals: ReadonlySet<string>;
  /** Its structure: which round, which side, which verb it asks about (read/binding.ts). */
  readonly reading: QuestionReading;
  /** "who is X" / "what does X do": wants the sentence that says what X is. */
  readonly asksWhoIs: boolean;
  /** "according to…", "what did X say": wants a sentence attributing a view. */
  readonly asksAttribution: boolean;
  /** The question with misspelled words replaced, when any were. */
  readonly corrected?: string;
}

/** Spelling tolerance grows with word length; short words are too easy to "correct" wrongly. */
function maxEditDistance(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 5) return 1;
  return 0;
}

const WHO_IS =
  /\b(?:who(?:'s| is| was| are)|what(?:'s|s| does| did| is| was) \S+(?: \S+)? (?:do|job|role|position|title)|role of|job of|position of)\b/i;
const ATTRIBUTION =
  /\b(?:according to|say|says|said|saying|think|thinks|thought|believe|claim|claimed|view|opinion|react|reaction|respond|response|describe|described|call(?:ed)? it|analysts?|experts?|officials?)\b/i;

export function analyseQuestion(
  question: string,
  { index, pipeline, semantic }: SearchContext,
  options: AnswerOptions,
): AnalysedQuestion {
  /**
   * The most common corpus term within spelling distance of `term`, if any.
   * Only a word that is no English word is a misspelling: "bread" is a real
   * word the articles do not use, not a typo of "break".
   */
  function correctSpelling(term: string, typed: string): string | undefined {
    const distance = maxEditDistance(typed);
    if (distance === 0 || /\p{N}/u.test(term) || isDictionaryWord(typed)) return undefined;
    let best: { term: string; distance: number; count: number } | undefined;
    for (const [candidate, count, d] of index.similarTerms(term, distance)) {
      if (!best || d < best.distance || (d === best.distance && count > best.count)) {
        best = { term: candidate, distance: d, count };
      }
    }
    return best?.term;
  }

  const terms = new Map<string, QueryTerm>();
  let corrected = question;
  let changed = false;
  for (const token of pipeline.tokenize(question)) {
    for (const processed of pipeline.processTerm(token, 'query')) {
      let term = processed;
      let credit = 1;
      let surface = pipeline.surfaceForm(token);
      const replacement = index.documentFrequency.has(term)
        ? undefined
        : correctSpelling(term, surface);
      if (replacement !== undefined) {
        term = replacement;
        credit = options.correctedTermCredit;
        surface = index.displayWordOf(replacement) ?? replacement;
        corrected = corrected.replace(token, surface);
        changed = true;
      }
      if (terms.has(term)) continue;
      const known = index.documentFrequency.has(term);
      const isName =
        !/\p{N}/u.test(term) && (known ? index.nameWords.has(surface) : !isDictionaryWord(surface));
      const weight =
        inverseDocumentFrequency(index, term) * (!known && isName ? options.unknownNameWeight : 1);
      terms.set(term, {
        term,
        surface,
        weight,
        credit,
        synonyms: pipeline.synonymsOf(term),
        related: isName ? new Map() : semantic.related(surface),
        closeness: isName ? new Map() : semantic.closeness(surface),
        isName,
        known,
      });
    }
  }
  const type = questionType(question);
  const weightOf = (term: string) => terms.get(term)?.weight ?? 0;
  const subjectTerms = type.subject
    ? [...new Set(pipeline.terms(type.subject, 'query'))]
        .filter((term) => terms.has(term))
        .sort((a, b) => weightOf(b) - weightOf(a))
    : [];
  return {
    text: question,
    terms: [...terms.values()],
    type,
    subjectTerms,
    meaning: meaningVector(
      [...terms.values()].map((term) => term.surface),
      wordVectors(),
    ),
    ordinals: ordinalsIn(question),
    reading: readQuestion(tagSentence(question), lexiconOf(pipeline)),
    asksWhoIs: WHO_IS.test(question),
    asksAttribution: ATTRIBUTION.test(question),
    ...(changed && { corrected }),
  };
}
