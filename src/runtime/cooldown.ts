/**
 * Per-key cooldowns (a member, or a member in a channel): at most one use per
 * window. Memory stays bounded: expired entries are dropped as the map grows.
 */
export interface Cooldown {
  /** 0 when the use is allowed (and recorded); otherwise the milliseconds left to wait. */
  take(key: string): number;
}

export function createCooldown(seconds: number, now: () => number = Date.now): Cooldown {
  const windowMs = seconds * 1000;
  const lastUse = new Map<string, number>();
  return {
    take(key) {
      if (windowMs <= 0) return 0;
      const time = now();
      const last = lastUse.get(key);
      if (last !== undefined && time - last < windowMs) return windowMs - (time - last);
      if (lastUse.size > 10_000) {
        for (const [k, t] of lastUse) if (time - t >= windowMs) lastUse.delete(k);
      }
      lastUse.set(key, time);
      return 0;
    },
  };
}

/** "try again in 3 s" wording for a refusal. */
export function cooldownNotice(waitMs: number): string {
  return `Slow down a little: try again in ${Math.ceil(waitMs / 1000)} s.`;
}
