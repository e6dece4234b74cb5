/**
 * How a reply reaches the member: the one decision, pure, for both
 * transports. Discord fixes a reply's visibility at the first response, and a
 * deferral's "thinking…" can only be edited into a message of the same
 * visibility; a reply of the other kind replaces the placeholder (delete it,
 * then follow up).
 */
import type { Visibility } from '../runtime/visibility.ts';
import type { Treatment } from './overload.ts';

/** The first response, before the work runs. */
export type Acknowledgement =
  /** Too late for any response to reach Discord in time: nothing is sent, nothing done. */
  | { readonly kind: 'drop' }
  /** Too late to do the work: a private "busy" note, nothing else. */
  | { readonly kind: 'busy' }
  /** Do the work, then reply with it. */
  | { readonly kind: 'reply' }
  /**
   * "Thinking…" first, of the visibility the reply most likely has; `yieldFirst`:
   * let the other waiting interactions be acknowledged before this work runs.
   */
  | { readonly kind: 'defer'; readonly visibility: Visibility; readonly yieldFirst: boolean };

/**
 * A slow command (re-indexing) may take longer than Discord's 3 s: deferred,
 * privately, as its replies (notes about knowledge changes) are. Past
 * capacity an interaction that waited is deferred publicly — most are
 * questions, whose answers are public — or, once too late, told "busy".
 */
export function acknowledgement(slow: boolean, treatment: Treatment): Acknowledgement {
  if (treatment === 'drop') return { kind: 'drop' };
  if (treatment === 'busy') return { kind: 'busy' };
  if (slow) return { kind: 'defer', visibility: 'private', yieldFirst: false };
  if (treatment === 'defer') return { kind: 'defer', visibility: 'public', yieldFirst: true };
  return { kind: 'reply' };
}

/** How the finished reply is delivered after the first response. */
export type Completion =
  /** Nothing sent yet: the reply is the first response. */
  | 'reply'
  /** The placeholder becomes the reply. */
  | 'edit'
  /** The placeholder's visibility is wrong for the reply: delete it, then follow up. */
  | 'replace';

export function completion(deferred: Visibility | undefined, reply: Visibility): Completion {
  if (deferred === undefined) return 'reply';
  return deferred === reply ? 'edit' : 'replace';
}
