// Reads [{consid, secret, timestamp, plaintext}] as JSON on stdin and writes
// [{signature, lz, ciphertext}] on stdout, using npm lz-string and Node's crypto only.
// A case {decompress: "..."} instead yields {units: [UTF-16 code units] | null, threw: bool}:
// what decompressFromEncodedURIComponent makes of arbitrary input.
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import LZString from 'lz-string';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));

function decompressCase(input) {
  try {
    const s = LZString.decompressFromEncodedURIComponent(input);
    if (s === null) return { units: null, threw: false };
    const units = [];
    for (let i = 0; i < s.length; i++) units.push(s.charCodeAt(i));
    return { units, threw: false };
  } catch {
    return { units: null, threw: true };
  }
}

const out = cases.map(({ consid, secret, timestamp, plaintext, decompress }) => {
  if (decompress !== undefined) return decompressCase(decompress);
  const signature = createHmac('sha256', secret).update(`${consid}&${timestamp}`).digest('base64');
  const key = createHash('sha256').update(consid + secret + timestamp, 'utf8').digest();
  const iv = key.subarray(0, 16);
  const lz = LZString.compressToEncodedURIComponent(plaintext);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(lz, 'utf8'), cipher.final()]).toString('base64');
  return { signature, lz, ciphertext };
});
process.stdout.write(JSON.stringify(out));
