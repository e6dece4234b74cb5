/**
 * What the bot remembers between restarts, whatever keeps it (SQLite in
 * DATA_DIR by default, or a shared PostgreSQL): which channels answer
 * questions automatically, members' votes on answers, which messages were
 * already answered, and the answers each community confirmed. Asynchronous,
 * because a shared database is across a network; every write that must hold
 * across instances (one vote per member, one answer per message) is atomic in
 * the database itself.
 */
import { hash } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { Confirmation, ConfirmedHow, Verdict } from '../search/answer/learned.ts';

export type Vote = 'up' | 'down';

export interface VoteInput {
  /** The bot's answer message being voted on. */
  readonly messageId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly userId: string;
  /** The question the answer was for, as asked. */
  readonly question: string;
  /** The answer's sentences, kept so a bad answer can be looked at later. */
  readonly sentences: readonly string[];
  readonly vote: Vote;
  /** Whether the voter may moderate answers (Manage Messages): their 👎 marks it wrong. */
  readonly moderator?: boolean;
  /** The answer's first sentence key: what enough 👍 confirm. */
  readonly firstKey?: string;
}

/** The votes on one answer message. */
export interface VoteTally {
  readonly up: number;
  readonly down: number;
  readonly moderatorUp: boolean;
  readonly moderatorDown: boolean;
}

/** 'recorded': first vote; 'changed': up ↔ down; 'unchanged': the same vote again. */
export type VoteOutcome = 'recorded' | 'changed' | 'unchanged';

export interface FeedbackTotals {
  readonly up: number;
  readonly down: number;
  /** Distinct answers that received at least one vote. */
  readonly answers: number;
}

export interface UnhelpfulQuestion {
  readonly question: string;
  readonly down: number;
  readonly up: number;
}

/** The scope of the local console and `npm run ask` / `npm run knowledge`. */
export const LOCAL_SCOPE = 'local';

/** Confirmations one community may hold; past it, forget some first. */
export const MAX_CONFIRMATIONS = 5_000;

export interface ConfirmationInput {
  readonly scope: string;
  readonly question: string;
  readonly sentenceKey: string;
  /** The sentence as it reads now, kept to list it once the articles change. */
  readonly sentence: string;
  readonly verdict: Verdict;
  readonly how: ConfirmedHow;
  readonly byUserId?: string;
  readonly byName?: string;
  /** The answer message it came from (a pin or votes), if any. */
  readonly messageId?: string;
}

export interface StoredConfirmation extends Confirmation {
  readonly scope: string;
  readonly sentence: string;
  readonly byUserId?: string;
  readonly byName?: string;
  readonly messageId?: string;
  /** ms since the epoch. */
  readonly createdAt: number;
  /** How many later questions it answered first (its sentence given first and labelled). */
  readonly answered: number;
  /** The last of them, and when (ms since the epoch). */
  readonly lastQuestion?: string;
  readonly lastAnsweredAt?: number;
}

export type ConfirmOutcome =
  | { readonly ok: true; readonly id: number; readonly created: boolean }
  | { readonly ok: false; readonly reason: 'full' };

/**
 * Confirmed answers, per community ("scope": a server's id, or LOCAL_SCOPE):
 * a question and the sentence that answers it (or that does not, "wrong"),
 * who confirmed it and how. One verdict per (scope, question, sentence):
 * confirming again replaces it.
 */
export interface Confirmations {
  /** Records a verdict, replacing an earlier one for the same question and sentence. */
  confirm(input: ConfirmationInput): Promise<ConfirmOutcome>;
  /** Moves a confirmation to another sentence (a moderator picking the answer's second sentence). */
  changeSentence(
    scope: string,
    id: number,
    sentenceKey: string,
    sentence: string,
  ): Promise<boolean>;
  list(scope: string): Promise<StoredConfirmation[]>;
  get(scope: string, id: number): Promise<StoredConfirmation | undefined>;
  forget(scope: string, id: number): Promise<boolean>;
  /**
   * A later question was answered with this confirmation's sentence first.
   * Counted for moderators (`/answers learned`); not a change of the
   * confirmations themselves (version() stays).
   */
  recordAnswer(scope: string, id: number, question: string): Promise<void>;
  /** The confirmation made from an answer message for its question, if any. */
  fromMessage(scope: string, messageId: string): Promise<StoredConfirmation | undefined>;
  /**
   * Changes whenever any instance changed the confirmations (cheap, no round
   * trip): what cached analyses of them compare.
   */
  version(): string;
}

/** What a member saw for a question the bot could not answer well. */
export type GapOutcome = 'not-found' | 'uncertain';

/**
 * A question members asked that got "not found" or only passages that may
 * answer it: what moderators could teach. Near-identical questions share a
 * key (the engine's reading of the question) and are counted together. No
 * user id is kept.
 */
export interface Gap {
  readonly key: string;
  /** The latest wording asked. */
  readonly question: string;
  readonly outcome: GapOutcome;
  /** The first sentence shown (uncertain), if any. */
  readonly shown?: string;
  readonly asked: number;
  readonly firstAt: number;
  readonly lastAt: number;
}

