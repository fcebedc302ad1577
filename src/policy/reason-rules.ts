import type { FailureReason } from '../classify/types.js';

/**
 * What a failure reason means for the run, as data: the one table the policy reads.
 *
 * - `terminal`: the request itself is at fault (or cancelled): every candidate would refuse it.
 *   Only a request-scoped failure says so: a `bad_request` of scope `model` is a parameter or
 *   feature this model refuses (tools, an output-token cap), which another model may take.
 * - `order`: the moves worth trying, best first. `rotate` = another profile of the same model,
 *   `escalate` = the next candidate of the chain, `retry` = the same (model, profile) after a
 *   wait. A key's limit rotates before it waits (no wait, no quality loss); a provider-wide
 *   outage or a hang moves on before waiting on it; a transient 500 stays on the user's
 *   preferred candidate first. Which moves are possible is decided by the blocks, not here.
 * - `cooldown`: `wait` blocks the key for the retry wait (exponential, capped by
 *   `policy.cooldownMs[reason]`), `long` for the reason's cooldown (growing), `run` for this
 *   run only (the failure is about this input on this model: another run may fit). A
 *   provider's Retry-After or reset time always wins.
 */
export type Move = 'retry' | 'rotate' | 'escalate';

export interface ReasonRule {
  terminal: boolean;
  retry: boolean;
  order: readonly Move[];
  cooldown: 'wait' | 'long' | 'run';
  /**
   * Whether the key of a model-scoped failure includes the profile: limits that belong to an account.
   * `model_not_found` does not: a wrong or retired model id is wrong for every key (access one key
   * lacks is classified `auth` of scope `model`, which is per account).
   */
  perAccount: boolean;
}

const rule = (r: Partial<ReasonRule>): ReasonRule =>
  Object.freeze({ terminal: false, retry: false, order: MOVE_ON, cooldown: 'run', perAccount: false, ...r });

const MOVE_ON: readonly Move[] = ['rotate', 'escalate'];
const ROTATE_THEN_WAIT: readonly Move[] = ['rotate', 'retry', 'escalate'];
const MOVE_THEN_WAIT: readonly Move[] = ['rotate', 'escalate', 'retry'];
const WAIT_THEN_MOVE: readonly Move[] = ['retry', 'rotate', 'escalate'];

export const REASON_RULES: Readonly<Record<FailureReason, ReasonRule>> = Object.freeze({
  rate_limit: rule({ retry: true, order: ROTATE_THEN_WAIT, cooldown: 'wait', perAccount: true }),
  quota_exhausted: rule({ cooldown: 'long', perAccount: true }),
  billing: rule({ cooldown: 'long', perAccount: true }),
  auth: rule({ cooldown: 'long', perAccount: true }),
  overloaded: rule({ retry: true, order: MOVE_THEN_WAIT, cooldown: 'wait' }),
  server_error: rule({ retry: true, order: WAIT_THEN_MOVE, cooldown: 'wait' }),
  timeout: rule({ retry: true, order: MOVE_THEN_WAIT, cooldown: 'wait' }),
  network: rule({ retry: true, order: MOVE_THEN_WAIT, cooldown: 'wait' }),
  context_overflow: rule({ cooldown: 'run' }),
  content_policy: rule({ cooldown: 'run' }),
  model_not_found: rule({ cooldown: 'long' }),
  bad_request: rule({ terminal: true }),
  aborted: rule({ terminal: true }),
  interrupted: rule({ cooldown: 'run' }),
  // A bug in the host's code for this call: calling the same candidate again (another key
  // included) would hit it again, another candidate's code path may not; nothing to share.
  host_error: rule({ order: ['escalate'], cooldown: 'run' }),
  unknown: rule({ retry: true, order: WAIT_THEN_MOVE, cooldown: 'wait' }),
});
