import type { FailureReason, FailureScope } from './types.js';

export interface ReasonDefaults {
  scope: FailureScope;
  retryable: boolean;
}

/**
 * Default scope and retryability per reason: as narrow as the evidence a bare signal gives. A limit,
 * an overload or a 5xx blocks this model (under this key for limits); only words that speak for
 * the whole service widen it to the provider, only money, quota and credentials take the whole
 * key. A network failure (nothing answered) is the provider's.
 */
export const REASON_DEFAULTS: Record<FailureReason, ReasonDefaults> = {
  rate_limit: { scope: 'model', retryable: true },
  quota_exhausted: { scope: 'profile', retryable: false },
  billing: { scope: 'profile', retryable: false },
  auth: { scope: 'profile', retryable: false },
  overloaded: { scope: 'model', retryable: true },
  server_error: { scope: 'model', retryable: true },
  timeout: { scope: 'request', retryable: true },
  network: { scope: 'provider', retryable: true },
  context_overflow: { scope: 'model', retryable: false },
  content_policy: { scope: 'model', retryable: false },
  model_not_found: { scope: 'model', retryable: false },
  // A request one API refuses is refused by its own validation rules: only wording that names a
  // defect every chat API refuses (a tool call without its result) widens it to the request.
  bad_request: { scope: 'model', retryable: false },
  aborted: { scope: 'request', retryable: false },
  interrupted: { scope: 'model', retryable: false },
  host_error: { scope: 'model', retryable: false },
  unknown: { scope: 'model', retryable: true },
};

/**
 * Which text reasons may refine a base reason. A status or broad category is only a default, so
 * wording may sharpen it, but not everywhere: a 429 is the caller's limit unless the words name capacity, a request too large for the window or a block, a
 * 402 is billing whatever the words, and a 401/403 keeps auth unless the text names money, quota,
 * rate, moderation or a model that is gone ("Model disabled." sent as 403).
 * `'*'` means any reason.
 */
export const BASE_REFINEMENTS: Partial<Record<FailureReason, readonly FailureReason[] | '*'>> = {
  rate_limit: ['quota_exhausted', 'billing', 'overloaded', 'context_overflow', 'content_policy'],
  billing: [],
  auth: ['billing', 'quota_exhausted', 'rate_limit', 'content_policy', 'model_not_found'],
};

/**
 * Specific provider codes are final except for these refinements: within the same family, and a
 * parameter code (`unsupported_value`) whose words say the account may not use the feature yet.
 * A `model_not_found` code whose words say the key (its project) may not use the model is `auth`
 * of that model (OpenAI sends project model access as `model_not_found`).
 */
export const CODE_REFINEMENTS: Partial<Record<FailureReason, readonly FailureReason[]>> = {
  rate_limit: ['quota_exhausted', 'billing', 'overloaded', 'context_overflow'],
  bad_request: ['auth'],
  model_not_found: ['auth'],
  quota_exhausted: ['rate_limit'],
  auth: ['billing', 'quota_exhausted', 'rate_limit', 'content_policy'],
};
