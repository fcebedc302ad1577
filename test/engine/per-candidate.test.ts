import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PerCandidate } from '../../machines/per-candidate.js';

describe('PerCandidate', () => {
  it('gives back the last value set for a candidate, and nothing for another', () => {
    const t = new PerCandidate<string>(8);
    t.set('openai', 'gpt-5', 'a');
    t.set('openai', 'gpt-5', 'b');
    t.set('anthropic', 'gpt-5', 'c');
    expect(t.get('openai', 'gpt-5')).toBe('b');
    expect(t.get('anthropic', 'gpt-5')).toBe('c');
    expect(t.get('openai', 'gpt-4')).toBeUndefined();
  });

  it('property: never keeps more candidates than its bound, and the last value set is always there', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.tuple(fc.constantFrom('p', 'q', 'r'), fc.constantFrom('m', 'n', 'o'), fc.nat()), { maxLength: 60 }), (max, sets) => {
        const t = new PerCandidate<number>(max);
        for (const [provider, model, value] of sets) {
          t.set(provider, model, value);
          expect(t.get(provider, model)).toBe(value);
          let kept = 0;
          for (const p of ['p', 'q', 'r']) for (const m of ['m', 'n', 'o']) if (t.get(p, m) !== undefined) kept++;
          expect(kept).toBeLessThanOrEqual(max);
        }
      }),
    );
  });
});
