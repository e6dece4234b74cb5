/**
 * The second half of `npm run build`, after tsc: what the compiled code reads
 * beside itself that is not TypeScript (the fitted ranker, the word vectors),
 * and the engine sources' hash, so the compiled engine and the sources share
 * one index cache (engine/index-cache.ts). Plain JavaScript: it runs before
 * anything is compiled.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ASSETS = ['src/search/answer/ranker.json', 'src/search/index/word-vectors/word-vectors.bin'];

for (const asset of ASSETS) {
  const to = `${root}dist/${asset}`;
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(`${root}${asset}`, to);
}
const { engineSourceHash, ENGINE_CODE_HASH_FILE } = await import(
  `${root}dist/src/engine/index-cache.js`
);
const sources = ['knowledge', 'search', 'engine'].map((dir) => `${root}src/${dir}/`);
writeFileSync(ENGINE_CODE_HASH_FILE, await engineSourceHash(sources));
