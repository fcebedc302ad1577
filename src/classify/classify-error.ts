import { collectSignals, type Signals } from './collect-signals.js';
import { decide, type Decision } from './decide.js';
import { LIMITS } from './limits.js';
import { retryTiming } from './retry-timing.js';
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
function hostTimeout(d: Decision, context: ClassifyContext | undefined): Decision {
  if (d.reason !== 'aborted') return d;
  let callerAborted = true;
  try {
    const signal = context?.signal;
    if (signal !== undefined) callerAborted = signal.aborted === true;
  } catch {
    // An unreadable signal: keep the caller's word for it.
  }
  return callerAborted ? d : { ...d, reason: 'timeout', scope: 'request', retryable: true };
}

const FALLBACK: Classification = { reason: 'unknown', scope: 'model', retryable: true, message: 'unclassifiable error' };

/**
 * Classifies whatever a provider call threw: SDK errors, `{ status, headers, body }`, AI SDK
 * errors, Node network errors, aborts, HTML pages, strings, `null`, cyclic objects. Total (never
 * throws), pure apart from the injected clock, and linear in the size of the input.
 */
export function classifyError(err: unknown, context?: ClassifyContext): Classification {
  try {
    const signals = collectSignals(err);
    const d = hostTimeout(decide(signals, typeof context?.provider === 'string' ? context.provider : undefined), context);
    const limited = d.reason === 'rate_limit' || d.reason === 'quota_exhausted';
    const timing = d.ignoresRetryHint ? {} : retryTiming(signals.headers, signals.timing, d.text, clockOf(context), limited);
    const code = d.code === undefined ? undefined : scrubSecrets(d.code).slice(0, 100);
    return {
      reason: d.reason,
      scope: d.scope,
      retryable: d.retryable,
      ...(timing.retryAfterMs !== undefined ? { retryAfterMs: timing.retryAfterMs } : {}),
      ...(timing.resetAt !== undefined ? { resetAt: timing.resetAt } : {}),
      ...(d.status !== undefined ? { status: d.status } : {}),
      ...(code !== undefined ? { code } : {}),
      message: messageOf(signals, err, d.status, code),
    };
  } catch {
    return { ...FALLBACK };
  }
}
