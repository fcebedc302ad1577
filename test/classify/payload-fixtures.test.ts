import { describe, expect, it } from 'vitest';
import { classifyError, type FailureReason, type FailureScope } from '../../src/classify/index.js';
import { isClassification } from '../../src/classify/is-classification.js';
import { REASON_DEFAULTS } from '../../src/classify/reason-defaults.js';
import { loadPayloads } from './fixtures.js';

const NOW = Date.parse('2026-05-18T22:00:00Z');
const payloads = loadPayloads();

/**
 * Payloads where we knowingly answer differently from the label, by id, with why. Every miss must
 * be listed here and every entry must still be a miss, so this list is the snapshot of misses.
 */
const DISAGREEMENTS: ReadonlyArray<{ id: string; reason?: FailureReason; scope?: FailureScope; why: string }> = [];

const results = payloads.map((p) => ({
  p,
  c: classifyError({ status: p.status, headers: p.headers, body: p.body }, { provider: p.provider, now: () => NOW }),
}));

describe('error-payloads.json (real provider payloads, our labels)', () => {
  it('holds the 63 payloads the thresholds were set for', () => {
    expect(payloads.length).toBe(63);
  });

  it('matches at least 97% of reasons and 95% of scopes', () => {
    const reasons = results.filter(({ p, c }) => c.reason === p.reason).length / results.length;
    const scopes = results.filter(({ p, c }) => c.scope === p.scope).length / results.length;
    expect(reasons).toBeGreaterThanOrEqual(0.97);
    expect(scopes).toBeGreaterThanOrEqual(0.95);
  });

  it('misses exactly the listed disagreements', () => {
    const misses = results
      .filter(({ p, c }) => c.reason !== p.reason || c.scope !== p.scope)
      .map(({ p, c }) => ({ id: p.id, reason: c.reason, scope: c.scope }));
    expect(misses).toEqual(DISAGREEMENTS.map(({ id, reason, scope }) => ({ id, reason, scope })));
  });

  it.each(results.map(({ p, c }) => [p.id, p, c] as const))('%s: well-formed, with the status and the default retryability', (_id, p, c) => {
    expect(isClassification(c)).toBe(true);
    expect(c.message.length).toBeGreaterThan(0);
    // HTTP 200 streams report the status the error event carries.
    if (p.status >= 400) expect(c.status).toBe(p.status);
    // One rule overrides the default: a 413 rate limit is one request over the per-minute budget, no wait fixes it.
    const expected = p.status === 413 && c.reason === 'rate_limit' ? false : REASON_DEFAULTS[c.reason].retryable;
    expect(c.retryable).toBe(expected);
  });
});
