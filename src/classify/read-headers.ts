import { LIMITS } from './limits.js';

/** Header names lower-cased; the first value seen for a name wins. */
export type HeaderMap = ReadonlyMap<string, string>;

/** No header: shared by every failure that carries none (most of them), never written. */
export const NO_HEADERS: HeaderMap = new Map();

/** `into` with the header put (a map made for the first one); the first value of a name wins. */
function put(into: Map<string, string> | undefined, name: unknown, value: unknown): Map<string, string> | undefined {
  if (typeof name !== 'string' || (into !== undefined && into.size >= LIMITS.headerEntries)) return into;
  let v: string;
  if (typeof value === 'string') v = value;
  else if (typeof value === 'number' && Number.isFinite(value)) v = String(value);
  else if (Array.isArray(value)) v = value.filter((x) => typeof x === 'string' || typeof x === 'number').join(', ');
  else return into;
  const key = name.trim().toLowerCase();
  const map = into ?? new Map<string, string>();
  if (!map.has(key)) map.set(key, v.slice(0, 256));
  return map;
}

/**
 * Reads a plain object (any case of names), a `Headers`/`Map`, or an array of pairs into `into`,
 * and returns it, or a map made for the first header read when `into` is NO_HEADERS. Never throws.
 */
export function readHeaders(source: unknown, into: HeaderMap): HeaderMap {
  if (source === null || typeof source !== 'object') return into;
  let map = into === NO_HEADERS ? undefined : (into as Map<string, string>);
  try {
    const maybe = source as { forEach?: unknown; get?: unknown };
    if (!Array.isArray(source) && typeof maybe.forEach === 'function' && typeof maybe.get === 'function') {
      (source as { forEach(cb: (value: unknown, key: unknown) => void): void }).forEach((value, key) => {
        map = put(map, key, value);
      });
    } else if (Array.isArray(source)) {
      for (const pair of source.slice(0, LIMITS.headerEntries)) {
        if (Array.isArray(pair) && pair.length >= 2) map = put(map, pair[0], pair[1]);
      }
    } else {
      const keys = Object.keys(source);
      for (let i = 0; i < keys.length && i < LIMITS.headerEntries; i++) {
        const key = keys[i]!;
        let value: unknown;
        try {
          value = (source as Record<string, unknown>)[key];
        } catch {
          continue;
        }
        map = put(map, key, value);
      }
    }
  } catch {
    // A hostile Headers-like object: keep what was read.
  }
  return map ?? into;
}
