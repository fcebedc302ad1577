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

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function format(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[i]!];
  }
  return s;
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
