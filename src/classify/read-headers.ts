import { LIMITS } from './limits.js';

/** Header names lower-cased; the first value seen for a name wins. */
export type HeaderMap = Map<string, string>;

function put(into: HeaderMap, name: unknown, value: unknown): void {
  if (typeof name !== 'string' || into.size >= LIMITS.headerEntries) return;
  let v: string;
  if (typeof value === 'string') v = value;
  else if (typeof value === 'number' && Number.isFinite(value)) v = String(value);
  else if (Array.isArray(value)) v = value.filter((x) => typeof x === 'string' || typeof x === 'number').join(', ');
  else return;
  const key = name.trim().toLowerCase();
  if (!into.has(key)) into.set(key, v.slice(0, 256));
}

/** Reads a plain object (any case of names), a `Headers`/`Map`, or an array of pairs. Never throws. */
export function readHeaders(source: unknown, into: HeaderMap): void {
  if (source === null || typeof source !== 'object') return;
  try {
    const maybe = source as { forEach?: unknown; get?: unknown };
    if (!Array.isArray(source) && typeof maybe.forEach === 'function' && typeof maybe.get === 'function') {
      (source as { forEach(cb: (value: unknown, key: unknown) => void): void }).forEach((value, key) => put(into, key, value));
      return;
    }
    if (Array.isArray(source)) {
      for (const pair of source.slice(0, LIMITS.headerEntries)) {
        if (Array.isArray(pair) && pair.length >= 2) put(into, pair[0], pair[1]);
      }
      return;
    }
    for (const key of Object.keys(source).slice(0, LIMITS.headerEntries)) {
      let value: unknown;
      try {
        value = (source as Record<string, unknown>)[key];
      } catch {
        continue;
      }
      put(into, key, value);
    }
  } catch {
    // A hostile Headers-like object: keep what was read.
  }
}
