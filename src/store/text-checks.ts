import { ConfigError } from '../errors.js';

// With the u flag a well-formed surrogate pair is one code point outside this range, so only a
// lone surrogate matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;

/**
 * SQLite stores text as UTF-8, where a lone UTF-16 surrogate cannot exist: it would be written
 * as U+FFFD while the writer's memory (and history cache) kept the original, and two processes
 * would send different histories for one session. So text that must round-trip exactly is
 * refused instead.
 */
export function checkText(field: string, value: string): void {
  if (LONE_SURROGATE.test(value)) throw new ConfigError(field, 'contains a lone UTF-16 surrogate, which cannot be stored exactly');
}

/** For informational text (error messages): lone surrogates become U+FFFD, as SQLite would store them. */
export const wellFormed = (value: string): string => (LONE_SURROGATE.test(value) ? value.replace(LONE_SURROGATES, '\uFFFD') : value);
