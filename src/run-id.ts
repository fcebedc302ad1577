import { randomFillSync } from 'node:crypto';

// The last id's bytes: a new id in the same millisecond (or after the clock stepped back) is the
// last one plus one, so ids of this process always sort in the order they were made.
const last = new Uint8Array(16);
let lastMs = -1;

// Random bytes drawn in bulk: one call to the system's generator per 256 ids, as randomUUID()
// does, instead of one per id (which costs microseconds each).
const pool = new Uint8Array(16 * 256);
let poolAt = pool.length;

function writeTime(bytes: Uint8Array, ms: number): void {
  // 48 bits do not fit a 32-bit shift: split into the high 16 and the low 32 bits
  const high = Math.floor(ms / 2 ** 32);
  const low = ms >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = low >>> 24;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
}

/** Adds one to the 74 random bits (byte 6's low nibble, byte 7, byte 8's low 6 bits, bytes 9–15); false on overflow. */
function increment(bytes: Uint8Array): boolean {
  for (let i = 15; i >= 6; i--) {
    const mask = i === 6 ? 0x0f : i === 8 ? 0x3f : 0xff;
    const fixed = bytes[i]! & ~mask & 0xff;
    const value = (bytes[i]! & mask) + 1;
    if (value <= mask) {
      bytes[i] = fixed | value;
      return true;
    }
    bytes[i] = fixed;
  }
  return false;
}

/** The char code of each hex digit, lowercase. */
const DIGIT = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 45;
const hi = (byte: number): number => DIGIT[byte >>> 4]!;
const lo = (byte: number): number => DIGIT[byte & 0x0f]!;

/**
 * The id's text in one flat string, made at once from its 36 char codes. Appended two digits at
 * a time it was a rope of 20 pieces (about 600 bytes a run), which SQLite's binding flattened
 * into one more string the first time the id was written.
 */
function format(b: Uint8Array): string {
  return String.fromCharCode(
    hi(b[0]!), lo(b[0]!), hi(b[1]!), lo(b[1]!), hi(b[2]!), lo(b[2]!), hi(b[3]!), lo(b[3]!), DASH,
    hi(b[4]!), lo(b[4]!), hi(b[5]!), lo(b[5]!), DASH,
    hi(b[6]!), lo(b[6]!), hi(b[7]!), lo(b[7]!), DASH,
    hi(b[8]!), lo(b[8]!), hi(b[9]!), lo(b[9]!), DASH,
    hi(b[10]!), lo(b[10]!), hi(b[11]!), lo(b[11]!), hi(b[12]!), lo(b[12]!), hi(b[13]!), lo(b[13]!), hi(b[14]!), lo(b[14]!), hi(b[15]!), lo(b[15]!),
  );
}

/**
 * A new run id: a UUIDv7 (RFC 9562): 48 bits of Unix time in ms, version 7, the variant bits and
 * 74 random bits, in lowercase hex. Ids of one process are strictly increasing, also within one
 * millisecond, so they sort by creation time: rows keyed by run id are appended to the end of
 * their B-trees instead of scattered over them as random UUIDs are.
 */
export function newRunId(now: number = Date.now()): string {
  const ms = Math.max(0, Math.floor(now));
  if (ms > lastMs) fresh(ms);
  // 2^74 ids in one millisecond cannot happen; borrow the next millisecond rather than repeat
  else if (!increment(last)) fresh(lastMs + 1);
  return format(last);
}

function fresh(ms: number): void {
  lastMs = ms;
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  last.set(pool.subarray(poolAt, poolAt + 16));
  poolAt += 16;
  writeTime(last, ms);
  last[6] = 0x70 | (last[6]! & 0x0f);
  last[8] = 0x80 | (last[8]! & 0x3f);
}
