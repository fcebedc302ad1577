import { ConfigError } from '../errors.js';

// String.prototype.isWellFormed / toWellFormed (ES2024, in Node since 20): a lone surrogate is
// exactly what they look for, a few times faster than a regular expression with the u flag, and
// every run checks its ids and turn texts. The project's lib is ES2023, hence the type here.
// A value that is not a string at run time (the port is called from JavaScript too) keeps the
// regular expression's old answer: tested as its string form.
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };
// With the u flag a well-formed surrogate pair is one code point outside this range, so only a
// lone surrogate matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;
export const isWellFormed = (value: string): boolean => (typeof value === 'string' ? (value as WellFormedString).isWellFormed() : !LONE_SURROGATE.test(value));

/**
 * SQLite stores text as UTF-8, where a lone UTF-16 surrogate cannot exist: it would be written
 * as U+FFFD while the writer's memory (and history cache) kept the original, and two processes
 * would send different histories for one session. So text that must round-trip exactly is
 * refused instead.
 */
export function checkText(field: string, value: string): void {
  if (!isWellFormed(value)) throw new ConfigError(field, 'contains a lone UTF-16 surrogate, which cannot be stored exactly');
}

/** For informational text (error messages): lone surrogates become U+FFFD, as SQLite would store them. */
export const wellFormed = (value: string): string =>
  typeof value === 'string' ? (value as WellFormedString).toWellFormed() : LONE_SURROGATE.test(value) ? (value as string).replace(LONE_SURROGATES, '\uFFFD') : value;
