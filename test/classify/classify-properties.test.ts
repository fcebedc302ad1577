import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type Classification, classifyError } from '../../src/classify/index.js';
import { isClassification } from '../../src/classify/is-classification.js';

const NOW = 1_800_000_000_000;
const context = { provider: 'openai', now: () => NOW };

function assertWellFormed(c: Classification): void {
  expect(isClassification(c)).toBe(true);
  expect(c.reason).not.toBe('interrupted');
  expect(c.message.length).toBeGreaterThan(0);
  expect(c.message.length).toBeLessThanOrEqual(500);
  if (c.retryAfterMs !== undefined) expect(c.resetAt).toBe(NOW + c.retryAfterMs);
}

const HEADER_NAMES = [
  'retry-after', 'Retry-After', 'retry-after-ms', 'x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens',
  'x-ratelimit-remaining-tokens', 'anthropic-ratelimit-tokens-reset', 'anthropic-ratelimit-tokens-remaining',
  'x-amzn-errortype', 'x-should-retry', 'content-type',
];
const headerValue = fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('6m0s', '1.5s', '0', 'Wed, 21 Oct 2015 07:28:00 GMT', '2026-05-18T22:00:45Z', 'NaN', '-5', '1e400'));
const headerRecord = fc.dictionary(fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string()), headerValue, { maxKeys: 8 });
/** Plain object, array of pairs, or a real Headers instance (which only takes valid names). */
const headers = fc.oneof(
  headerRecord,
  headerRecord.map((h) => Object.entries(h)),
  fc.dictionary(fc.constantFrom(...HEADER_NAMES), headerValue.filter((v) => /^[\x20-\x7e]*$/.test(v)), { maxKeys: 6 }).map((h) => new Headers(h)),
  fc.anything(),
);

const codes = fc.oneof(
  fc.constantFrom('ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'rate_limit_exceeded', 'usage_limit_reached', 'RESOURCE_EXHAUSTED', 'insufficient_quota', 'context_length_exceeded', '429'),
  fc.string(),
  fc.integer(),
);
const names = fc.constantFrom('Error', 'AbortError', 'TimeoutError', 'AI_APICallError', 'AI_RetryError', 'RateLimitError', 'ThrottlingException', 'TypeError');
const bodies = fc.oneof(
  fc.jsonValue(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.string().map((m) => `data: {"choices":[],"error":{"code":429,"message":${JSON.stringify(m)}}}\n\n`),
  fc.string().map((m) => `<!doctype html><html><head><title>${m}</title></head><body><h1>${m}</h1></body></html>`),
);

/** An error-like layer: an Error, an SDK-ish object, or an AI SDK-ish one, with random fields. */
const layer = fc.record(
  {
    message: fc.string(),
    name: names,
    status: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.string()),
    statusCode: fc.integer({ min: 100, max: 599 }),
    code: codes,
    headers,
    responseHeaders: headers,
    body: bodies,
    responseBody: fc.string(),
    isRetryable: fc.boolean(),
    error: fc.oneof(fc.jsonValue(), fc.string()),
  },
  { requiredKeys: [] },
);

/** A chain of layers linked by `cause` (or `error`, `errors`, `lastError`), sometimes cyclic. */
const chained = fc
  .tuple(fc.array(layer, { minLength: 1, maxLength: 6 }), fc.array(fc.constantFrom('cause', 'error', 'errors', 'lastError'), { minLength: 6, maxLength: 6 }), fc.boolean(), fc.boolean())
  .map(([layers, links, asErrors, cyclic]) => {
    const nodes: Array<Record<string, unknown>> = layers.map((l) => Object.assign(asErrors ? (new Error(l.message ?? '') as unknown as Record<string, unknown>) : {}, l));
    nodes.forEach((n, i) => {
      const next = nodes[i + 1] ?? (cyclic ? nodes[0] : undefined);
      const link = links[i] ?? 'cause';
      if (next !== undefined) n[link] = link === 'errors' ? [next] : next;
    });
    return nodes[0];
  });

/** Built on demand: fast-check itself must not touch a revoked proxy or a throwing trap. */
const HOSTILE: ReadonlyArray<() => unknown> = [
  () => null,
  () => undefined,
  () => Symbol('x'),
  () => 10n,
  () => () => 1,
  () => new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } }),
  () => Object.defineProperty(new Error('getter'), 'status', { get: () => { throw new Error('boom'); } }),
  () => ({ toString: () => { throw new Error('no'); }, message: { toString: () => { throw new Error('no'); } } }),
  () => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; },
  () => { const r = Proxy.revocable({}, {}); r.revoke(); return new Error('wrapper', { cause: r.proxy }); },
];
const hostileIndex = fc.integer({ min: 0, max: HOSTILE.length - 1 });