/** Gaps kept per community, and for how long (README, "How the bot learns"). */
export const MAX_GAPS = 200;
export const GAP_DAYS = 30;

export interface Gaps {
  /** Counts one more asking; keeps at most MAX_GAPS per scope and none older than GAP_DAYS. */
  record(gap: {
    readonly scope: string;
    readonly key: string;
    readonly question: string;
    readonly outcome: GapOutcome;
    readonly shown?: string;
  }): Promise<void>;
  /** Most asked first, then most recent. */
  list(scope: string, limit?: number): Promise<Gap[]>;
  forget(scope: string, key: string): Promise<boolean>;
}

/** A question not asked again for this long is forgotten (its old answers then confirm nothing). */
export const QUESTION_DAYS = 365;
/** Old questions are looked for at most this often per process. */
export const QUESTION_PRUNE_EVERY_MS = 3_600_000;

/**
 * The id an answer's buttons carry for its question: 12 characters of the
 * question's hash, the same for the same text (store.questions keeps the text).
 */

export function questionId(question: string): string {
  return hash('sha256', question, 'base64url').slice(0, 12);
}

/** Questions differing only in case, spacing or end punctuation are one question. */
export function questionKey(question: string): string {
  return question
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.]+$/, '')
    .trim();
}

/** One file of the knowledge folder (an article, or vocabulary.yaml), as shared by instances. */
export interface KnowledgeFile {
  readonly name: string;
  readonly content: string;
}

/**
 * The knowledge folder kept in the shared database (PostgreSQL only), so every
 * instance answers from the same articles. Each instance builds its index
 * from a local copy of these files; a change made by any instance is
 * announced to all of them.
 */
export interface SharedKnowledge {
  /**
   * Imports these files when the database holds none yet (the first instance
   * ever to start, with KNOWLEDGE_DIR as the seed); returns how many it imported.
   */
  seed(files: readonly KnowledgeFile[]): Promise<number>;
  files(): Promise<KnowledgeFile[]>;
  /** Adds a file unless one of that name exists (two instances adding the same article add it once). */
  add(file: KnowledgeFile): Promise<boolean>;
  remove(name: string): Promise<boolean>;
  /** Calls back whenever any instance (this one included) changed the files; returns how to stop. */
  onChange(listener: () => void): () => void;
}

/** Item keys remembered per feed (newest kept): an item seen once is never fetched again. */
export const MAX_SEEN_ITEMS = 2_000;

/** A feed to follow, as a moderator or the operator asked for it. */
export interface FeedInput {
  /** The feed's address, as given (after the checks of adding by link). */
  readonly url: string;
  /** Words an item must contain to be added; none: the knowledge's topic decides. */
  readonly match?: string;
  /** Where it was followed, so a feed that keeps failing can be reported there. */
  readonly guildId?: string;
  readonly channelId?: string;
  readonly userId?: string;
}

/** A followed feed and what its polls found. Times are ms since the epoch. */
export interface StoredFeed extends FeedInput {
  readonly id: number;
  readonly createdAt: number;
  /** The feed's own title, once read. */
  readonly title?: string;
  /** Validators for the next conditional request (If-None-Match / If-Modified-Since). */
  readonly etag?: string;
  readonly lastModified?: string;
  readonly lastPollAt?: number;
  /** When an item of it last became an article. */
  readonly lastNewAt?: number;
  /** When it is due again (backoff after errors pushes it out). */
  readonly nextPollAt: number;
  /** Failed polls in a row; 0 after a good one. */
  readonly failures: number;
  readonly lastError?: string;
  /** Set when it kept failing and is no longer polled; following it again resumes it. */
  readonly pausedAt?: number;
  /** Articles added from it, and items skipped (off-topic, not matching, refused). */
  readonly added: number;
  readonly skipped: number;
  /** The last added article that said nothing the others had not ("Nothing new beyond …"). */
  readonly lastNothingNew?: string;
}

/** What one poll changes on a feed; fields left out stay as they are. */
export interface FeedPollUpdate {
  readonly polledAt: number;
  readonly nextPollAt: number;
  readonly failures: number;
  /** null clears it. */
  readonly lastError?: string | null;
  readonly title?: string;
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  readonly paused?: boolean;
  readonly lastNewAt?: number;
  readonly lastNothingNew?: string;
  /** Added to the counts. */
  readonly addedCount?: number;
  readonly skippedCount?: number;
}

/**
 * The feeds the knowledge follows (one list for the whole bot, as the
 * articles are), and the items already seen in each.
 */
