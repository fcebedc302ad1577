// Measures the classifier on a batch of labelled payloads it was not written against:
// npx tsx scripts/measure-held-out.ts test/fixtures/held-out-batch-<n>.json (the batch file, before it joins the corpus)
// Prints reason and scope accuracy, the wrong terminal verdicts (a run-ending bad_request/request or
// aborted where the label says another candidate would have served) and every miss.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyCorpus, missesOf } from '../test/classify/corpus.js';
import type { Payload } from '../test/classify/fixtures.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx scripts/measure-held-out.ts <payloads.json>');
  process.exit(2);
}
const payloads = JSON.parse(readFileSync(resolve(file), 'utf8')) as Payload[];
const results = classifyCorpus(payloads);
const pct = (n: number): string => `${((100 * n) / results.length).toFixed(1)} %`;

const terminal = (reason: string, scope: string): boolean => (reason === 'bad_request' && scope === 'request') || reason === 'aborted';
const wrongTerminal = results.filter(({ p, c }) => terminal(c.reason, c.scope) && !terminal(p.reason, p.scope));

console.log(`${results.length} payloads from ${new Set(payloads.map((p) => p.provider)).size} providers`);
console.log(`reason ${pct(results.filter((r) => r.reasonOk).length)}, scope ${pct(results.filter((r) => r.scopeOk).length)}, both ${pct(results.filter((r) => r.reasonOk && r.scopeOk).length)}`);
const labelledRetry = results.filter(({ p }) => p.retryable !== undefined);
if (labelledRetry.length) {
  const ok = labelledRetry.filter(({ p, c }) => c.retryable === p.retryable).length;
  console.log(`retryable ${((100 * ok) / labelledRetry.length).toFixed(1)} % of ${labelledRetry.length} labelled`);
}
const timed = results.filter(({ p }) => p.retryAfterMs !== undefined || p.neverFrees);
if (timed.length) {
  const ok = timed.filter(({ p, c }) => (p.neverFrees ? c.retryAfterMs === undefined : c.retryAfterMs === p.retryAfterMs)).length;
  console.log(`retry timing ${ok} of ${timed.length}`);
}
console.log(`wrong terminal verdicts: ${wrongTerminal.length}${wrongTerminal.length ? ` (${wrongTerminal.map((r) => r.p.id).join(', ')})` : ''}`);
for (const m of missesOf(results)) {
  console.log(`  ${m.id}: expected ${m.expected.reason}/${m.expected.scope}, got ${m.got.reason}/${m.got.scope}`);
}
for (const { p, c } of results) {
  if (p.retryable !== undefined && c.retryable !== p.retryable) console.log(`  retryable ${p.id}: expected ${p.retryable}, got ${c.retryable} (${c.reason}/${c.scope})`);
  if (p.retryAfterMs !== undefined && c.retryAfterMs !== p.retryAfterMs) console.log(`  timing ${p.id}: expected ${p.retryAfterMs}, got ${c.retryAfterMs}`);
  if (p.neverFrees && c.retryAfterMs !== undefined) console.log(`  timing ${p.id}: expected none, got ${c.retryAfterMs}`);
}
