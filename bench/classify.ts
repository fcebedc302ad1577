// npm run bench:classify — µs per classification over the payload corpus. Never run by npm test.
// The corpus is the test fixture; this script only reads it to have real inputs to time.
import { readFileSync } from 'node:fs';
import { classifyError } from '../src/classify/index.js';
import { usPerOp } from './measure.js';

interface Entry { provider: string; status: number | null; headers: Record<string, string>; body: unknown }

const corpus = JSON.parse(readFileSync(new URL('../test/fixtures/error-payloads.json', import.meta.url), 'utf8')) as Entry[];
const inputs = corpus.map((p) => ({
  err: p.status === null ? { headers: p.headers, body: p.body } : { status: p.status, headers: p.headers, body: p.body },
  ctx: { provider: p.provider, now: () => 1_800_000_000_000 },
}));

async function main() {
  let i = 0;
  const us = await usPerOp(() => {
    const x = inputs[i++ % inputs.length]!;
    return classifyError(x.err, x.ctx);
  }, inputs.length * 20);
  console.log(`classifyError over ${inputs.length} corpus payloads: ${us.toFixed(2)} µs per classification (median of 5 rounds)`);
}

void main();
