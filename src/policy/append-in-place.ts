/**
 * Appends to the lists of a run's logs (attempts, decisions, cooldowns, own blocks). A log is
 * never changed: an append makes a new log, one entry longer. Copying its lists on every append
 * made a run's failures quadratic in their number (a dead chain's run copied every list it holds
 * at every failure: ~4.6 KB of copies per failed candidate of a chain of 128). Instead the new
 * log shares the old one's list, grown in place, when the old log is the newest reader of that
 * list (nothing was appended after its `n` entries); a log reads only its first `n` entries, so
 * what follows them changes nothing it says. An append to an older log (a fork: a test, a
 * step computed again for the inspector) copies its `n` entries into a list of its own.
 *
 * A short list is copied at its exact size, as before: `push` gives a list room for 16 more
 * entries and half its length, room a run in flight would hold in every list (a run of one or
 * two failures, the usual, holds none); a long one is grown in place from GROW_FROM entries on.
 * One function per kind of element, as cooldown-log.ts explains: a `new Array` site that stored
 * objects would box every number stored in the arrays it makes afterwards.
 */

/** Entries from which a list is grown in place rather than copied (the first push makes room for 16 + n / 2 more). */
const GROW_FROM = 16;

/** `list`'s first `n` entries followed by `item`: `list` itself, grown, when its length is `n`. */
export function appendedInPlace<T>(list: readonly T[], n: number, item: T): T[] {
  // never an empty list: it may be a frozen or shared one (the empty logs every run starts from)
  if (n >= GROW_FROM && list.length === n) {
    (list as T[]).push(item);
    return list as T[];
  }
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = item;
  return out;
}

/** appendedInPlace for numbers (times, ends, counts: unboxed doubles). */
export function appendedNumberInPlace(list: readonly number[], n: number, item: number): number[] {
  if (n >= GROW_FROM && list.length === n) {
    (list as number[]).push(item);
    return list as number[];
  }
  const out = new Array<number>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = item;
  return out;
}

/**
 * appendedNumberInPlace for small integers (counts): a site of their own, whose arrays stay of
 * small integers, read back as such (a count read from a list of doubles is a double, and a
 * record that stores one boxes that field from then on: machines/held-values.ts compactNumber).
 */
export function appendedCountInPlace(list: readonly number[], n: number, item: number): number[] {
  if (n >= GROW_FROM && list.length === n) {
    (list as number[]).push(item);
    return list as number[];
  }
  const out = new Array<number>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = item;
  return out;
}

/** appendedNumberInPlace of two numbers (a call's start and duration). */
export function appendedPairInPlace(list: readonly number[], n: number, a: number, b: number): number[] {
  if (n >= GROW_FROM && list.length === n) {
    (list as number[]).push(a, b);
    return list as number[];
  }
  const out = new Array<number>(n + 2);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = a;
  out[n + 1] = b;
  return out;
}
