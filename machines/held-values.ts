/**
 * Values a run holds to its end (its attempts, decisions, cooldowns, own blocks, and the texts
 * of its decisions) built at their exact size. A run in flight is parked at a provider call
 * holding every one of them, so their slack is paid once per run in flight (issue 15: at most
 * 16 KB a run).
 */

/**
 * `list` followed by `items`, in an array of exactly that length. `[...list, item]` and a
 * `push` onto a fresh array leave V8 room for 16 more elements (a 17-slot backing store for one
 * element: about 140 bytes more than needed), and `concat` does not.
 */
export function appended<T>(list: readonly T[], ...items: T[]): T[] {
  const n = list.length;
  // concat is a builtin call of about 180 ns whatever the size; a copy into an array made at its
  // size costs less up to a few dozen elements (a run's lists are mostly that short)
  if (n + items.length > COPY_UP_TO) return list.concat(items);
  const out = new Array<T>(n + items.length);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  for (let i = 0; i < items.length; i++) out[n + i] = items[i]!;
  return out;
}

/** Longest list `appended` copies itself (a micro-benchmark on Node 20: the loop is cheaper below ~40 elements). */
const COPY_UP_TO = 24;

/**
 * A template literal's text as one flat string. V8 makes a template of several parts as a
 * tree of string pieces (a 32-byte node per `+`), and a decision's detail, held to the end of
 * the run, was 200 to 300 bytes of nodes around a 100-byte text; `join` writes it into one string.
 */
export function flat(strings: TemplateStringsArray, ...values: unknown[]): string {
  const parts: string[] = [strings[0]!];
  // String(), as a template does: join would write undefined and null as ''
  for (let i = 0; i < values.length; i++) parts.push(String(values[i]), strings[i + 1]!);
  return parts.join('');
}

/**
 * `n` itself, given as a small integer when it is one. A difference of two times is computed as
 * a float and boxed (a 16-byte heap number) even when it is 3, and one such value stored in a
 * record literal makes V8 keep that field boxed in every record of the shape from then on: a
 * run held one more box per call for its attempts' `durationMs`. `n | 0` is the same number,
 * stored in the record itself.
 */
export function compactNumber(n: number): number {
  return Number.isInteger(n) && n >= -0x40000000 && n < 0x40000000 && !Object.is(n, -0) ? n | 0 : n;
}
