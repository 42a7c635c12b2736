// Node baseline for benches/decode.rs: decodes a BPJS response body the way a Node client
// does (JSON.parse, Base64, AES-256-CBC with Node's crypto, npm lz-string, JSON.parse) and
// prints median milliseconds as JSON: {"full_ms", "lz_ms", "items"}.
// Usage: node node_decode.mjs BODY_FILE CONSID SECRET TIMESTAMP ITERATIONS
// lz-string is resolved from ../tests/node (run `npm install --prefix crates/bpjs/tests/node`).
import { createDecipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/node/package.json', import.meta.url));
const LZString = require('lz-string');

const [file, consid, secret, timestamp, iterationsArg] = process.argv.slice(2);
const iterations = Number(iterationsArg ?? 5);
const body = readFileSync(file, 'utf8');

function decrypt(b64) {
  const key = createHash('sha256').update(consid + secret + timestamp, 'utf8').digest();
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  return Buffer.concat([decipher.update(Buffer.from(b64, 'base64')), decipher.final()]).toString('utf8');
}

function decodeBody(text) {
  const env = JSON.parse(text);
  const json = LZString.decompressFromEncodedURIComponent(decrypt(env.response));
  return JSON.parse(json);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm up the JIT once on the real input.
let items = decodeBody(body).length;
const lzInput = decrypt(JSON.parse(body).response);
LZString.decompressFromEncodedURIComponent(lzInput);

const full = [];
const lz = [];
for (let i = 0; i < iterations; i++) {
  let t = process.hrtime.bigint();
  items = decodeBody(body).length;
  full.push(Number(process.hrtime.bigint() - t) / 1e6);
  t = process.hrtime.bigint();
  LZString.decompressFromEncodedURIComponent(lzInput);
  lz.push(Number(process.hrtime.bigint() - t) / 1e6);
}
process.stdout.write(JSON.stringify({ full_ms: median(full), lz_ms: median(lz), items }));
