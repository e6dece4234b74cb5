/**
 * Deterministic synthetic news corpora for the benchmark.
 *
 * Articles are built from the real articles in knowledge/: their sentences are
 * templates whose content words are swapped for (a) the same words, (b) the
 * article's own topic words, (c) real corpus words by frequency or (d) words of
 * a Zipf–Mandelbrot-distributed vocabulary (the `word-list` dictionary in a
 * seeded rank order, plus generated proper names), so that sentence shapes and
 * lengths are real and the number of distinct terms grows with the corpus like
 * real news (Heaps' law). Bodies carry what pasted news carries: the headline
 * repeated, section headings, photo credits with captions, "Related:" lines, an
 * occasional ad and repeated paragraphs; some sentences are wire copy shared by
 * many articles. The five real articles are always part of the corpus, so the
 * golden questions have their answers in it.
 *
 * The knowledge base is built exactly as `loadKnowledge` builds it (same
 * vocabulary file, `createTermPipeline`, `sentencesOf`), minus the file reads.
 * Everything is seeded: no Math.random.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eng as englishStopWords } from 'stopword';
import wordListPath from 'word-list';
import { parse as parseYaml } from 'yaml';
import { loadKnowledge, sentencesOf, type KnowledgeBase } from '../src/knowledge/load.ts';
import type { Article, KnowledgeProblem, Sentence } from '../src/knowledge/types.ts';
import { loadVocabulary, VOCABULARY_FILE } from '../src/knowledge/vocabulary.ts';
import { createTermPipeline } from '../src/search/index/terms.ts';

export const KNOWLEDGE_DIR = fileURLToPath(new URL('../knowledge', import.meta.url));
export const GOLDEN_FILE = fileURLToPath(
  new URL('../tests/golden/questions.yaml', import.meta.url),
);

// ---------------------------------------------------------------------------
// Randomness

/** A seeded PRNG (mulberry32): fast, 32-bit state, good enough for test data. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A new PRNG whose sequence depends on this one's seed and `salt` only. */
  static derive(seed: number, salt: number): Random {
    return new Random(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt, 0xc2b2ae35));
  }
}

