// npm run bench:classify: µs per classification, over the payload corpus and over the typical
// small failures a run meets. Never run by npm test. The corpus is the test fixture; this script
// only reads it to have real inputs to time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyErrorUnmemoised } from '../src/classify/classify-error.js';
import { classifyError, type ClassifyContext } from '../src/classify/index.js';
import { repositoryRoot } from './harness/repository-root.js';
import { median } from './harness/stats.js';

interface Entry { provider: string; status: number | null; headers: Record<string, string>; body: unknown }
interface Input { err: unknown; ctx: ClassifyContext }

const now = () => 1_800_000_000_000;
const corpus = JSON.parse(readFileSync(join(repositoryRoot(), 'test/fixtures/error-payloads.json'), 'utf8')) as Entry[];
const corpusInputs: Input[] = corpus.map((p) => ({
  err: p.status === null ? { headers: p.headers, body: p.body } : { status: p.status, headers: p.headers, body: p.body },
  ctx: { provider: p.provider, now },
}));

/** What a failing run typically throws, as clients throw it. */
const typical: Record<string, Input> = {
  'a 429 JSON of ~200 bytes': {
    err: {
      status: 429,
      headers: { 'retry-after': '20', 'content-type': 'application/json' },
      body: '{"error":{"message":"Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 1500.","type":"tokens","code":"rate_limit_exceeded"}}',
    },
    ctx: { provider: 'openai', now },
  },
  'a 503 HTML page from a proxy': {
    err: {
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    },
    ctx: { provider: 'deepseek', now },
  },
  'a Node network error (fetch failed, ECONNRESET)': {
    err: Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read', errno: -104 }),
    }),
    ctx: { provider: 'anthropic', now },
  },
};

/** µs per classification: the inputs classified `passes` times per round, median of `rounds` rounds after a warm-up. */
function usPerClassification(inputs: readonly Input[], passes: number, rounds: number, classify = classifyError): number {
  let sink = 0;
  const pass = () => {
    for (const x of inputs) sink += classify(x.err, x.ctx).reason.length;
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
const rounds = quick ? 3 : 11;
const line = (label: string, us: number) => console.log(`${label.padEnd(52)} ${us.toFixed(2).padStart(8)} µs per classification`);
console.log(`classifyError (node ${process.version}, median of ${rounds} rounds)`);
// The same failure seen again is matched once (the memo): the first figure of each pair is a
// failure seen before, the second the work of one never seen.
line(`corpus: ${corpusInputs.length} payloads, one after another`, usPerClassification(corpusInputs, quick ? 2 : 20, rounds));
line(`  the same, unmemoised`, usPerClassification(corpusInputs, quick ? 2 : 20, rounds, classifyErrorUnmemoised));
for (const [label, input] of Object.entries(typical)) {
  line(label, usPerClassification([input], quick ? 2_000 : 20_000, rounds));
  line(`  the same, unmemoised`, usPerClassification([input], quick ? 2_000 : 20_000, rounds, classifyErrorUnmemoised));
}
