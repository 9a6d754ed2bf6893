// Worker for bench/tokeniser-floor.ts: tokenises each text it is sent in one of three ways and replies
// with the token count. TypeScript sources load through tsx, as in app/text/worker-boot.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { register } from 'tsx/esm/api';

register();
const CHUNK = 20_000;
let read;
if (workerData.mode === 'stock') {
  // wink-nlp as shipped: sentence boundaries and POS only, its own (learning) lexicon.
  const require = createRequire(import.meta.url);
  const nlp = require('wink-nlp')(require('wink-eng-lite-web-model'), ['sbd', 'pos']);
  read = (text) => {
    let n = 0;
    for (let f = 0; f < text.length; f += CHUNK)
      n += nlp
        .readDoc(text.slice(f, f + CHUNK))
        .tokens()
        .length();
    return n;
  };
} else if (workerData.mode === 'wink') {
  // wink-nlp as Loupe opens it (app/text/wink.ts): deterministic, nothing done with the tokens.
  const { openWink } = await import('../app/text/wink.ts');
  const w = openWink();
  read = (text) => {
    let n = 0;
    for (let f = 0; f < text.length; f += CHUNK) n += w.read(text.slice(f, f + CHUNK)).numOfTokens;
    return n;
  };
} else {
  // Loupe's whole tokeniser: columns, lemmas, local tables (what a worker of the pool runs).
  const { tokenise } = await import('../app/text/tokenise.ts');
  read = (text) => tokenise(text).form.length;
}
parentPort.on('message', (text) => parentPort.postMessage(read(text)));
