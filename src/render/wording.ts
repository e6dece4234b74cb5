/** Sentences every renderer says the same way, so Discord and the console agree. */

/** Above passages that may not answer the question (the "uncertain" outcome). */
export const UNCERTAIN_NOTE = 'These passages may answer it:';

/** Beside a sentence that is a photo's caption, not the article's prose. */
export const CAPTION_NOTE = 'photo caption';

/** Above the related questions offered when the articles do not answer. */
export const RELATED_QUESTIONS_NOTE = 'The articles do answer these related questions';

/** What members see on an answer the server confirmed, by how it was confirmed. */
export function confirmedNote(how: 'pin' | 'teach' | 'votes'): string {
  return how === 'votes'
    ? "✓ confirmed by this server's members"
    : "✓ confirmed by this server's moderators";
}

/** The same in the terminal, where confirmations are the local ones. */
export const LOCAL_CONFIRMED_NOTE =
  '✓ a confirmed answer (npm run knowledge -- learned lists them)';
