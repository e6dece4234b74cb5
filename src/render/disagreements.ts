/**
 * "Sources differ": the versions of one fact that articles report with
 * different numbers or dates, as lines every renderer shows the same way.
 */
import type { Answer } from '../search/types.ts';
import { describeCitation } from './citations.ts';

export const SOURCES_DIFFER = 'Sources differ';

/** One line per version: the values it states, then where it says so. */
export function disagreementLines(answer: Answer): string[] {
  return (answer.disagreements ?? []).flatMap((disagreement) =>
    disagreement.versions.map(
      (version) =>
        `• ${version.values.join(', ')} — ${version.sources.map(describeCitation).join('; ')}`,
    ),
  );
}
