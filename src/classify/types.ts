/** Why a provider call failed. See docs/errors.md for the signals behind each reason. */
export const FAILURE_REASONS = [
  'rate_limit',
  'quota_exhausted',
  'billing',
  'auth',
  'overloaded',
  'server_error',
  'timeout',
  'network',
  'context_overflow',
  'content_policy',
  'model_not_found',
  'bad_request',
  'aborted',
  'interrupted',
  'host_error',
  'unknown',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * The narrowest unit a run must leave to avoid the error: this request everywhere, this model,
 * this auth profile (the key or its whole account), or the whole provider.
 */
export const FAILURE_SCOPES = ['request', 'model', 'profile', 'provider'] as const;
export type FailureScope = (typeof FAILURE_SCOPES)[number];

export interface Classification {
  reason: FailureReason;
  scope: FailureScope;
  /** Whether calling the same candidate again may succeed (after `retryAfterMs` if given). */
  retryable: boolean;
  /** How long the provider asked us to wait, in ms. */
  retryAfterMs?: number;
  /** Absolute time (ms since epoch, from the injected clock) when the limit resets. */
  resetAt?: number;
  /** HTTP status when there was one. */
  status?: number;
  /** Provider error code/type, e.g. `usage_limit_reached`, or a Node error code. */
  code?: string;
  /** Human-readable message with secrets scrubbed, at most a few hundred characters. */
  message: string;
}

export interface ClassifyContext {
  /** Provider name as in the chain (`openai-codex`, `deepseek`, ...), to pick provider-specific rules. */
  provider?: string;
  /** Clock used to turn relative waits into `resetAt` and HTTP dates into waits. Defaults to Date.now. */
  now?: () => number;
  /**
   * The signal the caller cancels this call with. When given and not aborted, an AbortError is
   * someone else's timeout (the host's own `AbortSignal.timeout`, a proxy): `timeout`, not `aborted`.
   */
  signal?: AbortSignal;
}

/** A host-supplied classifier: return a Classification to override, or undefined to fall back to ours. */
export type Classifier = (err: unknown, context: ClassifyContext) => Classification | undefined;
