import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS, FAILURE_SCOPES } from '../../src/classify/index.js';
import { isClassification } from '../../src/classify/is-classification.js';
import { classifyCorpus, missesOf, type Miss } from './corpus.js';
import { loadHeldOutResults, loadPayloads } from './fixtures.js';

const payloads = loadPayloads();
const results = classifyCorpus(payloads);

/**
 * Entries we knowingly answer differently from the label, by id, with why. Every miss must be
 * listed here and every entry must still be a miss: this list is the snapshot of the misses.
 */
const DISAGREEMENTS: ReadonlyArray<Miss & { why: string }> = [];

describe('error-payloads.json: real provider payloads, our labels', () => {
  it('holds at least 360 payloads, each with an id, a label and a source to find it again', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(360);
    expect(new Set(payloads.map((p) => p.id)).size).toBe(payloads.length);
    for (const p of payloads) {
      expect(FAILURE_REASONS, p.id).toContain(p.reason);
      expect(FAILURE_SCOPES, p.id).toContain(p.scope);
      expect(p.source.length, p.id).toBeGreaterThan(10);
      expect(p.status === null || (Number.isInteger(p.status) && p.status >= 200 && p.status <= 599), p.id).toBe(true);
    }
  });

  it('holds every held-out batch it reports, each measured on entries from many providers', () => {
    const batches = loadHeldOutResults();
    expect(batches.length).toBeGreaterThanOrEqual(1);
    for (const b of batches) {
      const entries = payloads.filter((p) => p.heldOut === b.batch);
      expect(entries.length, `batch ${b.batch}`).toBe(b.entries);
      expect(new Set(entries.map((p) => p.provider)).size, `batch ${b.batch}`).toBe(b.providers);
      expect(b.labelledIn).toMatch(/^[0-9a-f]{7,40}$/);
      // Every label changed after the first run is counted in the batch's record and says why.
      expect(entries.filter((p) => p.relabelled !== undefined).length, `batch ${b.batch}`).toBe(b.relabelled ?? 0);
    }
    expect(payloads.filter((p) => p.heldOut !== undefined).length).toBeGreaterThanOrEqual(100);
  });

  it('matches at least 97% of reasons and 90% of scopes', () => {
    const reasons = results.filter((r) => r.reasonOk).length / results.length;
    const scopes = results.filter((r) => r.scopeOk).length / results.length;
    expect(reasons).toBeGreaterThanOrEqual(0.97);
    expect(scopes).toBeGreaterThanOrEqual(0.9);
  });

  it('misses exactly the listed disagreements', () => {
    expect(missesOf(results)).toEqual(DISAGREEMENTS.map(({ id, expected, got }) => ({ id, expected, got })));
  });

  it('says retryable where the provider documents that calling the same candidate again may succeed', () => {
    const labelled = results.filter(({ p }) => p.retryable !== undefined);
    for (const { p, c } of labelled) expect(c.retryable, p.id).toBe(p.retryable);
    expect(labelled.length).toBeGreaterThanOrEqual(60);
  });

  it('reads the retry timing the provider asked for, and none for a limit that waiting never frees', () => {
    for (const { p, c } of results) {
      if (p.retryAfterMs !== undefined) expect(c.retryAfterMs, p.id).toBe(p.retryAfterMs);
      if (p.neverFrees) expect(c.retryAfterMs, p.id).toBeUndefined();
    }
    expect(results.filter(({ p }) => p.retryAfterMs !== undefined || p.neverFrees).length).toBeGreaterThanOrEqual(18);
  });

  it('classifies every 402 as billing', () => {
    const paid = results.filter(({ p }) => p.status === 402);
    expect(paid.length).toBeGreaterThanOrEqual(9);
    for (const { p, c } of paid) expect(c.reason, p.id).toBe('billing');
  });

  it.each(results.map(({ p, c }) => [p.id, p, c] as const))('%s: well-formed, with the status it came with', (_id, p, c) => {
    expect(isClassification(c)).toBe(true);
    expect(c.message.length).toBeGreaterThan(0);
    // HTTP 200 streams report the status the error event carries.
    if (p.status !== null && p.status >= 400) expect(c.status).toBe(p.status);
  });
});
