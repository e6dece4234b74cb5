declare module 'wink-porter2-stemmer' {
  /** Porter2 ("English") stemmer: returns the stem of one lowercase word. */
  export default function stem(word: string): string;
}
