// npm run bench:classify: µs per classification over the payload corpus. Never run by npm test.
// The corpus is the test fixture; this script only reads it to have real inputs to time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyError } from '../src/classify/index.js';
import { repositoryRoot } from './harness/repository-root.js';
import { median } from './harness/stats.js';

interface Entry { provider: string; status: number | null; headers: Record<string, string>; body: unknown }

const corpus = JSON.parse(readFileSync(join(repositoryRoot(), 'test/fixtures/error-payloads.json'), 'utf8')) as Entry[];
const inputs = corpus.map((p) => ({
  err: p.status === null ? { headers: p.headers, body: p.body } : { status: p.status, headers: p.headers, body: p.body },
  ctx: { provider: p.provider, now: () => 1_800_000_000_000 },
}));

/** µs per classification: the whole corpus classified `passes` times per round, median of `rounds` rounds after a warm-up. */
function usPerClassification(passes: number, rounds: number): number {
  let sink = 0;
  const pass = () => {
    for (const x of inputs) sink += classifyError(x.err, x.ctx).reason.length;
  };
  for (let i = 0; i < passes; i++) pass();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < passes; i++) pass();
    samples.push(((performance.now() - start) * 1000) / (passes * inputs.length));
  }
  if (sink === 0) throw new Error('no classification happened');
  return median(samples);
}

const quick = process.argv.includes('--quick');
const us = usPerClassification(quick ? 2 : 20, quick ? 3 : 11);
console.log(`classifyError over ${inputs.length} corpus payloads: ${us.toFixed(2)} µs per classification (median of ${quick ? 3 : 11} rounds)`);
