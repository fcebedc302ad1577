import type { ActorOptions } from 'xstate';
import type { runMachine } from '../machines/run.machine.js';
import type { Classifier } from './classify/types.js';
import type { RunEventBus } from './events.js';
import type { PolicyOverrides } from './policy/run-policy.js';
import type { Logger, RunClock } from './runtime.js';
import type { RunStore } from './store/types.js';
import type { AgentTool, CallFn, Message, ToolChoice } from './types.js';

/** The options of `createRunActor()`; docs/configuration.md has every one with its default. */
export interface RunActorOptions {
  /** The conversation this run belongs to; runs on one session are serialised by its lease. */
  sessionId: string;
  /**
   * The run's new message(s), appended to the session with what the run produces. AI SDK
   * `ModelMessage`s fit; binary parts by reference only (docs/agents.md).
   */
  messages: readonly Message[];
  /** Candidates in order of preference, each `"provider/model"`. */
  chain: readonly string[];
  /**
   * Auth profile ids per provider, tried in order. Default: one profile `${provider}:default`.
   * May name providers this run's chain does not use (one map for every chain of a host).
   */
  profiles?: Readonly<Record<string, readonly string[]>>;
  /** Makes one provider call. May throw anything; `{ status, headers, body }` is read as an HTTP error. */
  call: CallFn;
  /** Default: one in-memory SQLite store shared by every run of this process. Any `RunStore` fits (docs/store.md). */
  store?: RunStore;
  policy?: PolicyOverrides;
  /** Default: the system clock. Pass XState's SimulatedClock in tests. */
  clock?: RunClock;
  /**
   * A pino logger (or compatible). Each decision and each failed call at info (the message is
   * the sentence), a failed run at warn, call starts and successes at debug. Default: silent.
   */
  logger?: Logger;
  /**
   * XState inspection: any observer of inspection events, e.g. `createWebSocketInspector().inspect`
   * from `@statelyai/inspect` (docs/inspecting.md). Off by default.
   */
  inspect?: ActorOptions<typeof runMachine>['inspect'];
  /** Aborting it stops the run and its in-flight call; nothing is persisted. */
  signal?: AbortSignal;
  /** A bus that receives the events of every run it is given to. */
  events?: RunEventBus;
  /** Your classifier; return undefined to fall back to classifyError. */
  classify?: Classifier;
  /** Must be new. Default: a UUIDv7, which sorts by creation time. */
  runId?: string;
  /** Pass text deltas to the host as they arrive (`reply.delta` events). */
  stream?: boolean;
  /**
   * Tools the model may call (name → `{ description?, inputSchema, execute? }`; AI SDK tools fit).
   * The run executes the calls of tools with `execute` between steps, each step a model call
   * with the whole failover behind it (docs/agents.md). Passed to `call` as `req.tools`.
   */
  tools?: Readonly<Record<string, AgentTool>>;
  /** Passed to `call` as `req.toolChoice`. Needs `tools`. */
  toolChoice?: ToolChoice;
  /** Most model calls (steps) the run makes. Default 10 with tools that execute, else 1. Needs `tools`. */
  maxSteps?: number;
}
