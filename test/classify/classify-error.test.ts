import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/classify/index.js';

const NOW = 1_800_000_000_000;
const ctx = (provider?: string) => ({ ...(provider ? { provider } : {}), now: () => NOW });

describe('classifyError: the engine contract', () => {
  it('reads a Codex 429 usage_limit_reached as a profile-wide quota with the body reset', () => {
    const err = {
      status: 429,
      headers: {},
      body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 } },
    };
    expect(classifyError(err, ctx('openai-codex'))).toEqual({
      reason: 'quota_exhausted',
      scope: 'profile',
      retryable: false,
      retryAfterMs: 3_600_000,
      resetAt: NOW + 3_600_000,
      status: 429,
      code: 'usage_limit_reached',
      message: 'The usage limit has been reached',
    });
  });

  it('reads a 429 rate_limit_exceeded with retry-after seconds as a retryable rate limit', () => {
    const c = classifyError(
      { status: 429, headers: { 'Retry-After': '30' }, body: { error: { type: 'rate_limit_exceeded', message: 'slow down' } } },
      ctx(),
    );
    expect(c).toMatchObject({ reason: 'rate_limit', retryable: true, retryAfterMs: 30_000, resetAt: NOW + 30_000, status: 429 });
  });

  it.each([503, 529])('reads a bare %i as overloaded', (status) => {
    expect(classifyError({ status, body: '' }, ctx())).toMatchObject({ reason: 'overloaded', retryable: true, status });
  });

  it('reads a 400 that names a missing field as a request-scoped, final bad_request', () => {
    const c = classifyError(
      { status: 400, body: JSON.stringify({ error: { type: 'invalid_request_error', message: 'messages: field required' } }) },
      ctx('anthropic'),
    );
    expect(c).toMatchObject({ reason: 'bad_request', scope: 'request', retryable: false, status: 400 });
  });

  it('reads an AbortError as aborted and a TimeoutError DOMException as timeout', () => {
    expect(classifyError(new DOMException('This operation was aborted', 'AbortError'))).toMatchObject({
      reason: 'aborted',
      scope: 'request',
      retryable: false,
    });
    expect(classifyError(new DOMException('The operation timed out', 'TimeoutError'))).toMatchObject({
      reason: 'timeout',
      retryable: true,
    });
  });
});
