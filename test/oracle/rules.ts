import type { FailureReason, FailureScope } from '../../src/classify/types.js';

/**
 * The failover policy restated from the spec (docs/architecture.md, docs/guarantees.md), as plain data.
 * Deliberately not imported from src/policy: the oracle is a second, independent reading.
 */
export type Move = 'retry' | 'rotate' | 'escalate';

/** Reasons worth calling the same (model, profile) again for. */
export const RETRYABLE: ReadonlySet<FailureReason> = new Set(['rate_limit', 'overloaded', 'server_error', 'timeout', 'network', 'unknown']);

/** Reasons whose limit belongs to an account: a model-scoped one blocks that model under that profile only. */
export const ACCOUNT: ReadonlySet<FailureReason> = new Set(['rate_limit', 'quota_exhausted', 'billing', 'auth']);

/** Reasons that block for the reason's cooldown (growing), not a short backoff. */
export const LONG: ReadonlySet<FailureReason> = new Set(['quota_exhausted', 'billing', 'auth', 'model_not_found']);

/** Reasons about this input on this model: blocked for the rest of the run, never shared. */
export const RUN_ONLY: ReadonlySet<FailureReason> = new Set(['context_overflow', 'content_policy', 'interrupted', 'host_error', 'bad_request', 'aborted']);

export function movesFor(reason: FailureReason): readonly Move[] {
  switch (reason) {
    case 'rate_limit':
      return ['rotate', 'retry', 'escalate'];
    case 'overloaded':
    case 'network':
    case 'timeout':
      return ['rotate', 'escalate', 'retry'];
    case 'server_error':
    case 'unknown':
      return ['retry', 'rotate', 'escalate'];
    case 'host_error':
      // the host's code broke for this candidate: another key of it would break the same way
      return ['escalate'];
    default:
      return ['rotate', 'escalate'];
  }
}

/** How the engine reports a call it cut itself (attempt timeout or the deadline): a retryable timeout of this request. */
export const CUT: { reason: FailureReason; scope: FailureScope; retryable: boolean } = { reason: 'timeout', scope: 'request', retryable: true };
