import type { StatusRule } from './types.js';

/**
 * HTTP status → base reason, most specific first. A status alone never says `bad_request`: a bare
 * 400 or 422 is an unrecognised refusal of this (model, profile), not proof that every model would
 * refuse the request. Unlisted 4xx statuses are such refusals too (see decide.ts).
 */
export const STATUS_RULES: readonly StatusRule[] = [
  { status: 400, reason: 'unknown', scope: 'model', retryable: false, note: 'a refusal whose words decide: an invalid key, a context overflow, a filter, a region block, or a request the API names as malformed' },
  { status: 401, reason: 'auth', note: 'missing, invalid or expired credentials' },
  { status: 402, reason: 'billing', note: 'payment required: always billing, whatever the words (a Retry-After still bounds the block)' },
  { status: 403, reason: 'auth', note: 'forbidden; some providers send rate limits or quota as 403, which the text reveals' },
  { status: 404, reason: 'model_not_found', note: 'the model or deployment does not exist; a 404 naming no model is a wrong base URL' },
  { status: 405, reason: 'unknown', scope: 'model', retryable: false, note: 'method not allowed: a wrong URL or client, nothing this request can fix by waiting' },
  { status: 408, reason: 'timeout', scope: 'provider', note: 'the server timed out waiting' },
  { status: 410, reason: 'model_not_found', note: 'gone: a retired model or endpoint' },
  { status: 413, reason: 'context_overflow', note: 'request entity too large' },
  { status: 415, reason: 'unknown', scope: 'model', retryable: false, note: 'unsupported media type: refused here, maybe accepted elsewhere' },
  { status: 422, reason: 'unknown', scope: 'model', retryable: false, note: 'unprocessable: the words say whether the request itself is invalid' },
  { status: 429, reason: 'rate_limit', note: 'too many requests; quota wording makes it quota_exhausted' },
  { status: 451, reason: 'content_policy', note: 'unavailable for legal reasons' },
  { status: 498, reason: 'overloaded', scope: 'model', note: 'Groq flex tier: the model has no capacity now' },
  { status: 503, reason: 'overloaded', note: 'service unavailable' },
  { status: 504, reason: 'timeout', scope: 'provider', note: 'gateway timeout' },
  { status: 524, reason: 'timeout', scope: 'provider', note: 'Cloudflare: origin timed out' },
  { status: 529, reason: 'overloaded', note: 'Anthropic: overloaded' },
  { status: [500, 599], reason: 'server_error', note: 'any other 5xx, including Cloudflare 52x' },
];

export function statusRule(status: number): StatusRule | undefined {
  return STATUS_RULES.find((r) =>
    typeof r.status === 'number' ? r.status === status : status >= r.status[0] && status <= r.status[1],
  );
}
