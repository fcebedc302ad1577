import type { Decision } from '../types.js';

/** The keys of a skip decision, in the order the engine makes them (machines/skip-report.ts). */
const SKIP_KEYS = ['kind', 'at', 'provider', 'model', 'reason', 'detail', 'until'] as const;
/** The keys of a decision to enter a candidate (select, escalate; rotate too), in the engine's order (machines/entry-text.ts). */
const ENTRY_KEYS = ['kind', 'at', 'provider', 'model', 'profileId', 'reason', 'detail'] as const;

/** A decision's JSON after its `at`, with what it was written from. */
interface Tail {
  kind: string;
  provider: string;
  model: string;
  reason: string;
  /** An entry's profile; undefined for a skip. */
  profileId: string | undefined;
  /** A skip's `until`; undefined for an entry, or a skip blocked for the rest of the run. */
  until: number | undefined;
  /** `{"kind":…,"at":` */
  head: string;
  /** `,"provider":…,"model":…[,"profileId":…],"reason":…,"detail":…[,"until":…]}` */
  tail: string;
}

/** Details whose JSON tail is kept, at most (a host's chains have a bounded set of candidates; made-up ones must not grow it). */
const MAX_TAILS = 2048;
const tails = new Map<string, Tail>();

/**
 * Whether `d` is a skip decision as the engine makes it (own enumerable keys exactly SKIP_KEYS,
 * the 6 first or all 7, in that order, string and finite number values) or an entry decision
 * (ENTRY_KEYS, strings but a finite `at`). Only then is its JSON `{"kind":<kind>,"at":<at><tail>`.
 * A toJSON was ruled out by the caller.
 */
function tailed(d: Decision, skip: boolean): boolean {
  const keys = skip ? SKIP_KEYS : ENTRY_KEYS;
  let k = 0;
  for (const key in d) {
    if (key !== keys[k] || !Object.hasOwn(d, key)) return false;
    k++;
  }
  if (k !== 7 && !(k === 6 && skip)) return false;
  const strings = typeof d.kind === 'string' && typeof d.provider === 'string' && typeof d.model === 'string' && typeof d.reason === 'string' && typeof d.detail === 'string';
  if (!strings || !Number.isFinite(d.at)) return false;
  return skip ? k === 6 || Number.isFinite(d.until) : typeof d.profileId === 'string';
}

function tailOf(d: Decision, skip: boolean): Tail {
  const known = tails.get(d.detail);
  if (
    known &&
    known.kind === d.kind &&
    known.provider === d.provider &&
    known.model === d.model &&
    known.reason === d.reason &&
    known.profileId === (skip ? undefined : d.profileId) &&
    known.until === (skip ? d.until : undefined)
  ) {
    return known;
  }
  const body = skip
    ? d.until === undefined
      ? { provider: d.provider, model: d.model, reason: d.reason, detail: d.detail }
      : { provider: d.provider, model: d.model, reason: d.reason, detail: d.detail, until: d.until }
    : { provider: d.provider, model: d.model, profileId: d.profileId, reason: d.reason, detail: d.detail };
  const made: Tail = {
    kind: d.kind,
    provider: d.provider!,
    model: d.model!,
    reason: d.reason,
    profileId: skip ? undefined : d.profileId,
    until: skip ? d.until : undefined,
    head: `{"kind":${JSON.stringify(d.kind)},"at":`,
    tail: `,${JSON.stringify(body).slice(1)}`,
  };
  if (!known && tails.size >= MAX_TAILS) tails.clear();
  tails.set(d.detail, made);
  return made;
}

/** A character JSON.stringify writes escaped: a quote, a backslash, a control character, a surrogate (a lone one is escaped). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const quoted = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);
/** The keys decisions have, written once. */
const KEYS = new Map(['kind', 'at', 'provider', 'model', 'profileId', 'reason', 'detail', 'until', 'delayMs'].map((k) => [k, `"${k}":`]));

/**
 * JSON.stringify(d) for a plain object whose values are all strings, numbers, booleans, null
 * or undefined (which JSON leaves out): written here, as a call of JSON.stringify on a small
 * object cost a run about 2 µs in place (cold). undefined for any other decision (an array, a
 * boxed value, a class instance, an object or array value): JSON.stringify writes it. Own
 * enumerable keys in their order, as JSON.stringify takes them (for-in gives the own ones in
 * that same order, then any inherited ones, which JSON skips).
 */
function flatJson(d: Decision): string | undefined {
  // an array, a boxed string or number, a class instance: JSON.stringify knows what each becomes
  const proto: unknown = Object.getPrototypeOf(d);
  if (proto !== Object.prototype && proto !== null) return undefined;
  let text = '{';
  for (const key in d) {
    if (!Object.hasOwn(d, key)) continue;
    const v = (d as unknown as Record<string, unknown>)[key];
    let value: string;
    if (typeof v === 'string') value = quoted(v);
    else if (typeof v === 'number') value = Number.isFinite(v) ? String(v) : 'null';
    else if (v === undefined) continue;
    else if (v === null || typeof v === 'boolean') value = String(v);
    else return undefined;
    if (text.length > 1) text += ',';
    text += (KEYS.get(key) ?? `${quoted(key)}:`) + value;
  }
  return text + '}';
}

/**
 * `JSON.stringify(decisions)`, the very same text, made faster for the decisions runs write
 * most: entering a candidate and skipping one (of a list that skips more than one). Their text
 * after `at` is the same for every run that takes that decision (JSON.stringify escaping the same
 * detail again, every run: about 0.5 µs a decision, and a run of a long chain writes one per
 * candidate), so it is written once per detail and reused while the decision's other fields are
 * the same. Any other decision is
 * JSON.stringify'd on its own; any list that is not a plain array of plain objects goes through
 * JSON.stringify whole, as before.
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
  // A lone skip's detail is most often a run's own (the incident's names the time its cooldown
  // ends): keeping its text would cost a map entry per run and never be reused. A chain's skips
  // share theirs with the chain's other runs.
  const skipTails = skips >= 2;
  let text = '[';
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i]!;
    if (i > 0) text += ',';
    const skip = d.kind === 'skip';
    if ((skip && !skipTails) || !tailed(d, skip)) text += flatJson(d) ?? JSON.stringify(d);
    else {
      const t = tailOf(d, skip);
      text += t.head + String(d.at) + t.tail;
    }
  }
  return text + ']';
}
