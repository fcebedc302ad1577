import type { Classification, FailureReason } from './classify/types.js';
import { LlmFailoverError, type ConfigError, type LeaseLostError, type SessionBusyError, type StoreError, type ToolAbortError } from './errors.js';
import type { SkipReason } from './events.js';
import type { AttemptRecord } from './types.js';
import { isoTime } from './iso-time.js';

/** What became of one chain candidate in a failed run. */
export interface CandidateReport {
  provider: string;
  model: string;
  /** `failed`: called and failed; `skipped`: never called (cooling down, budget); `not_reached`: the run ended first. */
  outcome: 'failed' | 'skipped' | 'not_reached';
  /** Failure reason of its last call, or why it was skipped. */
  reason: FailureReason | SkipReason | 'not_reached';
  /** When the candidate frees up, if known (ms since epoch). */
  availableAt?: number;
  /** One human sentence. */
  detail: string;
}

interface RunFailureData {
  runId: string;
  attempts: readonly AttemptRecord[];
  candidates: readonly CandidateReport[];
  /** Soonest time any candidate frees up, if known. */
  soonestAvailableAt?: number;
}

function describeCandidates(candidates: readonly CandidateReport[]): string {
  return candidates.map((c) => `${c.provider}/${c.model}: ${c.detail}`).join('; ');
}

/** Leads a run's failure message with the host's own bug, when there was one: that is what to fix. */
function hostErrorNote(attempts: readonly AttemptRecord[]): string {
  const bugs = attempts.filter((a) => a.reason === 'host_error');
  if (bugs.length === 0) return '';
  const where = [...new Set(bugs.map((a) => `${a.provider}/${a.model}`))].join(', ');
  return ` The host's own code failed on ${bugs.length} of them (host_error on ${where}): ${bugs[0]!.message ?? ''}.`;
}

function soonest(at: number | undefined): string {
  return at === undefined ? '' : ` Soonest a candidate frees up: ${isoTime(at)}.`;
}

/** A run that ended with no answer, carrying what became of every candidate. */
abstract class CandidatesReportError extends LlmFailoverError {
  readonly runId: string;
  readonly attempts: readonly AttemptRecord[];
  readonly candidates: readonly CandidateReport[];
  /** Soonest time any candidate frees up (ms since epoch), if known. */
  readonly soonestAvailableAt: number | undefined;

  protected constructor(code: 'FALLBACK_EXHAUSTED' | 'DEADLINE_EXCEEDED', message: string, data: RunFailureData) {
    super(code, message);
    this.runId = data.runId;
    this.attempts = data.attempts;
    this.candidates = data.candidates;
    this.soonestAvailableAt = data.soonestAvailableAt;
  }
}

/** Every candidate of the chain failed, was skipped, or was cut by the attempt budget. */
export class FallbackExhaustedError extends CandidatesReportError {
  declare readonly code: 'FALLBACK_EXHAUSTED';
  constructor(data: RunFailureData) {
    super(
      'FALLBACK_EXHAUSTED',
      `No candidate could serve run ${data.runId} after ${data.attempts.length} call(s).${hostErrorNote(data.attempts)} ${describeCandidates(data.candidates)}.${soonest(data.soonestAvailableAt)}`,
      data,
    );
  }
}

/** The run's deadline (`policy.deadlineMs`) passed before a candidate answered. */
export class DeadlineExceededError extends CandidatesReportError {
  declare readonly code: 'DEADLINE_EXCEEDED';
  constructor(data: RunFailureData & { deadlineMs: number }) {
    super(
      'DEADLINE_EXCEEDED',
      `Run ${data.runId} reached its ${data.deadlineMs} ms deadline after ${data.attempts.length} call(s).${hostErrorNote(data.attempts)} ${describeCandidates(data.candidates)}.${soonest(data.soonestAvailableAt)}`,
      data,
    );
  }
}

/** The request itself was refused (bad request, or a policy that fails on this reason): every model would refuse it. */
export class RequestRejectedError extends LlmFailoverError {
  declare readonly code: 'REQUEST_REJECTED';
  readonly runId: string;
  readonly attempts: readonly AttemptRecord[];
  readonly reason: FailureReason;
  readonly status: number | undefined;

  constructor(runId: string, failure: Classification, attempts: readonly AttemptRecord[]) {
    super('REQUEST_REJECTED', `Run ${runId} stopped: the request was rejected (${failure.reason}${failure.status ? `, ${failure.status}` : ''}): ${failure.message}`);
    this.runId = runId;
    this.attempts = attempts;
    this.reason = failure.reason;
    this.status = failure.status;
  }
}

/** The host's AbortSignal (or `actor.send({ type: 'run.abort' })`) stopped the run; nothing was persisted. */
export class RunAbortedError extends LlmFailoverError {
  declare readonly code: 'RUN_ABORTED';
  readonly runId: string;
  readonly attempts: readonly AttemptRecord[];

  constructor(runId: string, attempts: readonly AttemptRecord[], detail = 'aborted by the caller') {
    super('RUN_ABORTED', `Run ${runId} was ${detail}; nothing was persisted.`);
    this.runId = runId;
    this.attempts = attempts;
  }
}

/** A custom store threw something that is not an LlmFailoverError; the original is its `cause`. */
export type StoreFailure = LlmFailoverError & { readonly code: 'STORE_FAILED' };

/**
 * The `error` of a failed run, discriminated by `code`: `switch (out.error.code)` narrows it to
 * the class with that code's fields (`candidates` for `FALLBACK_EXHAUSTED`, `reason` for
 * `REQUEST_REJECTED`, ...). `CONFIG_INVALID` comes from a `call` that threw a ConfigError.
 */
export type RunError =
  | FallbackExhaustedError
  | DeadlineExceededError
  | RequestRejectedError
  | RunAbortedError
  | ToolAbortError
  | LeaseLostError
  | SessionBusyError
  | ConfigError
  | StoreError
  | StoreFailure;

/** The codes a failed run's error may carry. */
export type RunErrorCode = RunError['code'];
