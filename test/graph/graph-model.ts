import { __unsafe_getAllOwnEventDescriptors as ownEventTypes, type EventFromLogic, type SnapshotFrom } from 'xstate';
import type { TraversalOptions } from 'xstate/graph';
import type { Classification } from '../../src/classify/types.js';
import { DEFAULT_POLICY } from '../../src/policy/run-policy.js';
import { ToolAbortError } from '../../src/errors.js';
import type { CallProviderOutput, ExecuteToolsOutput, RunInput, StepOutput } from '../../machines/run-types.js';
import type { runMachine } from '../../machines/run.machine.js';

export type RunSnap = SnapshotFrom<typeof runMachine>;
export type RunEv = EventFromLogic<typeof runMachine>;

/**
 * The run the graph is walked for: two candidates, the first with two profiles, two calls per
 * (model, profile), a deadline a few steps away. Small enough to walk completely, big enough
 * for every guard to go both ways.
 */
export const graphInput: RunInput = {
  runId: 'graph-run',
  sessionId: 'graph-session',
  chain: [
    { provider: 'a', model: 'm1', profiles: ['a:1', 'a:2'] },
    { provider: 'b', model: 'm1', profiles: ['b:1'] },
  ],
  messages: [{ role: 'user', content: 'hi' }],
  policy: { ...DEFAULT_POLICY, maxAttemptsPerCandidate: 2, backoffBaseMs: 100, attemptTimeoutMs: 1_000, deadlineMs: 60_000 },
  startedAt: 0,
};

/**
 * The agent run: one tool the run executes and at most two steps, over a chain of one key per
 * candidate and one call per key, so that a second step (the whole failover again) stays a small
 * graph. Walked besides graphInput: together they take every transition.
 */
export const agentInput: RunInput = {
  ...graphInput,
  runId: 'graph-agent-run',
  chain: [
    { provider: 'a', model: 'm1', profiles: ['a:1'] },
    { provider: 'b', model: 'm1', profiles: ['b:1'] },
  ],
  policy: { ...graphInput.policy, maxAttemptsPerCandidate: 1 },
  agent: { tools: ['lookup'], executableTools: ['lookup'], maxSteps: 2 },
};

/** A step's output that asks for the run's tool; the call id names the step, so two steps never share one. */
const toolCallStep = (step: number): StepOutput['messages'] => [
  { role: 'assistant', content: [{ type: 'tool-call', toolCallId: `call-${step}`, toolName: 'lookup', input: { q: 'x' } }] },
];

const failure = (reason: Classification['reason'], scope: Classification['scope'], retryable: boolean): Classification => ({
  reason,
  scope,
  retryable,
  message: `${reason}/${scope}`,
});

/** One failure per kind of plan: stop, wait, move to another profile, leave the model. */
export const GRAPH_FAILURES: readonly Classification[] = [
  failure('bad_request', 'request', false),
  failure('server_error', 'model', true),
  failure('rate_limit', 'profile', true),
  failure('model_not_found', 'model', false),
];

