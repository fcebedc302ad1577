import type { Classification } from '../src/classify/types.js';
import type { Plan } from '../src/policy/decide-after-failure.js';
import type { RunPolicy } from '../src/policy/run-policy.js';
import type { RunView } from '../src/policy/run-view.js';
import type { AssistantMessage, AttemptRecord, Candidate, CooldownEntry, CooldownKey, Decision, Message, ServedBy, StepRecord, ToolCallPart, ToolMessage, Usage } from '../src/types.js';
import type { LlmFailoverError } from '../src/errors.js';
import type { RunEvent, RunEventOf } from '../src/events.js';
import type { RunError } from '../src/run-errors.js';
import type { DecisionLog } from './decision-log.js';
import type { AttemptLog } from './attempt-log.js';

export interface RunInput {
  runId: string;
  sessionId: string;
  chain: readonly Candidate[];
  /** The run's new message(s). */
  messages: readonly Message[];
  policy: Readonly<RunPolicy>;
  startedAt: number;
  /** An agent run: the tools the run executes itself and how many model calls (steps) it may make. */
  agent?: AgentInput;
  /** The run streams its calls (`stream: true`): they are bounded by their first-token and idle limits, not attemptTimeoutMs. */
  stream?: boolean;
}

export interface AgentInput {
  /** Every tool the model is offered. A call of a name not among them is answered with an error result. */
  tools: readonly string[];
  /** Those with an `execute`: their calls are executed between steps; calls of the others are left to the host. */
  executableTools: readonly string[];
  /** At least 1. */
  maxSteps: number;
}

/** A run's steps: a run without tools has one. */
export interface AgentState {
  /** The run's tools (empty without the `tools` option: the run then never touches a tool call). */
  tools: readonly string[];
  executableTools: readonly string[];
  maxSteps: number;
  /** What the run's completed steps produced, in order: each step's message(s), then its tool results. */
  produced: readonly Message[];
  /** The completed steps. */
  steps: readonly StepRecord[];
  /** Where the current step's calls start in `attempts` (the policy's budgets count from there). */
  stepStart: number;
  /**
   * The run streams its model calls: each is cut by its first-token and idle limits (in the call),
   * and the machine cuts it only at the deadline. Here, not in a field of its own, for the reason above.
   */
  streamed: boolean;
  /** Text of the call in flight reached the host (set on its first delta, cleared when the next call starts). */
  shownText: boolean;
}

/** Why a run ended in `failed`; the output turns it into a typed error. */
export type RunFailure =
  | { kind: 'rejected'; failure: Classification }
  | { kind: 'aborted'; detail?: string }
  | { kind: 'deadline' }
  | { kind: 'exhausted' }
  | { kind: 'error'; error: unknown };

/** What a run is, fixed for its whole life: one field of the context (see `agent`). */
export interface RunIdentity {
  readonly runId: string;
  readonly sessionId: string;
  /** The run's new message(s). */
  readonly messages: readonly Message[];
}

/**
 * The machine's context. A step copies it as one literal of every field below (copyOf,
 * machines/step-action.ts): a field added here must be added there too, or its first assignment
 * makes the copies another shape (test/engine/context-size.test.ts fails).
 */
export interface RunContext extends RunView {
  run: RunIdentity;
  history: readonly Message[];
  /** The agent loop's state, one field of the context: every step copies the context's fields. */
  agent: AgentState;
  /** -1 until the first candidate is chosen. */
  candidateIndex: number;
  profileIndex: number;
  attemptStartedAt: number;
  /** The call in flight probes a candidate that was cooling down. */
  probing: boolean;
  /** Appended by the steps; read as plain decisions with `toArray()` (machines/decision-log.ts). */
  decisions: DecisionLog;
  /** The run's calls, appended by the steps; read as plain records with `toArray()` (machines/attempt-log.ts). */
  attempts: AttemptLog;
  plan?: Plan;
  /** The last message the run produced (the reply, once the run is done): set when a step is served. */
  reply?: Message;
  servedBy?: ServedBy;
  failure?: RunFailure;
  /** Set by closing when a reply arrived but was not committed: where it is kept besides the output. */
  replyKeptIn?: 'orphan' | 'output';
  /** The typed error of a failed run, made once when it starts closing (errors capture a stack: not free). */
  error?: LlmFailoverError;
}

// What the effects (entry actions createRunActor provides) take, and give back in their `<effect>.done` events.
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
  /** 1-based step of the run. */
  step: number;
  /** The attempt's time limit: the machine's `callProvider.timeout` comes then if the call has not answered (src/effect-action.ts). */
  timeoutMs: number;
  /**
   * The call's messages are `history`, then `messages` (the run's own), then `produced` (what
   * its steps produced so far): the effect makes that one copy for the call. Not made here: an
   * input is held by XState's objects (it was a child actor's; it is an action's parameters), which
   * V8 may allocate straight in the old generation (allocation-site pretenuring), and a young array
   * they point to survives every minor collection until a full one: the copy of a 10,000-turn
   * history was promoted each run.
   */
  history: readonly Message[];
  messages: readonly Message[];
  produced: readonly Message[];
}
/** What a served call produced: checked and canonical, as the run will store it. */
export interface StepOutput {
  /** At least one assistant message. */
  messages: readonly Message[];
  usage?: Usage;
  finishReason?: string;
  responseModel?: string;
}
export type CallProviderOutput =
  | ({ ok: true; at: number; durationMs: number } & StepOutput)
  | {
      ok: false;
      failure: Classification;
      at: number;
      durationMs: number;
      /** The failed call's provider's cooldowns as the store holds them now (absent when they could not be read). */
      cooldowns?: readonly CooldownEntry[];
      /** Text of this call reached the host before it failed: a `reply.reset` is due. */
      streamed?: boolean;
      /** Tokens the failed call reported, kept on its attempt record. */
      usage?: Usage;
    };

