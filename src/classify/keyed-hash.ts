/**
 * HalfSipHash-2-4 with a 64-bit output (Aumasson and Bernstein's keyed PRF for short inputs,
 * the 32-bit-word variant, so it runs on JavaScript's 32-bit integer arithmetic), fed UTF-16 code
 * units as their little-endian bytes, incrementally: its input is never built as a string.
 *
 * The classification memo's key (classification-memo.ts). SHA-256 through `crypto.hash` cost
 * about 10 µs per failure on a run's cold caches (a native call into OpenSSL, a base64 string),
 * for some 100 characters; this is a few hundred additions and rotations in one JIT-compiled loop.
 * Keyed with a secret per process, the digest of a provider's words says nothing about them
 * without the key, and an input cannot be crafted to collide with another without it.
 */
export class KeyedHash {
  readonly #k0: number;
  readonly #k1: number;
  #v0 = 0;
  #v1 = 0;
  #v2 = 0;
  #v3 = 0;
  /** A code unit waiting for the next to make a 32-bit word; -1 when none. */
  #pending = -1;
  #bytes = 0;

  /** `k0`, `k1`: the key's two little-endian 32-bit words. */
  constructor(k0: number, k1: number) {
    this.#k0 = k0 | 0;
    this.#k1 = k1 | 0;
  }

  /** Starts a new input. */
  begin(): void {
    this.#v0 = this.#k0;
    this.#v1 = this.#k1 ^ 0xee;
    this.#v2 = 0x6c796765 ^ this.#k0;
    this.#v3 = 0x74656462 ^ this.#k1;
    this.#pending = -1;
    this.#bytes = 0;
  }

  /** Feeds one UTF-16 code unit (0..0xffff). */
  unit(u: number): void {
    this.#bytes += 2;
    if (this.#pending < 0) this.#pending = u & 0xffff;
    else {
      this.#compress(this.#pending | ((u & 0xffff) << 16));
      this.#pending = -1;
    }
  }

  /**
   * Feeds the code units of `s`: what `unit` of each would feed, two at a time with the state in
   * locals (a call, a branch and four field loads and stores per unit were most of its time).
   */
  text(s: string): void {
    const n = s.length;
    if (n === 0) return;
    let i = 0;
    if (this.#pending >= 0) {
      this.unit(s.charCodeAt(0));
      i = 1;
    }
    let v0 = this.#v0;
    let v1 = this.#v1;
    let v2 = this.#v2;
    let v3 = this.#v3;
    const start = i;
    for (; i + 1 < n; i += 2) {
      const m = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
      v3 ^= m;
      // the two rounds of a compression, written out
      v0 = (v0 + v1) | 0;
      v1 = (v1 << 5) | (v1 >>> 27);
      v1 ^= v0;
      v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0;
      v3 = (v3 << 8) | (v3 >>> 24);
      v3 ^= v2;
      v0 = (v0 + v3) | 0;
      v3 = (v3 << 7) | (v3 >>> 25);
      v3 ^= v0;
      v2 = (v2 + v1) | 0;
      v1 = (v1 << 13) | (v1 >>> 19);
      v1 ^= v2;
      v2 = (v2 << 16) | (v2 >>> 16);
      v0 = (v0 + v1) | 0;
      v1 = (v1 << 5) | (v1 >>> 27);
      v1 ^= v0;
      v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0;
      v3 = (v3 << 8) | (v3 >>> 24);
      v3 ^= v2;
      v0 = (v0 + v3) | 0;
      v3 = (v3 << 7) | (v3 >>> 25);
      v3 ^= v0;
      v2 = (v2 + v1) | 0;
      v1 = (v1 << 13) | (v1 >>> 19);
      v1 ^= v2;
      v2 = (v2 << 16) | (v2 >>> 16);
      v0 ^= m;
    }
    this.#bytes += 2 * (i - start);
    this.#v0 = v0;
    this.#v1 = v1;
    this.#v2 = v2;
    this.#v3 = v3;
    if (i < n) this.unit(s.charCodeAt(i));
  }

  /** Ends the input: its 64-bit digest as two unsigned 32-bit words, low first (the reference's byte order). */
  end(): [low: number, high: number] {
    const low = this.#finish();
    return [low, this.#high()];
  }

  /** Ends the input: 53 bits of its digest, a safe integer (a Map key with no string to make or hash). */
  endAsNumber(): number {
    const low = this.#finish();
    return (this.#high() >>> 11) * 0x1_0000_0000 + low;
  }

  /** The last block (the length in bytes, mod 256, and a code unit left over), then the low word. */
  #finish(): number {
    const b = ((this.#bytes & 0xff) << 24) | (this.#pending < 0 ? 0 : this.#pending);
    this.#compress(b);
    this.#v2 ^= 0xee;
    this.#rounds(4);
    return (this.#v1 ^ this.#v3) >>> 0;
  }

  #high(): number {
    this.#v1 ^= 0xdd;
    this.#rounds(4);
    return (this.#v1 ^ this.#v3) >>> 0;
  }

  #compress(m: number): void {
    this.#v3 ^= m;
    this.#rounds(2);
    this.#v0 ^= m;
  }

  #rounds(n: number): void {
    let v0 = this.#v0;
    let v1 = this.#v1;
    let v2 = this.#v2;
    let v3 = this.#v3;
    for (let i = 0; i < n; i++) {
      v0 = (v0 + v1) | 0;
      v1 = (v1 << 5) | (v1 >>> 27);
      v1 ^= v0;
      v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0;
      v3 = (v3 << 8) | (v3 >>> 24);
      v3 ^= v2;
      v0 = (v0 + v3) | 0;
      v3 = (v3 << 7) | (v3 >>> 25);
      v3 ^= v0;
      v2 = (v2 + v1) | 0;
      v1 = (v1 << 13) | (v1 >>> 19);
      v1 ^= v2;
      v2 = (v2 << 16) | (v2 >>> 16);
    }
    this.#v0 = v0;
    this.#v1 = v1;
    this.#v2 = v2;
    this.#v3 = v3;
  }
}
