/**
 * Short-lived choices waiting for a button press (a preview waiting for Add or
 * Cancel). The button carries only the short random id; the value stays here,
 * in memory, until it is taken or expires. A restart forgets them, and the
 * buttons then say the preview expired.
 */
import { randomBytes } from 'node:crypto';

export interface PendingStore<T> {
  /** Keeps `value` and returns its id (11 URL-safe characters). */
  put(value: T): string;
  /** The value, if it is still waiting; it stays until taken or expired. */
  peek(id: string): T | undefined;
  /** The value, once: a second take (a double click) gets nothing. */
  take(id: string): T | undefined;
}

export function createPendingStore<T>(
  options: { ttlMs?: number; max?: number; now?: () => number } = {},
): PendingStore<T> {
  const { ttlMs = 15 * 60_000, max = 100, now = Date.now } = options;
  const items = new Map<string, { value: T; expires: number }>();
  const sweep = () => {
    const time = now();
    for (const [id, item] of items) if (item.expires <= time) items.delete(id);
    // Oldest first (Map keeps insertion order): memory stays bounded.
    while (items.size >= max) items.delete(items.keys().next().value!);
  };
  const live = (id: string) => {
    const item = items.get(id);
    if (!item) return undefined;
    if (item.expires <= now()) {
      items.delete(id);
      return undefined;
    }
    return item;
  };
  return {
    put(value) {
      sweep();
      const id = randomBytes(8).toString('base64url');
      items.set(id, { value, expires: now() + ttlMs });
      return id;
    },
    peek: (id) => live(id)?.value,
    take(id) {
      const item = live(id);
      items.delete(id);
      return item?.value;
    },
  };
}
