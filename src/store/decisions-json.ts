import type { Decision } from '../types.js';

/** The keys of a skip decision, in the order the engine makes them (machines/skip-report.ts). */
const SKIP_KEYS = ['kind', 'at', 'provider', 'model', 'reason', 'detail', 'until'] as const;

/** A skip decision's JSON after its `at`, with what it was written from. */
interface SkipTail {
  provider: string;
  model: string;
  reason: string;
  /** undefined: the decision has no `until` (blocked for the rest of the run). */
  until: number | undefined;
  /** `,"provider":…,"model":…,"reason":…,"detail":…[,"until":…]}` */
  tail: string;
}

/** Details whose JSON tail is kept, at most (a host's chains skip a bounded set of candidates; made-up ones must not grow it). */
const MAX_TAILS = 2048;
const tails = new Map<string, SkipTail>();

/**
 * Whether `d` is a skip decision as the engine makes it: own enumerable keys exactly those, in
 * that order (the 6 first, or all 7), string and finite number values, no toJSON. Only then is
 * its JSON `{"kind":"skip","at":<at><tail>`.
 */
function plainSkip(d: Decision): boolean {
  if (d.kind !== 'skip' || typeof (d as { toJSON?: unknown }).toJSON === 'function') return false;
  let k = 0;
  for (const key in d) {
    if (key !== SKIP_KEYS[k] || !Object.hasOwn(d, key)) return false;
    k++;
  }
  if (k !== 6 && k !== 7) return false;
  return (
    Number.isFinite(d.at) &&
    typeof d.provider === 'string' &&
    typeof d.model === 'string' &&
    typeof d.reason === 'string' &&
    typeof d.detail === 'string' &&
    (k === 6 ? true : Number.isFinite(d.until))
  );
}

function tailOf(d: Decision): string {
  const known = tails.get(d.detail);
  if (known && known.provider === d.provider && known.model === d.model && known.reason === d.reason && known.until === d.until) return known.tail;
  const body = d.until === undefined
    ? { provider: d.provider, model: d.model, reason: d.reason, detail: d.detail }
    : { provider: d.provider, model: d.model, reason: d.reason, detail: d.detail, until: d.until };
  const tail = `,${JSON.stringify(body).slice(1)}`;
  if (!known && tails.size >= MAX_TAILS) tails.clear();
  tails.set(d.detail, { provider: d.provider!, model: d.model!, reason: d.reason, until: d.until, tail });
  return tail;
}

/**
 * `JSON.stringify(decisions)`, the very same text, made faster for the decisions a long chain
 * writes most: a run that skips 127 candidates stored 127 skip decisions of ~230 bytes each,
 * JSON.stringify escaping each detail again, every run. A skip decision's text after its `at`
 * is written once per detail (shared by every run that skips that candidate for the same block)
 * and reused while its fields are the same. Anything else, and any list that is not a plain
 * array of plain objects, goes through JSON.stringify as before.
 */
export function decisionsJson(decisions: readonly Decision[] | undefined): string | null {
  if (!decisions) return null;
  if (!Array.isArray(decisions) || typeof (decisions as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(decisions);
  let skips = 0;
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i];
    // undefined, holes, functions or a toJSON: JSON.stringify of the whole list says what they become
    if (typeof d !== 'object' || d === null || typeof (d as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(decisions);
    if (d.kind === 'skip') skips++;
  }
  if (skips < 2) return JSON.stringify(decisions);
  const parts: string[] = new Array(decisions.length * 2 + 1);
  let n = 0;
  parts[n++] = '[';
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i]!;
    if (i > 0) parts[n++] = ',';
    parts[n++] = plainSkip(d) ? `{"kind":"skip","at":${String(d.at)}${tailOf(d)}` : JSON.stringify(d);
  }
  parts[n++] = ']';
  parts.length = n;
  return parts.join('');
}
