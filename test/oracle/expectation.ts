import type { FailureReason } from '../../src/classify/types.js';
import type { Key, Target } from './keys.js';

export type EndCode = 'FALLBACK_EXHAUSTED' | 'DEADLINE_EXCEEDED' | 'REQUEST_REJECTED' | 'RUN_ABORTED';

export interface ExpectedCall extends Target {
  startedAt: number;
  probe: boolean;
  /** What became of it: answered, failed with a reason, cut by the engine, or stopped by the host's abort. */
  result: 'reply' | 'fail' | 'cut' | 'aborted';
  reason?: FailureReason;
}

export interface ExpectedDecision {
  /** `tools` is never predicted: the worlds of the reference run have no tools. */
  kind: 'select' | 'escalate' | 'probe' | 'rotate' | 'retry' | 'skip' | 'fail' | 'persist' | 'tools';
  provider?: string;
  model?: string;
  profileId?: string;
}

/** A block this run put on a key through a failure, from `at` until `until` (Infinity: the rest of the run). */
export interface ExpectedBlock {
  key: Key;
  reason: FailureReason;
  at: number;
  until: number;
  shared: boolean;
}

/** What the reference says a run of a world does. */
export interface Expectation {
  status: 'succeeded' | 'failed';
  code?: EndCode;
  servedBy?: Target;
  calls: ExpectedCall[];
  decisions: ExpectedDecision[];
  blocks: ExpectedBlock[];
  endedAt: number;
}