export interface Feeds {
  /**
   * Follows a feed. The same address again returns the feed already
   * followed (created: false), resumed if it was paused, with the new words.
   */
  follow(input: FeedInput): Promise<{ readonly created: boolean; readonly feed: StoredFeed }>;
  /** Oldest first. */
  list(): Promise<StoredFeed[]>;
  get(id: number): Promise<StoredFeed | undefined>;
  /** Stops following it and forgets its seen items; false when there is no such feed. */
  unfollow(id: number): Promise<boolean>;
  /**
   * The right to poll this feed for the next `ms` — true for one holder at a
   * time across every instance sharing the store (a holder may renew its own).
   */
  lease(id: number, holder: string, ms: number): Promise<boolean>;
  /** Gives the lease back early (after a poll). */
  release(id: number, holder: string): Promise<void>;
  update(id: number, update: FeedPollUpdate): Promise<void>;
  /** Of these item keys, the ones already seen in this feed. */
  seen(id: number, keys: readonly string[]): Promise<Set<string>>;
  /** Remembers these keys as seen now; keeps the newest MAX_SEEN_ITEMS per feed. */
  markSeen(id: number, keys: readonly string[]): Promise<void>;
  /**
   * True only for the first call after the feed was paused (across instances):
   * the moderators are told once. Following it again re-arms it.
   */
  claimPauseNotice(id: number): Promise<boolean>;
}

/** One sentence of a new article that no earlier article says, with its key for citing. */
export interface NewSentence {
  readonly key: string;
  readonly text: string;
}

/** An article a feed added, and what it adds: what servers are told. */
export interface NewsInput {
  readonly articleId: string;
  readonly title: string;
  readonly publisher?: string;
  readonly published?: string;
  readonly url?: string;
  readonly feedId?: number;
  /** Most informative first; empty when it adds nothing new (nothing is posted). */
  readonly sentences: readonly NewSentence[];
}

export interface StoredNews extends NewsInput {
  readonly id: number;
  readonly createdAt: number;
}

export interface News {
  record(input: NewsInput): Promise<StoredNews>;
  /** News recorded at or after `since` (ms), oldest first. */
  since(since: number): Promise<StoredNews[]>;
  /**
   * True only for the first claim of (news, guild), ever — across restarts and
   * every instance sharing the database — so a server is told once.
   */
  claim(newsId: number, guildId: string): Promise<boolean>;
  /** Gives a claim back after a post that failed for a passing reason: the next round tries again. */
  release(newsId: number, guildId: string): Promise<void>;
}

/** A server's news channel and since when (news older than that is not posted there). */
export interface NewsChannel {
  readonly guildId: string;
  readonly channelId: string;
  readonly since: number;
}

export interface Store {
  /** Where it is kept, for logs: a file, or the database's address without the password. */
  readonly location: string;
  readonly settings: {
    /** Channels of the guild where questions are answered automatically, oldest channel first. */
    qaChannels(guildId: string): Promise<string[]>;
    setQaChannel(guildId: string, channelId: string, enabled: boolean): Promise<void>;
    /** The channel where new articles are announced, if the server named one. */
    newsChannel(guildId: string): Promise<NewsChannel | undefined>;
    /** Names the news channel (since now), or with undefined stops the announcements. */
    setNewsChannel(guildId: string, channelId: string | undefined): Promise<void>;
    /** Every server's news channel. */
    newsChannels(): Promise<NewsChannel[]>;
  };
  readonly feedback: {
    /** One vote per member and answer; voting again replaces the earlier vote. */
    vote(v: VoteInput): Promise<VoteOutcome>;
    totals(guildId: string): Promise<FeedbackTotals>;
    /** Questions with at least one down vote, most down votes first (then fewest up votes). */
    mostUnhelpful(guildId: string, limit?: number): Promise<UnhelpfulQuestion[]>;
    /** The current votes on one answer, one per member. */
    tally(messageId: string): Promise<VoteTally>;
  };
  readonly confirmations: Confirmations;
  /** Recent questions that were not answered well, per community (what to teach). */
  readonly gaps: Gaps;
  /** The articles, when the store is shared by instances (PostgreSQL); otherwise KNOWLEDGE_DIR holds them. */
  readonly knowledge?: SharedKnowledge;
  /**
   * The questions behind the bot's answer messages: an answer's buttons carry
   * the id (questionId), so a later pin or vote knows exactly what was asked.
   */
  readonly questions: {
    /**
     * Keeps `question` under its id (the same question, the same id), as of now;
     * questions not asked for QUESTION_DAYS are forgotten. Returns the id.
     */
    remember(question: string): Promise<string>;
    find(id: string): Promise<string | undefined>;
  };
  /** Followed feeds (knowledge/feeds: polling them). */
  readonly feeds: Feeds;
  /** Articles feeds added, and which servers were told. */
  readonly news: News;
  readonly autoAnswers: {
    /**
     * Marks a message as answered automatically. True only for the first
     * claim of a message, ever — across restarts, redeliveries and every
     * instance sharing the database — so the bot never answers it twice.
     */
    claim(messageId: string, guildId: string): Promise<boolean>;
  };
  /** Resolves when the database answers (readiness); rejects with why it does not. */
  ping(): Promise<void>;
  /** Closes the database; calling it again does nothing. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Clock in ms since the epoch; tests pass a fake one. */
  readonly now?: () => number;
  /** Where a shared database says it lost (and found again) its connection. */
  readonly logger?: Pick<Logger, 'warn' | 'info'>;
}