// Every fake actor answers 10 ms after the run's clock, so times (and the guards reading them) follow the path.
function payloadEvents(snap: RunSnap, type: string): RunEv[] {
  const at = snap.context.now + 10;
  const ev = (e: Record<string, unknown>) => ({ type, ...e }) as unknown as RunEv;
  switch (type) {
    case 'openSession.done':
      return [
        ev({ output: { history: [], cooldowns: [], at: 0 } }),
        // every provider cooling down when the run starts: the run probes, or fails at once
        ev({ output: { history: [], cooldowns: [{ provider: 'a', until: 5_000, reason: 'overloaded', failures: 1 }, { provider: 'b', until: 9_000, reason: 'overloaded', failures: 1 }], at: 0 } }),
        // the first candidate's cooldown has ended: its probe must be claimed first
        ev({ output: { history: [], cooldowns: [{ provider: 'a', until: 0, reason: 'overloaded', failures: 2 }], at: 0 } }),
        // opened at its deadline (a long wait for the session)
        ev({ output: { history: [], cooldowns: [], at: graphInput.policy.deadlineMs } }),
      ];
    case 'callProvider.done': {
      const ok: CallProviderOutput = { ok: true, messages: [{ role: 'assistant', content: 'answer' }], at, durationMs: 10 };
      // a tool call only where the run has tools: elsewhere it is one more way to succeed, and doubles the walk
      const tools: CallProviderOutput[] = snap.context.agent.tools.length > 0 ? [{ ok: true, messages: toolCallStep(snap.context.agent.steps.length + 1), at, durationMs: 10 }] : [];
      return [ev({ output: ok }), ...tools.map((output) => ev({ output })), ...GRAPH_FAILURES.map((f) => ev({ output: { ok: false, failure: f, at, durationMs: 10 } satisfies CallProviderOutput }))];
    }
    case 'claimProbe.done':
      return [
        ev({ output: { claimed: true, at } }),
        // another run holds the probe: the run keeps off the candidate
        ev({ output: { claimed: false, at, cooldowns: [{ provider: 'a', until: 0, reason: 'overloaded', failures: 2, probeRunId: 'other', probeUntil: at + 5_000 }] } }),
      ];
    case 'executeTools.done': {
      const step = snap.context.agent.steps.length;
      const output: ExecuteToolsOutput = {
        message: { role: 'tool', content: [{ type: 'tool-result', toolCallId: `call-${step}`, toolName: 'lookup', output: { type: 'text', value: 'found' } }] },
        at,
        durationMs: 10,
      };
      return [ev({ output })];
    }
    case 'executeTools.error':
      return [ev({ error: new ToolAbortError('lookup', 'stopped by the tool') })];
    case 'tool.started':
      return [ev({ at, step: snap.context.agent.steps.length, toolCallId: 'call-x', toolName: 'lookup' })];
    case 'tool.finished':
      return [ev({ at, step: snap.context.agent.steps.length, toolCallId: 'call-x', toolName: 'lookup', outcome: 'ok', durationMs: 1 })];
    case 'persistTurn.done':
      return [ev({ output: { turns: 2, at } })];
    case 'closeRun.done':
      // a failed commit's reply kept as an orphan, or (no reply) just the row closed
      return [ev({ output: snap.context.reply !== undefined ? { at, replyKeptIn: 'orphan' } : { at } })];
    case 'openSession.error':
    case 'claimProbe.error':
    case 'callProvider.error':
    case 'persistTurn.error':
    case 'closeRun.error':
      return [ev({ error: new Error(`${type} failed`) })];
    case 'run.leaseLost':
      return [ev({ error: new Error('lease lost') })];
    case 'reply.delta':
      return [ev({ text: 'partial' })];
    default:
      return [{ type } as RunEv];
  }
}

/** What tells two moments of a run apart for the walk: where it is, what it called, how it ended. */
export function serializeRun(s: RunSnap): string {
  const c = s.context;
  return JSON.stringify([
    s.value,
    s.status,
    c.candidateIndex,
    c.profileIndex,
    c.attempts.length,
    c.attempts.at(-1)?.reason,
    c.probed,
    c.now >= c.deadlineAt,
    c.plan?.action,
    c.failure?.kind,
    c.agent.steps.length,
    c.agent.produced.length,
  ]);
}

const traversalOf = (input: RunInput): TraversalOptions<RunSnap, RunEv, RunInput> => ({
  input,
  // per state, only the events it handles (a plain array would send every event everywhere)
  events: (snap) => ownEventTypes(snap).flatMap((type: string) => payloadEvents(snap, type)),
  // transition() walks on past final states unless told to stop
  stopWhen: (snap) => snap.status !== 'active',
  serializeState: (s) => serializeRun(s),
  limit: 50_000,
});

export interface GraphWalk {
  name: string;
  input: RunInput;
  traversal: TraversalOptions<RunSnap, RunEv, RunInput>;
}

/** The walks whose paths together take every transition of the machine. */
export const GRAPH_WALKS: readonly GraphWalk[] = [
  { name: 'run', input: graphInput, traversal: traversalOf(graphInput) },
  { name: 'agent run', input: agentInput, traversal: traversalOf(agentInput) },
];