/** The ended cooldowns whose probe the next call must claim first (through the store, one run at a time). */
export interface ClaimProbeInput {
  keys: readonly CooldownKey[];
}
export interface ClaimProbeOutput {
  claimed: boolean;
  at: number;
  /** Re-read when another run holds the probe: its claim keeps this run off the key. */
  cooldowns?: readonly CooldownEntry[];
}

export interface PersistTurnInput {
  /** The last message the run produced. */
  reply: Message;
  /** What the run produced before it: earlier steps' messages and tool results. */
  produced: readonly Message[];
  servedBy: ServedBy;
  attempts: readonly AttemptRecord[];
  /** The run's decisions, its `persist` decision last, committed with the run. */
  decisions: readonly Decision[];
}
export interface PersistTurnOutput {
  turns: number;
  at: number;
}

export interface ExecuteToolsInput {
  step: number;
  /** The calls the run answers, in the order the model made them (unknown tools included: they get an error result). */
  calls: readonly ToolCallPart[];
  /** What the model saw, followed by the step's own output: the context a tool gets. */
  messages: readonly Message[];
}
export interface ExecuteToolsOutput {
  /** The results, one per call, in call order. */
  message: ToolMessage;
  at: number;
  durationMs: number;
}

export interface CloseRunInput {
  /** The error the run ends with. */
  error: LlmFailoverError;
  attempts: readonly AttemptRecord[];
  decisions: readonly Decision[];
  /** What the run produced but did not commit (`reply` last), to keep as an orphan. */
  uncommitted?: { reply: Message; produced: readonly Message[]; servedBy: ServedBy };
}
export interface CloseRunOutput {
  at: number;
  /** Only when `uncommitted` was given: kept on the run's row, or only in the output. */
  replyKeptIn?: 'orphan' | 'output';
}

/** What a host may send to a run: `actor.send({ type: 'run.abort', reason })`. */
export type RunCommand = { type: 'run.abort'; reason?: string };

/** The effects a run waits on, each started by the entry action of the same name. */
export interface Effects {
  openSession: { input: OpenSessionInput; output: OpenSessionOutput };
  callProvider: { input: CallProviderInput; output: CallProviderOutput };
  claimProbe: { input: ClaimProbeInput; output: ClaimProbeOutput };
  persistTurn: { input: PersistTurnInput; output: PersistTurnOutput };
  closeRun: { input: CloseRunInput; output: CloseRunOutput };
  executeTools: { input: ExecuteToolsInput; output: ExecuteToolsOutput };
}
export type EffectName = keyof Effects;

/** How an effect answers the machine: `<effect>.done` with its output, or `<effect>.error` with what it threw. */
export type EffectEvent = {
  [K in EffectName]: { type: `${K}.done`; output: Effects[K]['output'] } | { type: `${K}.error`; error: unknown };
}[EffectName];

/** An effect's time limit passed before it answered (the ones whose input has `timeoutMs`: callProvider). */
export type EffectTimeout = { type: 'callProvider.timeout' };

/** Everything the machine accepts: the host's commands, those of createRunActor's wiring, and the effects' answers. */
export type EngineCommand =
  | RunCommand
  | EffectEvent
  | EffectTimeout
  | { type: 'run.leaseLost'; error: LlmFailoverError }
  | { type: 'reply.delta'; text: string; at?: number }
  | ToolStartedCommand
  | ToolFinishedCommand;

/**
 * Sent by the tool execution so the machine can announce it (events are the machine's to emit):
 * the run's event itself (src/events.ts), without the run id the machine adds.
 */
export type ToolStartedCommand = Omit<RunEventOf<'tool.started'>, 'runId'>;
export type ToolFinishedCommand = Omit<RunEventOf<'tool.finished'>, 'runId'>;

interface RunOutputBase {
  /** The run's id, as in `store.getRun(runId)` and every event. */
  runId: string;
  attempts: AttemptRecord[];
  decisions: Decision[];
}

export interface SucceededRunOutput extends RunOutputBase {
  status: 'succeeded';
  /** The run's last assistant message: a string `content` for a text reply, parts when it holds tool calls. */
  reply: AssistantMessage;
  /** The reply's text (its text parts joined), whatever its shape. */
  text: string;
  /**
   * Every message the run produced and appended after its new message(s), in order: each step's
   * assistant message(s) and the tool results that followed. `reply` is the last assistant one.
   */
  messages: Message[];
  /** One record per step (a run without tools has one): who served it, usage, finish reason. */
  steps: StepRecord[];
  /** Who served the last step. */
  servedBy: ServedBy;
  /** Tokens of the call that served the last step, as its provider reported them (a failed attempt's are on its record only). */
  usage?: Usage;
  /** Why the serving call's answer ended (`stop`, `length`, `tool-calls`, ...). */
  finishReason?: string;
  /** The model the serving provider says answered. */
  responseModel?: string;
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
