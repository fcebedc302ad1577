// npm run bench:classify — µs per classification, over the payload corpus and over the typical
// small failures a run meets. Never run by npm test. The corpus is the test fixture; this script
// only reads it to have real inputs to time.
import { readFileSync } from 'node:fs';
import { classifyError, type ClassifyContext } from '../src/classify/index.js';
import { usPerOp } from './measure.js';

interface Entry { provider: string; status: number | null; headers: Record<string, string>; body: unknown }
interface Input { err: unknown; ctx: ClassifyContext }

const now = () => 1_800_000_000_000;
const corpus = JSON.parse(readFileSync(new URL('../test/fixtures/error-payloads.json', import.meta.url), 'utf8')) as Entry[];
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

async function time(label: string, inputs: readonly Input[], rounds: number): Promise<void> {
  let i = 0;
  const us = await usPerOp(() => {
    const x = inputs[i++ % inputs.length]!;
    return classifyError(x.err, x.ctx);
  }, rounds);
  console.log(`${label.padEnd(52)} ${us.toFixed(2).padStart(8)} µs per classification`);
}

async function main(): Promise<void> {
  console.log(`classifyError (node ${process.version}, median of 5 rounds)`);
  await time(`corpus: ${corpusInputs.length} payloads, one after another`, corpusInputs, corpusInputs.length * 20);
  for (const [label, input] of Object.entries(typical)) await time(label, [input], 20_000);
}

void main();
