import { ClassificationMemo, type TimelessClassification } from './classification-memo.js';
import { collectSignals, type Signals } from './collect-signals.js';
import { decideFor, decidingStatus } from './decide.js';
import { LIMITS } from './limits.js';
import { proseTiming, retryTiming, type ProseTiming } from './retry-timing.js';
import { familyOf } from './rules/index.js';
import type { RuleTable } from './rules/types.js';
import { scrubSecrets } from './scrub-secrets.js';
import type { Classification, ClassifyContext } from './types.js';

function clockOf(context: ClassifyContext | undefined): number {
  try {
    const t = context?.now?.();
    if (typeof t === 'number' && Number.isFinite(t)) return t;
  } catch {
    // A broken injected clock falls back to the real one.
  }
  return Date.now();
}

function describeRoot(err: unknown): string {
  if (err === null) return 'null was thrown';
  if (err === undefined) return 'undefined was thrown';
  if (typeof err === 'symbol') return 'a symbol was thrown';
  if (typeof err === 'object' || typeof err === 'function') return 'an error without a message';
  return String(err);
}

/** The best human message: a provider's own words over wrapper prose, scrubbed and short. */
function messageOf(signals: Signals, err: unknown, status: number | undefined, code: string | undefined): string {
  let best: string | undefined;
  let rank = Infinity;
  for (const t of signals.texts) if (t.rank < rank) [best, rank] = [t.text, t.rank];
  const raw = best ?? (code ? code : status !== undefined ? `HTTP ${status}` : describeRoot(err));
  // Whitespace collapsed first (when there is any to collapse), then scrubbed on a prefix with room
  // for keys that shrink to `***`.
  const prefix = raw.slice(0, 8 * LIMITS.messageChars);
  const flat = /[^\S ]| {2}|^ | $/.test(prefix) ? prefix.replace(/\s+/g, ' ').trim() : prefix;
  const clean = scrubSecrets(flat.slice(0, 2 * LIMITS.messageChars));
  return clean.length > LIMITS.messageChars ? `${clean.slice(0, LIMITS.messageChars - 1)}…` : clean || 'unknown error';
}

/**
 * An AbortError while the caller's own signal is not aborted came from somewhere else: the host's
 * own timeout (`AbortSignal.timeout`, a wrapper's controller) or a proxy cutting the call. That is
 * a timeout of this call, to retry or move on from, not the caller cancelling the run.
 */
function callerAborted(context: ClassifyContext | undefined): boolean {
  try {
    const signal = context?.signal;
    if (signal !== undefined) return signal.aborted === true;
  } catch {
    // An unreadable signal: keep the caller's word for it.
  }
  return true;
}

const FALLBACK: Classification = { reason: 'unknown', scope: 'model', retryable: true, message: 'unclassifiable error' };
const NO_PROSE: ProseTiming = Object.freeze({});

/** What the rules, the message and the prose say: everything but the clock and the caller's signal. */
function timeless(signals: Signals, family: RuleTable | undefined, err: unknown): TimelessClassification {
  const d = decideFor(signals, family);
  const code = d.code === undefined ? undefined : scrubSecrets(d.code).slice(0, 100);
  return {
    reason: d.reason,
    scope: d.scope,
    retryable: d.retryable,
    status: d.status,
    code,
    message: messageOf(signals, err, d.status, code),
    ignoresRetryHint: d.ignoresRetryHint,
    prose: d.ignoresRetryHint ? NO_PROSE : proseTiming(d.text),
    fromRoot: signals.texts.length === 0 && !code && d.status === undefined,
  };
}

// One for the process: the same failure words classify the same for every run and store.
const MEMO = new ClassificationMemo();
/** The process's memo (tests: its bounds, what it holds). */
export const classificationMemo = (): ClassificationMemo => MEMO;

function classify(err: unknown, context: ClassifyContext | undefined, memo: ClassificationMemo | undefined): Classification {
  try {
    const signals = collectSignals(err);
    const family = familyOf(typeof context?.provider === 'string' ? context.provider : undefined, signals.headers);
    const t = memo ? memo.get(signals, family, decidingStatus(signals), err, timeless) : timeless(signals, family, err);
    let { reason, scope, retryable } = t;
    if (reason === 'aborted' && !callerAborted(context)) [reason, scope, retryable] = ['timeout', 'request', true];
    const limited = reason === 'rate_limit' || reason === 'quota_exhausted';
    const timing = t.ignoresRetryHint ? {} : retryTiming(signals.headers, signals.timing, t.prose, clockOf(context), limited);
    const { status, code } = t;
    // Fields added in their order one by one, not spreads of conditional literals (a literal and a
    // copy per field present); the same fields present give the same shape.
    const out = { reason, scope, retryable } as Classification;
    if (timing.retryAfterMs !== undefined) out.retryAfterMs = timing.retryAfterMs;
    if (timing.resetAt !== undefined) out.resetAt = timing.resetAt;
    if (status !== undefined) out.status = status;
    if (code !== undefined) out.code = code;
    out.message = t.message;
    return out;
  } catch {
    return { ...FALLBACK };
  }
}

/**
 * Classifies whatever a provider call threw: SDK errors, `{ status, headers, body }`, AI SDK
 * errors, Node network errors, aborts, HTML pages, strings, `null`, cyclic objects. Total (never
 * throws), pure apart from the injected clock, and linear in the size of the input. The same
 * failure words are matched against the rules once (ClassificationMemo); waits are turned into
 * times on every call.
 */
export function classifyError(err: unknown, context?: ClassifyContext): Classification {
  return classify(err, context, MEMO);
}

/** classifyError without the memo: what the memo must always agree with (tests). */
export function classifyErrorUnmemoised(err: unknown, context?: ClassifyContext): Classification {
  return classify(err, context, undefined);
}