describe('classifyError properties', () => {
  test.prop([fc.oneof(fc.jsonValue(), fc.string(), fc.anything(), chained)])(
    'returns a well-formed classification and never throws, for JSON, strings and error chains with random headers',
    (input) => {
      assertWellFormed(classifyError(input, context));
    },
  );

  test.prop([hostileIndex, chained, fc.boolean()])(
    'returns a well-formed classification and never throws when a hostile value is thrown or sits in the chain',
    (i, chain, alone) => {
      const value = HOSTILE[i]?.();
      const input = alone ? value : Object.assign(new Error('outer'), { cause: chain, error: value });
      assertWellFormed(classifyError(input, context));
    },
  );

  test.prop([chained, fc.option(fc.constantFrom('openai', 'anthropic', 'google', 'aws-bedrock', 'openrouter', 'nobody'), { nil: undefined })])(
    'is deterministic for a given input and clock',
    (input, provider) => {
      const ctx = { ...(provider ? { provider } : {}), now: () => NOW };
      expect(classifyError(input, ctx)).toEqual(classifyError(input, ctx));
    },
  );

  const alnum = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${min},${max}}$`));
  const urlsafe = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}$`));
  /** [text carrying the secret, the secret]. */
  const secret = fc.oneof(
    alnum(32, 48).map((s) => [`sk-${s}`, `sk-${s}`] as const),
    urlsafe(20, 60).map((s) => [`sk-proj-${s}`, `sk-proj-${s}`] as const),
    urlsafe(40, 95).map((s) => [`sk-ant-api03-${s}`, `sk-ant-api03-${s}`] as const),
    urlsafe(35, 35).map((s) => [`AIza${s}`, `AIza${s}`] as const),
    fc.stringMatching(/^[A-Za-z0-9._~+/-]{20,60}$/).map((t) => [`Authorization: Bearer ${t}`, t] as const),
    urlsafe(20, 40).map((k) => [`https://generativelanguage.googleapis.com/v1beta/models?key=${k}`, k] as const),
  );
  const placements = fc.constantFrom('message', 'body-json', 'body-text', 'cause', 'string', 'html');

  test.prop([secret, fc.string(), fc.string(), placements, fc.integer({ min: 400, max: 599 })])(
    'never lets a generated API key or token into the message, wherever the input carries it',
    ([carrier, key], before, after, where, status) => {
      const text = `${before} ${carrier} ${after}`;
      const input =
        where === 'message' ? Object.assign(new Error(text), { status })
        : where === 'body-json' ? { status, body: JSON.stringify({ error: { message: text, type: 'invalid_request_error' } }) }
        : where === 'body-text' ? { status, headers: { 'content-type': 'text/plain' }, body: text }
        : where === 'cause' ? new Error('request failed', { cause: new Error(text) })
        : where === 'html' ? { status, body: `<html><head><title>${status}</title></head><body><p>${text}</p></body></html>` }
        : text;
      const c = classifyError(input, context);
      expect(c.message).not.toContain(key);
      expect(c.code ?? '').not.toContain(key);
    },
  );

  test.prop([fc.integer({ min: 0, max: 1_000_000 })])(
    'turns retry-after seconds into the same wait and a reset on the injected clock',
    (seconds) => {
      const c = classifyError({ status: 429, headers: { 'retry-after': String(seconds) }, body: '' }, context);
      expect(c.retryAfterMs).toBe(seconds * 1000);
      expect(c.resetAt).toBe(NOW + seconds * 1000);
    },
  );

  // Token-shaped: a run of 20+ letters and digits mixing both, or a UUID, inside any prose.
  const tokenShaped = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9]{20,48}$/).filter((t) => /[0-9]/.test(t) && /[A-Za-z]/.test(t)),
    fc.uuid(),
  );
  const prose = fc.constantFrom('Invalid API key: ', 'Incorrect API key provided: ', 'key ', 'Your api key: ', 'token=', '', 'org ');
  test.prop([prose, tokenShaped, fc.lorem({ maxCount: 4 }), fc.integer({ min: 400, max: 599 })])(
    'a scrubbed message contains no token-shaped secret of 20 or more characters, whatever its prefix',
    (lead, token, tail, status) => {
      const c = classifyError({ status, body: { error: { message: `${lead}${token}. ${tail}` } } }, context);
      expect(c.message).not.toContain(token);
      expect(c.message).not.toMatch(/(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{20,}/);
    },
  );

  const uninformative = fc.oneof(
    fc.constant(''),
    fc.constantFrom('Bad Request', 'Unprocessable Entity', 'Not Found', 'Forbidden', 'error', '{}', '{"error":{}}'),
    fc.constantFrom('invalid_request_error', 'INVALID_ARGUMENT', 'FAILED_PRECONDITION', 'ValidationException', 'bad_request').map((type) => ({ error: { type, code: type, status: type } })),
    fc.integer({ min: 400, max: 599 }).map((n) => `<html><head><title>${n}</title></head><body>${n}</body></html>`),
  );
  test.prop([fc.integer({ min: 100, max: 599 }), uninformative, fc.option(fc.constantFrom('openai', 'anthropic', 'google', 'aws-bedrock', 'xai', 'deepseek', 'nobody'), { nil: undefined })])(
    'bad_request never comes from the status code (or a broad category) alone',
    (status, body, provider) => {
      const c = classifyError({ status, body }, { ...(provider ? { provider } : {}), now: () => NOW });
      expect(c.reason).not.toBe('bad_request');
    },
  );

  test.prop([fc.oneof(fc.string(), fc.jsonValue(), fc.constantFrom('Rate limit exceeded', 'Monthly spend limit reached', 'quota exceeded', 'in-flight budget exhausted', 'Service Unavailable'))])(
    'every 402 is billing, whatever the body says',
    (body) => {
      expect(classifyError({ status: 402, body }, context).reason).toBe('billing');
    },
  );

  const longWindow = fc.constantFrom('daily limit reached', 'weekly limit exhausted', 'monthly spend limit reached', 'You have hit your usage limit', 'tokens per day (TPD)', 'Please try again tomorrow');
  test.prop([longWindow, fc.lorem({ maxCount: 5 }), fc.lorem({ maxCount: 5 }), fc.constantFrom(403, 429)])(
    'reads daily, weekly, monthly and usage-limit wording as quota_exhausted, never a short rate limit',
    (phrase, before, after, status) => {
      const c = classifyError({ status, body: { error: { message: `${before}. ${phrase}. ${after}` } } }, { now: () => NOW });
      expect(c.reason).toBe('quota_exhausted');
      expect(c.retryable).toBe(false);
    },
  );
});
