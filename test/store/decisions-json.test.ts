import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decisionsJson } from '../../src/store/decisions-json.js';
import type { Decision } from '../../src/types.js';

// The stores write a run's decisions with decisionsJson (src/store/decisions-json.ts), which
// reuses the JSON of skip decisions it wrote before: it must always be JSON.stringify's text.

const text = fc.oneof(fc.constantFrom('p', 'q', 'cooling1', 'm', 'cooldown', 'attempt_budget'), fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('\ud800', 'a"b\\c\n', '\u0000'));
const num = fc.oneof(fc.constantFrom(1_000, 2_000, 1.5, -0, Infinity, -Infinity, Number.NaN, 1e21), fc.integer());

/** A skip decision as the engine makes it (6 or 7 keys in its order), with values from small sets so that skips repeat. */
const engineSkip = fc
  .record({ at: num, provider: text, model: text, reason: text, detail: fc.constantFrom('d1', 'd2', 'skipped p/m without a call: x'), until: fc.option(num, { nil: undefined }) })
  .map(({ at, provider, model, reason, detail, until }) =>
    until === undefined ? { kind: 'skip', at, provider, model, reason, detail } : { kind: 'skip', at, provider, model, reason, detail, until },
  );
/** An entry decision as the engine makes it (select, escalate, rotate: 7 keys in its order). */
const engineEntry = fc
  .record({ kind: fc.constantFrom('select', 'escalate', 'rotate', 'skip', 'a"b'), at: num, provider: text, model: text, profileId: text, reason: text, detail: fc.constantFrom('d1', 'd3', 'starting on p/m with p:default') })
  .map(({ kind, at, provider, model, profileId, reason, detail }) => ({ kind, at, provider, model, profileId, reason, detail }));
/** Anything else a list of decisions may hold: other kinds, other key orders, extra keys, odd values. */
const other = fc.oneof(
  fc.record({ kind: fc.constantFrom('select', 'escalate', 'skip'), at: num, reason: text, detail: text }),
  engineSkip.map((d) => ({ ...d, extra: 1 })),
  engineSkip.map(({ kind, ...rest }) => ({ ...rest, kind })),
  engineSkip.map((d) => ({ ...d, toJSON: () => 'custom' })),
  engineSkip.map((d) => Object.assign(Object.create({ inherited: true }), d)),
  engineSkip.map((d) => ({ ...d, provider: 7 })),
  engineEntry.map((d) => ({ ...d, profileId: undefined })),
  engineEntry.map(({ profileId, ...rest }) => ({ ...rest, profileId })),
  engineEntry.map(({ profileId: _, ...rest }) => rest),
  engineEntry.map((d) => ({ ...d, until: 5 })),
  engineEntry.map((d) => Object.assign(Object.create({ inherited: true }), d)),
  fc.record({ kind: fc.constantFrom('persist', 'fail'), at: num, reason: text, detail: text }),
  fc.record({ kind: text, at: num, detail: fc.oneof(text, fc.constant({ nested: ['x', 1] }), fc.constant(null), fc.boolean(), fc.constant(undefined)) }),
  fc.dictionary(fc.oneof(text, fc.constantFrom('0', '10', 'a"b', 'kind')), fc.oneof(text, num, fc.boolean(), fc.constant(null), fc.constant(undefined))),
  fc.constantFrom(undefined, null, 3, 'text'),
  fc.constantFrom(['skip', 1], Object('ab'), Object(5), Object(true), new Map([['kind', 'skip']]), Object.assign(Object.create(null), { kind: 'persist', at: 1 })),
);
const list = fc.array(fc.oneof({ weight: 4, arbitrary: engineSkip }, { weight: 3, arbitrary: engineEntry }, { weight: 2, arbitrary: other }), { maxLength: 12 });

describe('decisions as the stores write them', () => {
  test.prop([fc.array(list, { minLength: 1, maxLength: 6 })])('property: always the text JSON.stringify gives, list after list', (lists) => {
    for (const l of lists) expect(decisionsJson(l as unknown as Decision[])).toBe(JSON.stringify(l));
  });

  it('a skip written before with other fields is written as it is now', () => {
    const d = { kind: 'skip', at: 1, provider: 'p', model: 'm', reason: 'cooldown', detail: 'same detail', until: 5 } as Decision;
    const both = (x: Decision) => [x, { ...x, at: 2 }] as Decision[];
    expect(decisionsJson(both(d))).toBe(JSON.stringify(both(d)));
    for (const change of [{ until: 6 }, { provider: 'q' }, { model: 'n' }, { reason: 'attempt_budget' }, { until: undefined }]) {
      decisionsJson(both(d)); // d's text is the one kept for the detail: then one field differs
      const x = { ...d, ...change } as Decision;
      if (change.until === undefined && 'until' in change) delete (x as { until?: number }).until;
      expect(decisionsJson(both(x))).toBe(JSON.stringify(both(x)));
    }
  });

  it('an entry written before with other fields is written as it is now', () => {
    const d = { kind: 'select', at: 1, provider: 'p', model: 'm', profileId: 'p:default', reason: 'first_usable', detail: 'same entry detail' } as Decision;
    const both = (x: Decision) => [x, { ...x, at: 2 }] as Decision[];
    expect(decisionsJson(both(d))).toBe(JSON.stringify(both(d)));
    for (const change of [{ kind: 'escalate' }, { provider: 'q' }, { model: 'n' }, { profileId: 'p:other' }, { reason: 'overloaded' }]) {
      decisionsJson(both(d));
      const x = { ...d, ...change } as Decision;
      expect(decisionsJson(both(x))).toBe(JSON.stringify(both(x)));
    }
    // a skip of the same detail: its own text, not the entry's
    const skip = { kind: 'skip', at: 3, provider: 'p', model: 'm', reason: 'first_usable', detail: 'same entry detail' } as Decision;
    expect(decisionsJson([d, skip])).toBe(JSON.stringify([d, skip]));
  });

  it('null for no decisions', () => {
    expect(decisionsJson(undefined)).toBeNull();
    expect(decisionsJson([])).toBe('[]');
  });
});
