import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/iso-time.js';

// Skip decisions name a cooldown's end with isoTime (src/iso-time.ts): always toISOString's text.

const MAX = 8.64e15;

describe('isoTime', () => {
  test.prop([fc.oneof(fc.integer({ min: 0, max: 253_402_300_800_000 }), fc.integer({ min: -MAX, max: MAX }), fc.double({ min: -MAX, max: MAX, noNaN: true }))])(
    'property: the text toISOString gives',
    (t) => {
      expect(isoTime(t)).toBe(new Date(t).toISOString());
    },
  );

  it('the edges: epoch, leap days, centuries, the last ms written out, the first beyond', () => {
    const times = [0, 1, 951_782_400_000, 951_868_800_000, 4_107_542_400_000, 1_796_030_674_833, 253_402_300_799_999, 253_402_300_800_000, -1, 1.5, -0];
    for (const y of [1970, 1972, 2000, 2100, 2400, 9999]) for (const [m, d] of [[1, 1], [2, 28], [2, 29], [3, 1], [12, 31]]) times.push(Date.UTC(y, m! - 1, d!, 23, 59, 59, 999));
    for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('an invalid time throws as toISOString does', () => {
    for (const t of [Number.NaN, Infinity, MAX + 1]) expect(() => isoTime(t)).toThrow(RangeError);
  });
});
