import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/classify/index.js';
import { parseCompactDuration } from '../../src/classify/parse-duration.js';
import { durationFromText, instantFromText } from '../../src/classify/text-timing.js';

const NOW = Date.parse('2026-05-18T22:00:00Z');
const timing = (err: unknown) => {
  const { retryAfterMs, resetAt } = classifyError(err, { now: () => NOW });
  return { retryAfterMs, resetAt };
};

describe('retry timing', () => {
  it('reads retry-after as an HTTP-date against the injected clock', () => {
    expect(timing({ status: 429, headers: { 'Retry-After': 'Mon, 18 May 2026 22:01:30 GMT' } })).toEqual({ retryAfterMs: 90_000, resetAt: NOW + 90_000 });
  });

  it('clamps an HTTP-date in the past to no wait', () => {
    expect(timing({ status: 429, headers: { 'retry-after': 'Mon, 18 May 2026 21:00:00 GMT' } })).toEqual({ retryAfterMs: 0, resetAt: NOW });
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(timing({ status: 429, headers: { 'retry-after': '22', 'retry-after-ms': '21500' } }).retryAfterMs).toBe(21_500);
  });

  it('reads headers given as an array of pairs or a Headers instance', () => {
    expect(timing({ status: 429, headers: [['Retry-After', '7']] }).retryAfterMs).toBe(7_000);
    expect(timing({ status: 429, headers: new Headers({ 'retry-after': '8' }) }).retryAfterMs).toBe(8_000);
  });

  it('uses the x-ratelimit reset of the budget that is spent', () => {
    const headers = { 'x-ratelimit-reset-requests': '1.5s', 'x-ratelimit-remaining-requests': '10', 'x-ratelimit-reset-tokens': '6m0s', 'x-ratelimit-remaining-tokens': '0' };
    expect(timing({ status: 429, headers }).retryAfterMs).toBe(360_000);
    expect(timing({ status: 429, headers: { 'x-ratelimit-reset-requests': '1.5s' } }).retryAfterMs).toBe(1_500);
  });

  it('ignores window headers when the failure is not a limit: they ride on every response', () => {
    const headers = { 'x-ratelimit-reset-tokens': '6m0s', 'x-ratelimit-remaining-tokens': '0', 'anthropic-ratelimit-tokens-reset': '2026-05-18T22:00:45Z' };
    expect(timing({ status: 529, headers, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } })).toEqual({ retryAfterMs: undefined, resetAt: undefined });
  });

  it('reads anthropic-ratelimit-*-reset as an RFC 3339 instant', () => {
    const headers = { 'anthropic-ratelimit-input-tokens-reset': '2026-05-18T22:00:45Z', 'anthropic-ratelimit-input-tokens-remaining': '0' };
    expect(timing({ status: 429, headers })).toEqual({ retryAfterMs: 45_000, resetAt: Date.parse('2026-05-18T22:00:45Z') });
  });

  it('reads body fields: resets_in_seconds, resets_at and Google RetryInfo.retryDelay', () => {
    expect(timing({ status: 429, body: { error: { type: 'usage_limit_reached', resets_in_seconds: 120 } } }).retryAfterMs).toBe(120_000);
    expect(timing({ status: 429, body: { error: { type: 'usage_limit_reached', resets_at: NOW / 1000 + 600 } } })).toEqual({ retryAfterMs: 600_000, resetAt: NOW + 600_000 });
    const google = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '30s' }] } };
    expect(timing({ status: 429, body: JSON.stringify(google) }).retryAfterMs).toBe(30_000);
  });

  it('falls back to a wait named in the message', () => {
    expect(timing(new Error('Rate limit reached. Please try again in 14m24s.')).retryAfterMs).toBe(864_000);
    expect(timing(new Error('Please retry after 22 seconds.')).retryAfterMs).toBe(22_000);
  });

  it('ignores waits it cannot read', () => {
    expect(timing({ status: 429, headers: { 'retry-after': 'soon', 'x-ratelimit-reset-tokens': 'later' }, body: { retry_after: -5 } })).toEqual({ retryAfterMs: undefined, resetAt: undefined });
  });
});

describe('duration parsing', () => {
  it.each([
    ['6m0s', 360_000],
    ['1.5s', 1_500],
    ['20ms', 20],
    ['1h2m3s', 3_723_000],
    ['30', 30_000],
    ['34.4s', 34_400],
  ])('parses compact %s', (s, ms) => expect(parseCompactDuration(s)).toBeCloseTo(ms, 6));

  it.each(['', 'soon', '5 parsecs', '1x', `${'1s'.repeat(40)}`])('rejects %s', (s) => expect(parseCompactDuration(s)).toBeUndefined());

  it('reads prose waits and ignores zone-less clock times', () => {
    expect(durationFromText('Retry-After: 2 hours')).toBe(7_200_000);
    expect(durationFromText('Next reset in 3 hours')).toBe(10_800_000);
    expect(durationFromText('try again after 11:34 AM')).toBeUndefined();
    expect(durationFromText('retry 3 times')).toBeUndefined();
  });

  it('reads reset instants only with an explicit zone', () => {
    expect(instantFromText('You will regain access on 2026-10-01 at 00:00 UTC.')).toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(instantFromText('Your limit will reset at 2026-03-06 22:19:54 (request_id: 1)')).toBeUndefined();
  });
});
