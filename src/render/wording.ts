/** Sentences every renderer says the same way, so Discord and the console agree. */

/** Above passages that may not answer the question (the "uncertain" outcome). */
export const UNCERTAIN_NOTE = 'These passages may answer it:';

/** Above the related questions offered when the articles do not answer. */
export const RELATED_QUESTIONS_NOTE = 'The articles do answer these related questions';
