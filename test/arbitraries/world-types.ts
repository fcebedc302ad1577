import type { Classification, FailureReason, FailureScope } from '../../src/classify/types.js';
import type { RunPolicy } from '../../src/policy/run-policy.js';
import type { CooldownEntry, Message } from '../../src/types.js';

/** An HTTP error as providers send it (and as `call` may throw it): status, headers, body. */
export interface Payload {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * What the test says a failure means. `retryAfterMs` mirrors the payload's Retry-After header;
 * `resetInMs` becomes an absolute `resetAt` at the moment the call fails (on the run's clock).
 */
export interface Pinned {
  reason: FailureReason;
  scope: FailureScope;
  retryable: boolean;
  retryAfterMs?: number;
  resetInMs?: number;
}

/**
 * One scripted answer of one (provider, model, profile). `delayMs` is simulated time; it always
 * carries a 1/1024 ms fraction so a call never ends on the exact tick its timeout fires.
 */
export type Outcome =
  | { kind: 'reply'; delayMs: number }
  | { kind: 'fail'; delayMs: number; payload: Payload; pinned: Pinned; fixtureId?: string }
  | { kind: 'hang' };

export interface ChainEntry {
  provider: string;
  model: string;
}

/** Everything one generated run depends on. Times are simulated ms from the run's start (0). */
export interface World {
  chain: readonly ChainEntry[];
  /** Profile ids per provider of the chain, in rotation order. */
  profiles: Readonly<Record<string, readonly string[]>>;
  /** Per `provider/model@profile`: the answers of its 1st, 2nd, ... call (the last repeats). */
  scripts: Readonly<Record<string, readonly Outcome[]>>;
  policy: Readonly<RunPolicy>;
  /** Cooldowns in the store before the run starts (some already expired). */
  cooldowns: readonly CooldownEntry[];
  /** The host aborts the run at this simulated time (never on a tick anything else happens). */
  abortAtMs?: number;
  /** Turns already in the session. */
  prior: readonly Message[];
  /** The run's new message(s). */
  messages: readonly Message[];
}

export const scriptKey = (provider: string, model: string, profileId: string): string => `${provider}/${model}@${profileId}`;

/** Classification as the engine receives it for a pinned failure that happened at `now`. */
export function classificationOf(p: Pinned, payload: Payload, now: number): Classification {
  return {
    reason: p.reason,
    scope: p.scope,
    retryable: p.retryable,
    ...(p.retryAfterMs !== undefined ? { retryAfterMs: p.retryAfterMs } : {}),
    ...(p.resetInMs !== undefined ? { resetAt: now + p.resetInMs } : {}),
    status: payload.status,
    message: payload.body.slice(0, 120),
  };
}
