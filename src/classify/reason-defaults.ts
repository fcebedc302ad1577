import type { FailureReason, FailureScope } from './types.js';

export interface ReasonDefaults {
  scope: FailureScope;
  retryable: boolean;
}

/**
 * Default scope and retryability per reason. A rule or a provider family may narrow the scope
 * (Anthropic rate limits are per model, a Bedrock model error is the model's, ...).
 * `server_error` defaults to `provider`: a 5xx from a provider's front door says nothing about
 * one model, and the payload corpus labels it so; a model-specific error code narrows it.
 */
export const REASON_DEFAULTS: Record<FailureReason, ReasonDefaults> = {
  rate_limit: { scope: 'profile', retryable: true },
  quota_exhausted: { scope: 'profile', retryable: false },
  billing: { scope: 'profile', retryable: false },
  auth: { scope: 'profile', retryable: false },
  overloaded: { scope: 'provider', retryable: true },
  server_error: { scope: 'provider', retryable: true },
  timeout: { scope: 'request', retryable: true },
  network: { scope: 'provider', retryable: true },
  context_overflow: { scope: 'model', retryable: false },
  content_policy: { scope: 'model', retryable: false },
  model_not_found: { scope: 'model', retryable: false },
  bad_request: { scope: 'request', retryable: false },
  aborted: { scope: 'request', retryable: false },
  interrupted: { scope: 'model', retryable: false },
  host_error: { scope: 'model', retryable: false },
  unknown: { scope: 'model', retryable: true },
};

/**
 * Which text reasons may refine a base reason. A status or broad category is only a default, so
 * wording may sharpen it, but not everywhere: a 429 that says "model overloaded" is still the
 * caller's limit, and a 401/403 keeps auth unless the text names money, quota, rate or moderation.
 * `'*'` means any reason.
 */
export const BASE_REFINEMENTS: Partial<Record<FailureReason, readonly FailureReason[] | '*'>> = {
  rate_limit: ['quota_exhausted', 'billing'],
  billing: ['quota_exhausted', 'rate_limit'],
  auth: ['billing', 'quota_exhausted', 'rate_limit', 'content_policy'],
};

/** Specific provider codes are final except for these refinements of the same family. */
export const CODE_REFINEMENTS: Partial<Record<FailureReason, readonly FailureReason[]>> = {
  rate_limit: ['quota_exhausted', 'billing'],
  auth: ['billing', 'quota_exhausted', 'rate_limit', 'content_policy'],
};
