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
console.log(`wrong terminal verdicts: ${wrongTerminal.length}${wrongTerminal.length ? ` (${wrongTerminal.map((r) => r.p.id).join(', ')})` : ''}`);
for (const m of missesOf(results)) {
  console.log(`  ${m.id}: expected ${m.expected.reason}/${m.expected.scope}, got ${m.got.reason}/${m.got.scope}`);
}
