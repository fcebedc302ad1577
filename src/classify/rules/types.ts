import type { FailureReason, FailureScope } from '../types.js';

/**
 * One classification signal. A rule matches either the error's codes (`code`: `error.type`,
 * `error.code`, gRPC status strings, exception and Node error codes) or its text (`text`:
 * messages and bodies, cut to 10 kB). Rules are data: the classifier walks them in order.
 */
export interface Rule {
  code?: RegExp;
  text?: RegExp;
  /** The rule applies only when the HTTP status is one of these. */
  status?: readonly number[];
  reason: FailureReason;
  /** Overrides the reason's default scope when this rule decides the reason. */
  scope?: FailureScope;
  /** Overrides the reason's default retryability when this rule decides the reason. */
  retryable?: boolean;
  /**
   * A broad category (`invalid_request_error`, `api_error`, gRPC `INTERNAL`...): it ranks like an
   * HTTP status, so the text may refine it, and a real HTTP status outranks it.
   */
  weak?: boolean;
  /**
   * Client-side signals (abort, timeout, socket codes, a response that failed to parse) that lose
   * to an HTTP error status found anywhere in the chain: the provider answered, so its status says more.
   */
  yieldsToStatus?: boolean;
  /** The provider's retry hint does not apply: the limit never frees by waiting (a quota of 0). */
  ignoresRetryHint?: boolean;
  /** Why the signal means this, for docs/errors.md. */
  note: string;
}

/** HTTP status → base reason. A status ranks below a specific provider code and can be refined by text. */
export interface StatusRule {
  /** A single status or an inclusive range. */
  status: number | readonly [number, number];
  reason: FailureReason;
  scope?: FailureScope;
  retryable?: boolean;
  note: string;
}

/** The rules of one provider family (or the generic rules every provider gets). */
export interface RuleTable {
  family: string;
  title: string;
  /** Provider names (as in the chain, before any `/` or `:`) that select this family. */
  providers: readonly string[];
  /** Response header name prefixes that identify the family when the host names no provider. */
  headerPrefixes?: readonly string[];
  /** Scopes this family uses instead of the reason's default (its limits are per model, ...). */
  defaultScopes?: Partial<Record<FailureReason, FailureScope>>;
  rules: readonly Rule[];
}
