import { fc } from '@fast-check/vitest';
import { expect, it } from 'vitest';
import { FAILURE_REASONS, FAILURE_SCOPES } from '../../src/classify/types.js';
import { outcomeArb } from './failures.js';
import { reasonsWithoutPayload } from './payloads.js';
import { worldArb } from './worlds.js';

// The generators reach every reason, scope, payload shape and chain shape; a fixture or generator change that stops
// producing a reason, a scope or a shape of chain makes these fail rather than thin the properties.
const SAMPLE = { numRuns: 2_000, seed: 42 };

it('every failure reason has at least one payload shape', () => {
  expect(reasonsWithoutPayload()).toEqual([]);
});

it('outcomes cover every reason, every scope, Retry-After, reset times, hangs and real fixtures', () => {
  const outcomes = fc.sample(outcomeArb(), SAMPLE);
  const fails = outcomes.flatMap((o) => (o.kind === 'fail' ? [o] : []));
  expect(new Set(fails.map((o) => o.pinned.reason))).toEqual(new Set(FAILURE_REASONS));
  expect(new Set(fails.map((o) => o.pinned.scope))).toEqual(new Set(FAILURE_SCOPES));
  expect(fails.some((o) => o.pinned.retryAfterMs !== undefined && o.payload.headers['retry-after'] === String(o.pinned.retryAfterMs / 1000))).toBe(true);
  expect(fails.some((o) => o.pinned.resetInMs !== undefined)).toBe(true);
  expect(fails.filter((o) => o.fixtureId !== undefined).length).toBeGreaterThan(fails.length / 2);
  expect(outcomes.some((o) => o.kind === 'hang')).toBe(true);
});

it('worlds span 1–8 candidates, 1–5 providers, 1–4 profiles, cooldowns, aborts and history', () => {
  const worlds = fc.sample(worldArb({ prior: true }), { numRuns: 500, seed: 42 });
  expect(new Set(worlds.map((w) => w.chain.length))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
  expect(new Set(worlds.map((w) => Object.keys(w.profiles).length))).toEqual(new Set([1, 2, 3, 4, 5]));
  expect(new Set(worlds.flatMap((w) => Object.values(w.profiles).map((p) => p.length)))).toEqual(new Set([1, 2, 3, 4]));
  expect(worlds.some((w) => w.cooldowns.some((c) => c.until > 0))).toBe(true);
  expect(worlds.some((w) => w.abortAtMs !== undefined)).toBe(true);
  expect(worlds.some((w) => w.prior.length > 0)).toBe(true);
});
