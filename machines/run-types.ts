import type { Classification } from '../src/classify/types.js';
import type { Plan } from '../src/policy/decide-after-failure.js';
import type { RunPolicy } from '../src/policy/run-policy.js';
import type { RunView } from '../src/policy/run-view.js';
import type { AttemptRecord, Candidate, CooldownEntry, Decision, Message, ServedBy } from '../src/types.js';
import type { LlmFailoverError } from '../src/errors.js';
import type { RunEvent } from '../src/events.js';
import type { RunError } from '../src/run-errors.js';

export interface RunInput {
  runId: string;
  sessionId: string;
  chain: readonly Candidate[];
  /** The run's new message(s). */
  messages: readonly Message[];
  policy: Readonly<RunPolicy>;
  startedAt: number;
}

/** Why a run ended in `failed`; the output turns it into a typed error. */
export type RunFailure =
  | { kind: 'rejected'; failure: Classification }
  | { kind: 'aborted'; detail?: string }
  | { kind: 'deadline' }
  | { kind: 'exhausted' }
  | { kind: 'error'; error: unknown };

export interface RunContext extends RunView {
  runId: string;
  sessionId: string;
  newMessages: readonly Message[];
  history: readonly Message[];
  startedAt: number;
  /** -1 until the first candidate is chosen. */
  candidateIndex: number;
  profileIndex: number;
  attemptStartedAt: number;
  /** The call in flight probes a candidate that was cooling down. */
  probing: boolean;
  decisions: Decision[];
  plan?: Plan;
  reply?: string;
  servedBy?: ServedBy;
  failure?: RunFailure;
  /** Set by closing when a reply arrived but was not committed: where it is kept besides the output. */
  replyKeptIn?: 'orphan' | 'output';
  /** The typed error of a failed run, made once when it starts closing (errors capture a stack: not free). */
  error?: LlmFailoverError;
}

// What the invoked actors (provided by createRunActor) take and give.
export interface OpenSessionInput {
  runId: string;
  sessionId: string;
  providers: readonly string[];
}
export interface OpenSessionOutput {
  history: readonly Message[];
  cooldowns: readonly CooldownEntry[];
  at: number;
}

export interface CallProviderInput {
  provider: string;
  model: string;
  profileId: string;
  attempt: number;
  messages: readonly Message[];
}
export type CallProviderOutput =
  | { ok: true; content: string; at: number; durationMs: number }
  | { ok: false; failure: Classification; at: number; durationMs: number; cooldowns?: readonly CooldownEntry[] };

export interface PersistTurnInput {
  reply: string;
  servedBy: ServedBy;
  attempts: readonly AttemptRecord[];
  /** The run's decisions, its `persist` decision last, committed with the run. */
  decisions: readonly Decision[];
}
export interface PersistTurnOutput {
  turns: number;
  at: number;
}

export interface CloseRunInput {
  /** The error the run ends with. */
  error: LlmFailoverError;
  attempts: readonly AttemptRecord[];
  decisions: readonly Decision[];
  /** A reply that arrived but was not committed, to keep as an orphan. */
  uncommitted?: { reply: string; servedBy: ServedBy };
}
export interface CloseRunOutput {
  at: number;
  /** Only when `uncommitted` was given: kept on the run's row, or only in the output. */
  replyKeptIn?: 'orphan' | 'output';
}

/** What a host may send to a run: `actor.send({ type: 'run.abort', reason })`. */
export type RunCommand = { type: 'run.abort'; reason?: string };

/** Everything the machine accepts: the host's commands and those of createRunActor's wiring. */
export type EngineCommand =
  | RunCommand
  | { type: 'run.leaseLost'; error: LlmFailoverError }
  | { type: 'reply.delta'; text: string };

interface RunOutputBase {
  /** The run's id, as in `store.getRun(runId)` and every event. */
  runId: string;
  attempts: AttemptRecord[];
  decisions: Decision[];
}

export interface SucceededRunOutput extends RunOutputBase {
  status: 'succeeded';
  reply: Message & { role: 'assistant' };
  servedBy: ServedBy;
}

export interface FailedRunOutput extends RunOutputBase {
  status: 'failed';
  /** Narrows by `code`: after `error.code === 'FALLBACK_EXHAUSTED'`, `error.candidates` is there. */
  error: RunError;
}

/** What `await toPromise(actor)` gives: a run always ends with one of these. */
export type RunOutput = SucceededRunOutput | FailedRunOutput;

/** A step's result: what to assign and what to emit, computed purely from context and event. */
export interface Step {
  patch: Partial<RunContext>;
  events: RunEvent[];
}
