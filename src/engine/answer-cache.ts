/**
 * Recent answers, so a channel asking the same things again and again is
 * answered from memory: a bounded least-recently-used map per community
 * (its confirmed answers change what is right) and per call options, keyed
 * by the question with its spacing normalised. An engine is one knowledge
 * version, so a knowledge change starts with an empty cache; a change of a
 * community's confirmations brings a new `Learned`, and with it a new cache.
 */
import { NOTHING_LEARNED, type Learned } from '../search/answer/learned.ts';
import type { Answer } from '../search/types.ts';

/** A Map used as an LRU: a hit moves its entry to the end, the oldest goes first. */
class Recent<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.set(key, value);
    if (this.entries.size > this.limit) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}

/** `limit` answers per community (a few MB at 1,000); 0 keeps none. */
export function createAnswerCache(limit: number) {
  const byCommunity = new WeakMap<Learned, Recent<Answer>>();
  return function cached(
    question: string,
    options: object,
    learned: Learned | undefined,
    compute: () => Answer,
  ): Answer {
    if (limit === 0) return compute();
    const community = learned ?? NOTHING_LEARNED;
    let recent = byCommunity.get(community);
    if (!recent) byCommunity.set(community, (recent = new Recent(limit)));
    const key = `${JSON.stringify(options)}\n${question.replace(/\s+/g, ' ').trim()}`;
    const hit = recent.get(key);
    if (hit) return hit;
    const answer = compute();
    recent.set(key, answer);
    return answer;
  };
}
