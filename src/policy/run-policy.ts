import { ConfigError } from '../errors.js';
import { FAILURE_REASONS, type FailureReason } from '../classify/types.js';
import { MAX_TIMER_MS, MIN_LEASE_TTL_MS } from '../timer-bounds.js';

/** Every limit of a run. All optional in `createRunActor({ policy })`; see docs/configuration.md. */
export interface RunPolicy {
  /** Calls per (model, profile) within one run, first call included. */
  maxAttemptsPerCandidate: number;
  /** A wait longer than this (Retry-After or backoff) means "move on now", never "sleep". */
  maxRetryWaitMs: number;
  /** First backoff delay of a transient failure; doubles per consecutive failure of the same key. */
  backoffBaseMs: number;
  /**
   * A call that shows no text is cut (and classified `timeout`) after this long: the whole of a
   * non-streamed call, a streamed one until its first text delta. A stream that keeps producing
   * is bounded by `streamIdleTimeoutMs` and the deadline instead, so a long healthy answer is never cut.
   */
  attemptTimeoutMs: number;
  /** A streamed call (`stream: true`) with no activity (no delta of any kind) this long after it started is cut: `timeout`. */
  firstTokenTimeoutMs: number;
  /** A streamed call that went silent this long after its last activity is cut: `timeout`. */
  streamIdleTimeoutMs: number;
  /**
   * After a timeout: `next_provider` leaves the provider for the run (a second timeout there in
   * the same run blocks it for good), `next_key` treats it as a failure of this (model, key) only.
   */
  onTimeout: 'next_provider' | 'next_key';
  /** The whole run, lease wait included, ends by this long after it started. */
  deadlineMs: number;
  /**
   * Per reason, when the provider gives no Retry-After / reset time: for long reasons (quota,
   * billing, auth, model not found) the first cooldown, doubling per repeat; for transient
   * reasons the cap of the backoff that starts at `backoffBaseMs`. 0 for reasons that only
   * block within the run.
   */
  cooldownMs: Record<FailureReason, number>;
  /** Upper bound of any cooldown, including exponential growth. */
  maxCooldownMs: number;
  /** When every candidate is cooling down: call the one that frees up first once, or fail at once. */
  whenAllCoolingDown: 'probe' | 'fail';
  /** A content-policy refusal: try the next candidate, or fail the run. */
  onContentPolicy: 'escalate' | 'fail';
  /** A stream that broke after deltas were sent: fail, or restart on the next candidate. */
  onInterrupted: 'fail' | 'restart';
  /** Session lease lifetime without renewal (at least 1 000 ms); renewed every third of it while the run works. */
  leaseTtlMs: number;
  /** How long a run waits for a busy session before SessionBusyError. */
  lockWaitMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_POLICY: Readonly<RunPolicy> = Object.freeze({
  maxAttemptsPerCandidate: 2,
  maxRetryWaitMs: 10_000,
  backoffBaseMs: 500,
  attemptTimeoutMs: 120_000,
  firstTokenTimeoutMs: 15_000,
  streamIdleTimeoutMs: 30_000,
  onTimeout: 'next_provider',
  deadlineMs: 10 * MINUTE,
  cooldownMs: Object.freeze({
    rate_limit: MINUTE,
    quota_exhausted: HOUR,
    billing: 6 * HOUR,
    auth: 24 * HOUR,
    overloaded: 30_000,
    server_error: 30_000,
    timeout: 30_000,
    network: 30_000,
    context_overflow: 0,
    content_policy: 0,
    model_not_found: 24 * HOUR,
    bad_request: 0,
    aborted: 0,
    interrupted: 0,
    host_error: 0,
    unknown: 30_000,
  }),
  maxCooldownMs: 24 * HOUR,
  whenAllCoolingDown: 'probe',
  onContentPolicy: 'escalate',
  onInterrupted: 'restart',
  leaseTtlMs: 30_000,
  lockWaitMs: 30_000,
}) as Readonly<RunPolicy>;

export type PolicyOverrides = Partial<Omit<RunPolicy, 'cooldownMs'>> & {
  cooldownMs?: Partial<Record<FailureReason, number>>;
};

interface NumberLimit {
  min: number;
  /** Timers: setTimeout fires a longer delay (Infinity included) after 1 ms. */
  max?: number;
  integer?: boolean;
}

const NUMBER_LIMITS: Record<Exclude<keyof RunPolicy, 'cooldownMs' | 'whenAllCoolingDown' | 'onContentPolicy' | 'onInterrupted' | 'onTimeout'>, NumberLimit> = {
  maxAttemptsPerCandidate: { min: 1, integer: true },
  maxRetryWaitMs: { min: 0, max: MAX_TIMER_MS },
  backoffBaseMs: { min: 0, max: MAX_TIMER_MS },
  attemptTimeoutMs: { min: 1, max: MAX_TIMER_MS },
  firstTokenTimeoutMs: { min: 1, max: MAX_TIMER_MS },
  streamIdleTimeoutMs: { min: 1, max: MAX_TIMER_MS },
  deadlineMs: { min: 1, max: MAX_TIMER_MS },
  maxCooldownMs: { min: 0 },
  leaseTtlMs: { min: MIN_LEASE_TTL_MS, max: MAX_TIMER_MS },
  lockWaitMs: { min: 0, max: MAX_TIMER_MS },
};

const CHOICES = {
  whenAllCoolingDown: ['probe', 'fail'],
  onContentPolicy: ['escalate', 'fail'],
  onInterrupted: ['fail', 'restart'],
  onTimeout: ['next_provider', 'next_key'],
} as const;

function checkNumber(field: string, value: unknown, min: number, integer = false, max = Infinity): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new ConfigError(field, `must be a number, got ${describe(value)}`);
  if (value < min) throw new ConfigError(field, `must be >= ${min}, got ${value}`);
  if (value > max) throw new ConfigError(field, `must be at most ${max} ms (about 24.8 days: a longer timer fires at once), got ${value}`);
  if (integer && !Number.isInteger(value)) throw new ConfigError(field, `must be an integer, got ${value}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return typeof value === 'number' ? String(value) : typeof value;
}

/** Merges overrides onto the defaults; throws ConfigError naming `policy.<field>` on a bad value. */
export function resolvePolicy(overrides: unknown): Readonly<RunPolicy> {
  if (overrides === undefined) return DEFAULT_POLICY;
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new ConfigError('policy', `must be an object, got ${describe(overrides)}`);
  }
  const given = overrides as Record<string, unknown>;
  const known = new Set<string>(Object.keys(DEFAULT_POLICY));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) throw new ConfigError(`policy.${key}`, 'is not a known policy field');
  }
  const out: RunPolicy = { ...DEFAULT_POLICY, cooldownMs: { ...DEFAULT_POLICY.cooldownMs } };
  for (const [key, limit] of Object.entries(NUMBER_LIMITS) as [keyof typeof NUMBER_LIMITS, NumberLimit][]) {
    if (given[key] !== undefined) out[key] = checkNumber(`policy.${key}`, given[key], limit.min, limit.integer, limit.max);
  }
  for (const [key, allowed] of Object.entries(CHOICES) as [keyof typeof CHOICES, readonly string[]][]) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw new ConfigError(`policy.${key}`, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
    }
    (out as unknown as Record<string, string>)[key] = value;
  }
  if (given.cooldownMs !== undefined) {
    const cooldowns = given.cooldownMs;
    if (typeof cooldowns !== 'object' || cooldowns === null || Array.isArray(cooldowns)) throw new ConfigError('policy.cooldownMs', 'must be an object of reason → ms');
    for (const [reason, ms] of Object.entries(cooldowns)) {
      if (!(FAILURE_REASONS as readonly string[]).includes(reason)) throw new ConfigError(`policy.cooldownMs.${reason}`, 'is not a failure reason');
      out.cooldownMs[reason as FailureReason] = checkNumber(`policy.cooldownMs.${reason}`, ms, 0);
    }
  }
  return Object.freeze(out);
}
