import { ConfigError } from '../errors.js';
import type { JsonObject, JsonValue } from '../message-types.js';

/** Deeper than any real tool input or provider option; a cycle or a runaway structure stops here. */
const MAX_DEPTH = 64;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

export const kindOf = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') {
    const name = (Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return typeof v;
};

/**
 * A copy of `v` made of JSON values only, so that what a run stores reads back exactly as it was
 * given: plain objects, arrays, strings, finite numbers, booleans and null. Object fields that
 * are `undefined` are left out (as JSON leaves them out). Anything else (a Date, a Map, a class
 * instance, a function, a bigint, NaN, a cycle) is a ConfigError naming the field, because
 * storing it would change it.
 */
export function toJsonValue(v: unknown, field: string, depth = 0): JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ConfigError(field, `must be JSON: ${String(v)} is not a JSON number`);
    return v;
  }
  if (depth >= MAX_DEPTH) throw new ConfigError(field, `nests deeper than ${MAX_DEPTH} levels (a cycle?)`);
  if (Array.isArray(v)) {
    return v.map((item, i) => {
      if (item === undefined) throw new ConfigError(`${field}[${i}]`, 'must be JSON: undefined is not a JSON value');
      return toJsonValue(item, `${field}[${i}]`, depth + 1);
    });
  }
  if (isPlainObject(v)) return toJsonObject(v, field, depth);
  throw new ConfigError(field, `must be JSON, got ${kindOf(v)}, which would not read back the same once stored`);
}

export function toJsonObject(v: Record<string, unknown>, field: string, depth = 0): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(v)) {
    if (value !== undefined) out[key] = toJsonValue(value, `${field}.${key}`, depth + 1);
  }
  return out;
}
