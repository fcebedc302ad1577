import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { MEMO_BOUNDS } from '../../src/classify/classification-memo.js';
import { classificationMemo, classifyError, classifyErrorUnmemoised } from '../../src/classify/classify-error.js';
import type { ClassifyContext } from '../../src/classify/types.js';
import { asThrown, CORPUS_NOW } from './corpus.js';
import { loadPayloads } from './fixtures.js';

const PROVIDERS = ['openai', 'openai-codex', 'anthropic', 'google', 'aws-bedrock', 'openrouter', 'deepseek', 'groq', 'xai', 'nobody'];

/** Classified by the memo three times (a miss, then hits) and without it, each on its own clock. */
function agree(err: unknown, context: Omit<ClassifyContext, 'now'>, clocks: readonly number[]): void {
  for (const now of clocks) {
    const ctx = { ...context, now: () => now };
    expect(classifyError(err, ctx)).toStrictEqual(classifyErrorUnmemoised(err, ctx));
  }
}

const headerValue = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }).map(String),
  fc.constantFrom('6m0s', '1.5s', '20ms', '0', '1e400', '-5', 'NaN', 'Wed, 21 Oct 2015 07:28:00 GMT', '2026-05-18T22:00:45Z', '2030-01-01T00:00:00Z'),
  fc.string(),
);
const headerName = fc.constantFrom(
  'retry-after', 'Retry-After', 'retry-after-ms', 'x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens', 'x-ratelimit-remaining-tokens',
  'x-ratelimit-remaining-requests', 'anthropic-ratelimit-tokens-reset', 'anthropic-ratelimit-tokens-remaining', 'x-amzn-errortype', 'x-should-retry',
  'content-type', 'x-goog-api-client',
);
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 5 });
const words = fc.constantFrom(
  'Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 1500.',
  'The usage limit has been reached', 'Overloaded', 'Please try again in 22 seconds.', 'try again in 6m0s', 'You exceeded your current quota',
  'daily limit reached, resets at 2026-05-19T00:00:00Z', 'regain access on 2026-10-01 at 00:00 UTC', 'This model is currently overloaded',
  "This model's maximum context length is 8192 tokens", 'Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx', 'The operation was aborted',
  'fetch failed', 'read ECONNRESET', 'Service Unavailable', 'quota exceeded for quota metric', 'limit: 0', '',
);
const message = fc.oneof(words, fc.string(), fc.tuple(words, fc.string(), words).map(([a, b, c]) => `${a} ${b} ${c}`));
const code = fc.constantFrom('rate_limit_exceeded', 'usage_limit_reached', 'insufficient_quota', 'overloaded_error', 'RESOURCE_EXHAUSTED', 'ECONNRESET', 'context_length_exceeded', 'tokens', '429');
const bodyObject = fc.record(
  {
    error: fc.record({ message, type: code, code: fc.oneof(code, fc.integer({ min: 400, max: 599 })), resets_in_seconds: fc.integer({ min: 0, max: 90_000 }), retry_after_ms: fc.nat() }, { requiredKeys: [] }),
    message,
    detail: message,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(bodyObject, bodyObject.map((b) => JSON.stringify(b)), message, message.map((m) => `<html><head><title>${m}</title></head><body>${m}</body></html>`));
const thrown = fc.oneof(
  fc.record({ status: fc.integer({ min: 100, max: 599 }), headers, body, isRetryable: fc.boolean() }, { requiredKeys: [] }),
  fc.tuple(message, fc.record({ statusCode: fc.integer({ min: 400, max: 599 }), responseHeaders: headers, responseBody: body.map((b) => (typeof b === 'string' ? b : JSON.stringify(b))), isRetryable: fc.boolean() }, { requiredKeys: [] }), fc.constantFrom('Error', 'AI_APICallError', 'AbortError', 'TimeoutError'))
    .map(([m, fields, name]) => Object.assign(new Error(m), { name }, fields)),
  message,
  fc.anything(),
);
const clocks = fc.array(fc.integer({ min: 0, max: 4_000_000_000_000 }), { minLength: 3, maxLength: 3 });
const signal = fc.constantFrom('none', 'aborted', 'live');
const signalOf = (s: string): { signal?: AbortSignal } => (s === 'none' ? {} : { signal: s === 'aborted' ? AbortSignal.abort() : new AbortController().signal });

describe('the classification memo', () => {
  it('agrees with the unmemoised classifier on every payload of the corpus, seen again on other clocks', () => {
    for (const p of loadPayloads()) agree(asThrown(p), { provider: p.provider }, [CORPUS_NOW, CORPUS_NOW + 3_600_000, CORPUS_NOW - 86_400_000]);
  });

  test.prop([thrown, fc.option(fc.constantFrom(...PROVIDERS), { nil: undefined }), clocks, signal])(
    'a memoised classification equals the unmemoised one, for any failure, provider, clock and caller signal, however often it was seen',
    (err, provider, nows, s) => {
      agree(err, { ...(provider ? { provider } : {}), ...signalOf(s) }, nows);
    },
  );

  /** Failures that differ from each other in one thing the memo's key must tell apart. */
  const neighbours = (m: string, other: string): unknown[] => [
    { body: m },
    { body: m, isRetryable: false },
    { body: m, isRetryable: true },
    { status: 400, body: m },
    { status: 503, body: m },
    { status: 429, body: m, headers: { 'retry-after': '7' } },
    Object.assign(new Error(m), { name: 'RateLimitError' }),
    { code: 'RateLimitError', message: m },
    // a name no rule knows is no code; the same word as a code field is one
    Object.assign(new Error(m), { name: 'QuirkyGatewayError' }),
    { code: 'QuirkyGatewayError', message: m },
    { code: 'rate_limit_exceeded', type: 'RateLimitError', message: m },
    { message: m, detail: other },
    { message: other, detail: m },
    { message: `${m}${other}` },
    { headers: { 'anthropic-ratelimit-tokens-reset': '2026-05-18T22:00:45Z' }, body: m },
    { headers: { 'x-ratelimit-reset-tokens': '6m0s' }, body: m },
  ];
  test.prop([message, message, fc.func(fc.integer()), fc.option(fc.constantFrom(...PROVIDERS), { nil: undefined }), clocks])(
    'tells apart failures that differ only in status, retryable flag, code, name, text order or provider family',
    (m, other, order, provider, nows) => {
      const all = neighbours(m, other);
      const shuffled = all.map((err, i) => [order(i), err] as const).sort((a, b) => a[0] - b[0]).map(([, err]) => err);
      for (const err of shuffled) {
        agree(err, provider ? { provider } : {}, nows);
        agree(err, { provider: 'anthropic' }, nows);
      }
    },
  );

  test.prop([fc.array(fc.tuple(thrown, fc.constantFrom(...PROVIDERS)), { minLength: 1, maxLength: 30 })])(
    'stays within its bounds of entries and characters, whatever it is given',
    (failures) => {
      for (const [err, provider] of failures) classifyError(err, { provider, now: () => CORPUS_NOW });
      const { entries, chars } = classificationMemo().size;
      expect(entries).toBeLessThanOrEqual(MEMO_BOUNDS.entries);
      expect(chars).toBeLessThanOrEqual(MEMO_BOUNDS.chars);
    },
  );

  it('holds its bounds when every failure is new', () => {
    for (let i = 0; i < 3 * MEMO_BOUNDS.entries; i++) classifyError({ status: 429, body: { error: { message: `limit ${i} ${'x'.repeat(400)}` } } }, { now: () => CORPUS_NOW });
    const { entries, chars } = classificationMemo().size;
    expect(entries).toBeGreaterThan(0);
    expect(entries).toBeLessThanOrEqual(MEMO_BOUNDS.entries);
    expect(chars).toBeLessThanOrEqual(MEMO_BOUNDS.chars);
  });

  const key = fc.stringMatching(/^[A-Za-z0-9_-]{24,40}$/).map((s) => `sk-proj-${s}`);
  test.prop([key, fc.constantFrom(400, 401, 403, 429)])(
    'holds no API key a provider echoed: neither as a key nor in what it keeps',
    (secret, status) => {
      classifyError({ status, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${secret}`, code: 'invalid_api_key' } }) }, { provider: 'openai' });
      classifyError(new Error(`401 ${secret} rejected`), {});
      for (const s of classificationMemo().held()) expect(s).not.toContain(secret);
    },
  );
});
