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
/** Anything else a list of decisions may hold: other kinds, other key orders, extra keys, odd values. */
const other = fc.oneof(
  fc.record({ kind: fc.constantFrom('select', 'escalate', 'skip'), at: num, reason: text, detail: text }),
  engineSkip.map((d) => ({ ...d, extra: 1 })),
  engineSkip.map(({ kind, ...rest }) => ({ ...rest, kind })),
  engineSkip.map((d) => ({ ...d, toJSON: () => 'custom' })),
  engineSkip.map((d) => Object.assign(Object.create({ inherited: true }), d)),
  engineSkip.map((d) => ({ ...d, provider: 7 })),
  fc.constantFrom(undefined, null, 3, 'text'),
);
const list = fc.array(fc.oneof({ weight: 4, arbitrary: engineSkip }, { weight: 1, arbitrary: other }), { maxLength: 12 });

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

  it('null for no decisions', () => {
    expect(decisionsJson(undefined)).toBeNull();
    expect(decisionsJson([])).toBe('[]');
  });
});
