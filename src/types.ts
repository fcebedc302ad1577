import type { FailureReason, FailureScope } from './classify/types.js';
import type { AssistantMessage, Message, ToolMessage } from './message-types.js';
import type { ToolChoice, ToolDefinition } from './tool-types.js';

export type * from './message-types.js';
export type { AgentTool, ToolChoice, ToolDefinition, ToolExecutionContext, ToolSchema } from './tool-types.js';

/** One entry of the chain, resolved from `"provider/model"` and the profiles option. */
export interface Candidate {
  provider: string;
  model: string;
  /** Auth profile ids of the provider, tried in this order. Ids only: keys never enter the engine. */
  profiles: readonly string[];
}

/** What the engine hands to the host's `call` for one attempt. */
export interface CallRequest {
  runId: string;
  sessionId: string;
  provider: string;
  model: string;
  profileId: string;
  /**
   * The session history, the run's new message(s), then what the run's earlier steps produced
   * (assistant messages and tool results), exactly as they are stored.
   */
  messages: readonly Message[];
  /** The run's tools (name, description, JSON Schema): pass them to the model. Absent when the run has none. */
  tools?: readonly ToolDefinition[];
  /** The run's `toolChoice`, when it set one. */
  toolChoice?: ToolChoice;
  /** 1-based step of the run: each model call that served a step, then the tools it asked for, is one step. */
  step: number;
  /** Aborted when the attempt is cut (attempt timeout, a stream's first-token or idle limit, run abort, deadline). Pass it to the HTTP client. */
  signal: AbortSignal;
  /** 1-based attempt number within the run. */
  attempt: number;
  /**
   * Present when the run streams (`stream: true`): call it with each text delta as it arrives,
   * then resolve with the complete content. A throw after a delta is an `interrupted` failure.
   * Each delta counts as activity for the run's first-token and idle limits.
   */
  onDelta?: (text: string) => void;
  /**
   * Optional, with `onDelta`: called whenever the stream shows the model producing output
   * (text, reasoning or tool-call input), before the matching `onDelta`. Text-only timers
   * would take a long reasoning phase for silence; this is the signal for the run's
   * `firstTokenTimeoutMs` and `streamIdleTimeoutMs`. Metadata and keep-alive events do not count.
   */
  onActivity?: () => void;
}

/**
 * Tokens one provider call used, as the provider reported them. Every field is optional:
 * providers report different subsets, and a stream reports usage only when asked (see
 * docs/providers.md). Never summed across attempts here: each attempt keeps its own.
 */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  /** As reported, or input + output when the provider gave both but no total. */
  totalTokens?: number;
  /** Output tokens spent on reasoning (a part of `outputTokens`). */
  reasoningTokens?: number;
  /** Input tokens read from the provider's prompt cache (a part of `inputTokens`). */
  cachedInputTokens?: number;
}

/**
 * What the host's `call` resolves with for one attempt: the reply's text as `content`, or the
 * message(s) the call produced as `messages` (an assistant message with tool calls, say; with
 * both, `messages` is what the run keeps). A reply that is only tool calls is a reply.
 */
export interface CallResult {
  content?: string;
  /** Assistant message(s), and tool messages of tools the call ran itself, in order; at least one assistant message. */
  messages?: readonly (AssistantMessage | ToolMessage)[];
  /** Tokens of this call, when the provider reported them. */
  usage?: Usage;
  /** Why the provider ended the answer (`stop`, `length`, `tool-calls`, ...). */
  finishReason?: string;
  /** The model the provider says answered, which may differ from the requested one (an alias resolved to a version). */
  responseModel?: string;
}

export type CallFn = (req: CallRequest) => Promise<CallResult>;

export interface ServedBy {
  provider: string;
  model: string;
  profileId: string;
}

/** One step of a run: the model call that served it, and what the provider reported about it. */
export interface StepRecord {
  /** 1-based. A run without tools has one step. */
  n: number;
  servedBy: ServedBy;
  /** The run-wide attempt number of the call that served the step. */
  attempt: number;
  /** How many messages the step's call produced (the step's tool results come after them, in the run's `messages`). */
  messages: number;
  /** Tool calls the run executed after this step. */
  toolCalls: number;
  usage?: Usage;
  finishReason?: string;
  responseModel?: string;
}

export interface AttemptRecord {
  /** 1-based attempt number within the run. */
  n: number;
  provider: string;
  model: string;
  profileId: string;
  outcome: 'succeeded' | 'failed';
  reason?: FailureReason;
  scope?: FailureScope;
  status?: number;
  /** Scrubbed error message, for failures. */
  message?: string;
  startedAt: number;
  durationMs: number;
  /** True when this call probed a candidate that was cooling down because nothing else was left. */
  probe?: boolean;
  /** True when text of this call reached the host (a stream): if it did not serve, a `reply.reset` followed. */
  streamed?: boolean;
  /** Tokens of this call as the provider reported them, failed calls included (never the answer's cost unless it served). */
  usage?: Usage;
}

export type DecisionKind = 'select' | 'retry' | 'rotate' | 'skip' | 'escalate' | 'probe' | 'fail' | 'persist' | 'tools';

/** One decision of the run, with why it was taken. Every call and every skip has one. */
export interface Decision {
  kind: DecisionKind;
  at: number;
  provider?: string;
  model?: string;
  profileId?: string;
  /** Machine-readable why: a failure reason, `cooldown`, `failed_in_run`, `attempt_budget`, ... */
  reason: string;
  /** One human sentence. */
  detail: string;
  /** For `retry`: the wait before the next call. */
  delayMs?: number;
  /** For `skip`: when the blocking cooldown ends. */
  until?: number;
}

/** What a cooldown blocks: a provider, a profile of it, a model of it, or a model under one profile. */
export interface CooldownKey {
  provider: string;
  profileId?: string;
  model?: string;
}

export interface CooldownEntry extends CooldownKey {
  until: number;
  reason: FailureReason;
  /** Consecutive failures behind this entry; drives exponential growth. It survives `until` until a success clears the key. */
  failures: number;
  /** Read only: the run that claimed the probe of this ended cooldown, while its claim holds. */
  probeRunId?: string;
  /** Read only: until when that claim holds (other runs keep off the key meanwhile). */
  probeUntil?: number;
}

/** A message of a session as stored: exactly the message a run was given or produced, numbered. */
export type Turn = Message & {
  seq: number;
  runId: string;
};