/** Samples from a discrete distribution given by (unnormalised) weights. */
export class Weighted {
  private readonly cumulative: Float64Array;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      total += weights[i]!;
      this.cumulative[i] = total;
    }
  }

  /** An index, with probability proportional to its weight. */
  sample(rng: Random): number {
    const c = this.cumulative;
    const target = rng.next() * c[c.length - 1]!;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Zipf–Mandelbrot over ranks 0…n-1: p(r) ∝ 1 / (r + 1 + q)^s. */
export function zipf(n: number, s: number, q: number): Weighted {
  const weights = new Float64Array(n);
  for (let r = 0; r < n; r++) weights[r] = 1 / Math.pow(r + 1 + q, s);
  return new Weighted(weights);
}

// ---------------------------------------------------------------------------
// Source material from the real articles

const STOP_WORDS: ReadonlySet<string> = new Set([
  ...englishStopWords,
  'said',
  'says',
  'also',
  'would',
  'could',
  'will',
]);

/** Word pieces (odd indexes after `split`) and the text between them (even indexes). */
const WORD = /(\p{L}[\p{L}\p{M}'’-]*|\p{N}(?:[\p{N},.]*\p{N})?)/u;
const SENTENCE_END = /[.!?…]["'”’»)\]]*$/u;
const AGENCIES = ['Reuters', 'AFP', 'AP', 'Getty Images', 'Anadolu', 'EPA', 'Bloomberg'];

interface Material {
  readonly realArticles: readonly Article[];
  readonly realSentences: readonly string[];
  /** Real sentences split by WORD: words at odd indexes. */
  readonly sentenceTemplates: readonly string[][];
  readonly titleTemplates: readonly string[][];
  readonly headings: readonly string[];
  /** Real content words (lowercase) and a sampler by their frequency. */
  readonly realWords: readonly string[];
  readonly realWordSampler: Weighted;
  /** Dictionary words in a seeded rank order (short words tend to rank high). */
  readonly dictionary: readonly string[];
  readonly dictionarySampler: Weighted;
  readonly surnames: readonly string[];
  readonly surnameSampler: Weighted;
  readonly firstNames: readonly string[];
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Pronounceable made-up names ("Varenko", "Dushimov"): proper nouns no dictionary knows. */
function makeNames(rng: Random, count: number, endings: readonly string[]): string[] {
  const onsets = ['b', 'd', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'sh', 'kh', 'ch'];
  const more = ['br', 'kr', 'dr', 'st', 'gr', 'y', 'h', 'f', 'g', 'j', 'zh', 'tr', 'sl', 'vl'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'a', 'o', 'e', 'ia', 'ei', 'ou', 'y'];
  const names = new Set<string>();
  while (names.size < count) {
    let name = '';
    const syllables = rng.int(1, 3);
    for (let i = 0; i < syllables; i++) {
      name += rng.pick(rng.chance(0.7) ? onsets : more) + rng.pick(vowels);
    }
    name += rng.pick(endings);
    if (name.length >= 4) names.add(capitalize(name));
  }
  return [...names];
}

function loadMaterial(real: KnowledgeBase): Material {
  const rng = new Random(0x5eed);
  const realSentences = real.sentences.map((s) => s.text);

  const titles = real.articles.map((a) => a.title);
  const headings = new Set<string>();
  for (const article of real.articles) {
    for (const raw of article.body.split(/\r?\n/)) {
      const line = raw.trim();
      if (line.length < 4 || line.length > 60 || SENTENCE_END.test(line)) continue;
      if (line.includes('/') || /^related/i.test(line) || titles.includes(line)) continue;
      headings.add(line);
    }
  }

  const counts = new Map<string, number>();
  for (const text of realSentences) {
    for (const word of text.split(WORD).filter((_, i) => i % 2 === 1)) {
      // Only words written in lowercase: names stay names.
      if (word.length > 3 && !STOP_WORDS.has(word) && /^\p{Ll}+$/u.test(word)) {
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
  }
  const realWords = [...counts.keys()].sort();

  // The dictionary as a Zipf vocabulary: a seeded order in which words of
  // typical content-word length (5–8 letters) tend to come first.
  const dictionary = readFileSync(wordListPath, 'utf8')
    .split('\n')
    .filter((w) => /^[a-z]{3,14}$/.test(w) && !STOP_WORDS.has(w))
    .map((w) => ({ w, key: Math.max(0, Math.abs(w.length - 6.5) - 1.5) + rng.next() * 5 }))
    .sort((a, b) => a.key - b.key || (a.w < b.w ? -1 : 1))
    .map(({ w }) => w);

  const surnameEndings = ['enko', 'ov', 'ova', 'sky', 'ski', 'ian', 'ez', 'escu', 'ic', 'uk', 'in'];
  const placeEndings = ['grad', 'burg', 'sk', 'ia', 'istan', 'ovo', 'polis', 'abad', 'heim', ''];
  const surnames = [
    ...makeNames(rng, 25_000, surnameEndings),
    ...makeNames(rng, 15_000, placeEndings),
  ];
  // Interleave people and places in rank order, deterministically.
  for (let i = surnames.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [surnames[i], surnames[j]] = [surnames[j]!, surnames[i]!];
  }

  return {
    realArticles: real.articles,
    realSentences,
    sentenceTemplates: realSentences.map((s) => s.split(WORD)),
    titleTemplates: [...titles, ...[...headings].filter((h) => h.split(' ').length >= 4)].map((t) =>
      t.split(WORD),
    ),
    headings: [...headings],
    realWords,
    realWordSampler: new Weighted(realWords.map((w) => counts.get(w)!)),
    dictionary,
    dictionarySampler: zipf(dictionary.length, 1.07, 30),
    surnames,
    surnameSampler: zipf(surnames.length, 1.0, 5),
    firstNames: makeNames(rng, 600, ['', 'a', 'o', 'iy', 'an', 'el']),
  };
}

// ---------------------------------------------------------------------------
// Articles

interface ArticleContext {
  readonly rng: Random;
  readonly topicWords: readonly string[];
  readonly topicNames: readonly string[];
}

class ArticleWriter {
  /** Sentences that many articles share verbatim (agency copy). */
  private readonly wire: readonly string[];

  constructor(
    private readonly m: Material,
    seed: number,
  ) {
    const rng = Random.derive(seed, 0x1e1e);
    const context = this.context(rng);
    this.wire = Array.from({ length: 3000 }, () => this.sentence(context));
  }

  context(rng: Random): ArticleContext {
    const topicWords = Array.from({ length: 8 }, (_, i) =>
      i < 2 ? this.realWord(rng) : this.dictionaryWord(rng),
    );
    const topicNames = Array.from({ length: 3 }, () => this.surname(rng));
    return { rng, topicWords, topicNames };
  }

  private realWord(rng: Random): string {
    return this.m.realWords[this.m.realWordSampler.sample(rng)]!;
  }

  private dictionaryWord(rng: Random): string {
    return this.m.dictionary[this.m.dictionarySampler.sample(rng)]!;
  }

  private surname(rng: Random): string {
    return this.m.surnames[this.m.surnameSampler.sample(rng)]!;
  }

  private number(rng: Random, like: string): string {
    if (/^(?:19|20)\d\d$/.test(like)) return String(rng.int(1991, 2025));
    if (like.includes(',')) return rng.int(1_000, 250_000).toLocaleString('en-US');
    if (like.includes('.')) return `${rng.int(1, 99)}.${rng.int(0, 9)}`;
    const digits = like.replace(/\D/g, '').length;
    return String(rng.int(digits <= 1 ? 1 : 10 ** (digits - 1), 10 ** digits - 1));
  }

  /** One template filled in: some words kept, the rest swapped as described above. */
  private fill(template: readonly string[], ctx: ArticleContext): string {
    const { rng } = ctx;
    const out = template.slice();
    let first = true;
    for (let i = 1; i < out.length; i += 2) {
      const word = template[i]!;
      const initial = first;
      first = false;
      if (/^\p{N}/u.test(word)) {
        if (rng.chance(0.6)) out[i] = this.number(rng, word);
        continue;
      }
      const lower = word.toLowerCase();
      if (word.length <= 3 || STOP_WORDS.has(lower) || /^[A-Z]{2,6}$/.test(word)) continue;
      if (/^\p{Lu}/u.test(word) && !initial) {
        // A proper noun: keep the real name sometimes, otherwise an article or corpus name.
        if (rng.chance(0.35)) continue;
        out[i] = rng.chance(0.5) ? rng.pick(ctx.topicNames) : this.surname(rng);
        continue;
      }
      const r = rng.next();
      let replacement: string;
      if (r < 0.35) continue;
      else if (r < 0.55) replacement = rng.pick(ctx.topicWords);
      else if (r < 0.7) replacement = this.realWord(rng);
      else replacement = this.dictionaryWord(rng);
      out[i] = initial || /^\p{Lu}/u.test(word) ? capitalize(replacement) : replacement;
    }
    return out.join('');
  }

  sentence(ctx: ArticleContext): string {
    return this.fill(ctx.rng.pick(this.m.sentenceTemplates), ctx);
  }

  title(ctx: ArticleContext): string {
    return this.fill(ctx.rng.pick(this.m.titleTemplates), ctx).replace(/[.!?…\s]+$/u, '');
  }

  private heading(ctx: ArticleContext): string {
    const { rng } = ctx;
    if (rng.chance(0.5)) return rng.pick(this.m.headings);
    const words = Array.from({ length: rng.int(2, 4) }, (_, i) =>
      i === 0 ? capitalize(rng.pick(ctx.topicWords)) : this.dictionaryWord(rng),
    );
    return words.join(' ');
  }

  private person(ctx: ArticleContext): string {
    return `${ctx.rng.pick(this.m.firstNames)} ${this.surname(ctx.rng)}`;
  }

  /** A synthetic article of 15–40 prose sentences, laid out like pasted news. */
  article(index: number, seed: number): Article {
    const rng = Random.derive(seed, index + 1);
    const ctx = this.context(rng);
    const title = this.title(ctx);
    // A few articles are about the real story and reuse its wire sentences verbatim.
    const onStory = rng.chance(0.03);
    const nextSentence = () => {
      if (onStory && rng.chance(0.5)) return rng.pick(this.m.realSentences);
      if (rng.chance(0.05)) return rng.pick(this.wire);
      return this.sentence(ctx);
    };

    const lines: string[] = [];
    if (rng.chance(0.5)) lines.push(title);
    if (rng.chance(0.3)) lines.push(nextSentence());
    const paragraphs: string[] = [];
    let sentences = 0;
    const target = rng.int(15, 40);
    while (sentences < target) {
      if (paragraphs.length > 0 && rng.chance(0.2)) lines.push(this.heading(ctx));
      if (rng.chance(0.08)) {
        const caption = this.sentence(ctx);
        if (rng.chance(0.5)) lines.push(caption);
        lines.push(`${this.person(ctx)}/${rng.pick(AGENCIES)}`, caption);
      }
      if (paragraphs.length > 2 && rng.chance(0.05)) {
        lines.push(rng.pick(paragraphs)); // the copy-paste repeated a paragraph
        continue;
      }
      const count = Math.min(rng.int(1, 4), target - sentences);
      const paragraph = Array.from({ length: count }, nextSentence).join(' ');
      paragraphs.push(paragraph);
      lines.push(paragraph);
      sentences += count;
    }
    if (rng.chance(0.08)) {
      const [a, b, c] = [0, 1, 2].map(() => capitalize(this.dictionaryWord(rng)));
      lines.push(
        `${a} & ${b} – Be ready for anything — check out trusted ${c} for everyday carry.`,
      );
    }
    for (let i = rng.int(0, 3); i > 0; i--) lines.push(`Related: ${this.title(ctx)}`);

    const id = `syn_${String(index).padStart(6, '0')}`;
    return { id, file: `${id}.md`, title, body: lines.join(rng.chance(0.5) ? '\n\n' : '\n') };
  }
}

// ---------------------------------------------------------------------------
// The corpus

export interface CorpusStats {
  readonly articles: number;
  readonly realArticles: number;
  readonly sentences: number;
  /** Words in the indexed sentences. */
  readonly words: number;
  /** Characters of all article bodies. */
  readonly bodyChars: number;
  readonly problems: number;
  /** Generating the article objects. */
  readonly generateMs: number;
  /** Articles → sentences (`sentencesOf`, as `loadKnowledge` does it). */
  readonly prepareMs: number;
}

export interface Corpus {
  readonly knowledge: KnowledgeBase;
  readonly stats: CorpusStats;
}

/** N articles (the real ones first), loaded the way `loadKnowledge` loads them. */
export async function buildCorpus(articleCount: number, seed: number): Promise<Corpus> {
  const real = await loadKnowledge(KNOWLEDGE_DIR);
  const material = loadMaterial(real);

  let start = performance.now();
  const writer = new ArticleWriter(material, seed);
  const realArticles = material.realArticles.slice(0, articleCount);
  const all: Article[] = [...realArticles];
  for (let i = all.length; i < articleCount; i++) all.push(writer.article(i, seed));
  const generateMs = performance.now() - start;

  // From here on this is loadKnowledge's loop, minus reading files.
  start = performance.now();
  const vocabulary = await loadVocabulary(join(KNOWLEDGE_DIR, VOCABULARY_FILE));
  const pipeline = createTermPipeline(vocabulary);
  const articles: Article[] = [];
  const problems: KnowledgeProblem[] = [];
  const sentences: Sentence[] = [];
  for (const article of all) {
    const articleSentences = sentencesOf(article, pipeline, sentences.length);
    if (articleSentences.length === 0) {
      problems.push({ file: article.file, problem: 'has no complete sentences to answer from' });
      continue;
    }
    articles.push(article);
    for (const s of articleSentences) sentences.push(s);
  }
  const prepareMs = performance.now() - start;

  let words = 0;
  for (const s of sentences) words += s.text.split(' ').length;
  return {
    knowledge: { articles, sentences, problems, vocabulary, pipeline },
    stats: {
      articles: articles.length,
      realArticles: realArticles.length,
      sentences: sentences.length,
      words,
      bodyChars: all.reduce((sum, a) => sum + a.body.length, 0),
      problems: problems.length,
      generateMs,
      prepareMs,
    },
  };
}

/** The prepared corpus as one JSON file, so a second process need not prepare it again. */
interface SavedCorpus {
  readonly stats: CorpusStats;
  readonly articles: readonly Article[];
  /** [id, key, articleId, paragraph, text]; neighbours are rebuilt on load. */
  readonly sentences: readonly (readonly [number, string, string, number, string])[];
}

export function saveCorpus(corpus: Corpus, path: string): void {
  const { articles, sentences } = corpus.knowledge;
  const saved: SavedCorpus = {
    stats: corpus.stats,
    articles,
    sentences: sentences.map((s) => [s.id, s.key, s.articleId, s.paragraph, s.text] as const),
  };
  writeFileSync(path, JSON.stringify(saved));
}

/**
 * Reads a corpus written by `saveCorpus`. Sentences get the same shape as
 * `sentencesOf` gives them: `previous`/`next` are the neighbouring sentences'
 * own strings (shared, not copies), within the same article.
 */
export async function loadSavedCorpus(path: string): Promise<Corpus> {
  const saved = JSON.parse(readFileSync(path, 'utf8')) as SavedCorpus;
  const vocabulary = await loadVocabulary(join(KNOWLEDGE_DIR, VOCABULARY_FILE));
  const pipeline = createTermPipeline(vocabulary);
  const rows = saved.sentences;
  const sentences: Sentence[] = rows.map(([id, key, articleId, paragraph, text], i) => {
    const previous = rows[i - 1]?.[2] === articleId ? rows[i - 1]![4] : undefined;
    const next = rows[i + 1]?.[2] === articleId ? rows[i + 1]![4] : undefined;
    return {
      id,
      key,
      articleId,
      paragraph,
      text,
      ...(previous !== undefined && { previous }),
      ...(next !== undefined && { next }),
    };
  });
  return {
    knowledge: { articles: saved.articles, sentences, problems: [], vocabulary, pipeline },
    stats: saved.stats,
  };
}

// ---------------------------------------------------------------------------
// Questions

export interface Workload {
  /** Full questions for answer() / search(). */
  readonly questions: readonly string[];
  /** Partly typed questions for suggest() / autoSuggest(). */
  readonly partials: readonly string[];
  readonly mix: {
    readonly golden: number;
    readonly fromSentences: number;
    readonly offTopic: number;
  };
}

interface GoldenQuestions {
  readonly answerable: readonly string[];
  readonly offTopic: readonly string[];
}

export function loadGoldenQuestions(file = GOLDEN_FILE): GoldenQuestions {
  const data = parseYaml(readFileSync(file, 'utf8')) as {
    answerable?: { q?: unknown }[];
    offTopic?: { q?: unknown }[];
  };
  const strings = (items: unknown[]) => items.filter((x): x is string => typeof x === 'string');
  return {
    answerable: strings((data.answerable ?? []).map((item) => item.q)),
    offTopic: strings((data.offTopic ?? []).map((item) => item.q)),
  };
}

// prettier-ignore
const OFF_TOPIC_WORDS = [
  'recipe', 'pizza', 'guitar', 'football', 'laptop', 'keyboard', 'garden', 'tomato', 'yoga',
  'python', 'javascript', 'css', 'netflix', 'movie', 'anime', 'playlist', 'concert', 'hiking',
  'bicycle', 'coffee', 'espresso', 'puppy', 'kitten', 'aquarium', 'marathon', 'chess', 'poker',
  'sneakers', 'skincare', 'haircut', 'mortgage', 'taxes', 'wifi', 'router', 'printer',
  'minecraft', 'fortnite', 'pokemon', 'basketball', 'tennis', 'golf', 'cricket', 'baking',
  'sourdough', 'vegan', 'smoothie', 'camping', 'fishing', 'photography', 'piano', 'violin',
  'karaoke', 'podcast', 'blender', 'laundry', 'plumbing', 'carpet', 'wallpaper', 'spotify',
];
const OFF_TOPIC_TEMPLATES = [
  'how do i fix my {a}',
  'best {a} for {b}',
  '{a} vs {b} which is better',
  '{a} price rn',
  'can someone recommend a {a} and a {b}',
  'where can i buy a cheap {a}',
  'is {a} good with {b}',
];
const QUESTION_STARTS = [
  'what about',
  'who',
  'when did',
  'why did',
  'how many',
  'tell me about',
  'what did',
  'where',
  'is it true that',
  'what happened with',
];

/** A typo as members make them: two neighbouring letters swapped. */
function withTypo(rng: Random, word: string): string {
  if (word.length < 6) return word;
  const i = rng.int(1, word.length - 3);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

/** A keyword question made from a random sentence of the corpus. */
function questionFromSentence(rng: Random, sentences: readonly Sentence[]): string | undefined {
  const text = rng.pick(sentences).text;
  const words = text
    .split(WORD)
    .filter((piece, i) => i % 2 === 1 && piece.length >= 4 && !STOP_WORDS.has(piece.toLowerCase()));
  if (words.length < 2) return undefined;
  const k = rng.int(2, Math.min(5, words.length));
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rng.int(0, words.length - 1));
  let picked = [...chosen].sort((a, b) => a - b).map((i) => words[i]!);
  if (rng.chance(0.85)) picked = picked.map((w) => w.toLowerCase());
  if (rng.chance(0.1)) {
    const j = rng.int(0, picked.length - 1);
    picked[j] = withTypo(rng, picked[j]!);
  }
  const question = picked.join(' ');
  return rng.chance(0.5) ? `${rng.pick(QUESTION_STARTS)} ${question}` : question;
}

/**
 * `count` questions: 20% the golden set's answerable questions (about the real
 * articles), 60% keyword questions from random corpus sentences (with the odd
 * typo), 20% off-topic (the golden set's and generated ones). Partial inputs
 * are the same questions cut at a random point.
 */
export function makeWorkload(
  knowledge: Pick<KnowledgeBase, 'sentences'>,
  golden: GoldenQuestions,
  count: number,
  seed: number,
): Workload {
  const rng = Random.derive(seed, 0x9a9a);
  const questions: string[] = [];
  const mix = { golden: 0, fromSentences: 0, offTopic: 0 };
  while (questions.length < count) {
    const r = rng.next();
    if (r < 0.2 && golden.answerable.length > 0) {
      questions.push(rng.pick(golden.answerable));
      mix.golden += 1;
    } else if (r < 0.8) {
      const q = questionFromSentence(rng, knowledge.sentences);
      if (q === undefined) continue;
      questions.push(q);
      mix.fromSentences += 1;
    } else {
      if (rng.chance(0.5) && golden.offTopic.length > 0) questions.push(rng.pick(golden.offTopic));
      else {
        const [a, b] = [rng.pick(OFF_TOPIC_WORDS), rng.pick(OFF_TOPIC_WORDS)];
        questions.push(rng.pick(OFF_TOPIC_TEMPLATES).replace('{a}', a).replace('{b}', b));
      }
      mix.offTopic += 1;
    }
  }
  const partials = questions.map((q) => q.slice(0, rng.int(1, q.length)));
  return { questions, partials, mix };
}
