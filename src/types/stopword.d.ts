declare module 'stopword' {
  /** English stop words as published by the `stopword` package. */
  export const eng: string[];
}
