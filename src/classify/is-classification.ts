import { type Classification, FAILURE_REASONS, FAILURE_SCOPES } from './types.js';

const optionalNumber = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v));

/** Whether a value is a well-formed Classification (what a host classifier must return to be used). */
export function isClassification(value: unknown): value is Classification {
  if (value === null || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return (
    (FAILURE_REASONS as readonly unknown[]).includes(c.reason) &&
    (FAILURE_SCOPES as readonly unknown[]).includes(c.scope) &&
    typeof c.retryable === 'boolean' &&
    typeof c.message === 'string' &&
    optionalNumber(c.retryAfterMs) &&
    (c.retryAfterMs === undefined || (c.retryAfterMs as number) >= 0) &&
    optionalNumber(c.resetAt) &&
    optionalNumber(c.status) &&
    (c.code === undefined || typeof c.code === 'string')
  );
}
