import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { KeyedHash } from '../../src/classify/keyed-hash.js';

// The memo's key (src/classify/keyed-hash.ts) must be HalfSipHash-2-4 itself, not something
// that looks like it: checked against the reference's 64-bit vectors (key 00..07, input 00..n-1,
// each 64-bit output read little-endian), for the even lengths a feed of UTF-16 units can give.
const VECTORS: readonly bigint[] = [
  0xc83cb8b9591f8d21n, 0x157338f8122455been, 0x57eb507cef394f06n, 0x790606f7451a0fcen, 0xa12ee55b178ae7d5n,
  0x80b53d2f3f7c9dcbn, 0x25bca28a35913ecen, 0x84c67bb0282720ffn, 0x8c85e4bc20e8feedn, 0x07838813cccc515bn,
  0xeef2a6069f46b095n, 0x48cddd94393326aen, 0x99c7f5ae9f1fc77bn, 0x44370c5ad752235an, 0x58e6e8ea70a8b13bn,
  0x02c9814ecb0b7d21n, 0xb5f37b5fd2aa3673n, 0x6a4f4c1c64c0ad37n, 0xf9423e9a2bdbb2c9n, 0x3c36ab2080e410f9n,
];

const referenceKey = () => new KeyedHash(0x03020100, 0x07060504);

describe('KeyedHash: HalfSipHash-2-4, 64-bit output', () => {
  it('gives the reference vectors for every even input length they cover', () => {
    const h = referenceKey();
    for (let n = 0; n < VECTORS.length; n += 2) {
      h.begin();
      for (let i = 0; i < n; i += 2) h.unit(i | ((i + 1) << 8));
      const [low, high] = h.end();
      expect(((BigInt(high) << 32n) | BigInt(low)).toString(16)).toBe(VECTORS[n]!.toString(16));
    }
  });

  test.prop([fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })])('a text fed as a whole or unit by unit, after any other input, hashes the same', (before, s) => {
    const h = referenceKey();
    h.text(before);
    h.end();
    h.begin();
    h.text(s);
    const whole = h.endAsNumber();
    h.begin();
    for (let i = 0; i < s.length; i++) h.unit(s.charCodeAt(i));
    expect(h.endAsNumber()).toBe(whole);
  });

  // text() feeds two units at a time; after an odd-length text a unit waits for the next text's first.
  test.prop([fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 0xffff })), { maxLength: 8 })])(
    'any mix of texts and units, odd lengths included, hashes as its units fed one by one',
    (inputs) => {
      const h = referenceKey();
      h.begin();
      for (const x of inputs) {
        if (typeof x === 'number') h.unit(x);
        else h.text(x);
      }
      const mixed = h.end();
      h.begin();
      for (const x of inputs) {
        if (typeof x === 'number') h.unit(x);
        else for (let i = 0; i < x.length; i++) h.unit(x.charCodeAt(i));
      }
      expect(h.end()).toStrictEqual(mixed);
    },
  );

  test.prop([fc.string({ unit: 'binary', minLength: 1 })])('a lone surrogate is hashed as itself, not as U+FFFD', (s) => {
    const h = referenceKey();
    h.begin();
    h.text(`${s}\uD800`);
    const lone = h.endAsNumber();
    h.begin();
    h.text(`${s}\uFFFD`);
    expect(h.endAsNumber()).not.toBe(lone);
  });

  it('the number form is a safe integer, and differs with the key', () => {
    const a = new KeyedHash(1, 2);
    const b = new KeyedHash(1, 3);
    a.begin();
    b.begin();
    a.text('Overloaded');
    b.text('Overloaded');
    const [x, y] = [a.endAsNumber(), b.endAsNumber()];
    expect(Number.isSafeInteger(x)).toBe(true);
    expect(x).not.toBe(y);
  });
});
