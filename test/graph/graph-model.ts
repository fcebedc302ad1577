import { __unsafe_getAllOwnEventDescriptors as ownEventTypes, type EventFromLogic, type SnapshotFrom } from 'xstate';
import type { TraversalOptions } from 'xstate/graph';
import type { Classification } from '../../src/classify/types.js';
import { DEFAULT_POLICY } from '../../src/policy/run-policy.js';
import type { CallProviderOutput, RunInput } from '../../machines/run-types.js';
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
    case 'xstate.done.actor.openSession':
      return [
        ev({ output: { history: [], cooldowns: [], at: 0 } }),
        // every provider cooling down when the run starts: the run probes, or fails at once
        ev({ output: { history: [], cooldowns: [{ provider: 'a', until: 5_000, reason: 'overloaded', failures: 1 }, { provider: 'b', until: 9_000, reason: 'overloaded', failures: 1 }], at: 0 } }),
        // opened at its deadline (a long wait for the session)
        ev({ output: { history: [], cooldowns: [], at: graphInput.policy.deadlineMs } }),
      ];
    case 'xstate.done.actor.callProvider': {
      const ok: CallProviderOutput = { ok: true, content: 'answer', at, durationMs: 10 };
      return [ev({ output: ok }), ...GRAPH_FAILURES.map((f) => ev({ output: { ok: false, failure: f, at, durationMs: 10 } satisfies CallProviderOutput }))];
    }
    case 'xstate.done.actor.persistTurn':
      return [ev({ output: { turns: 2, at } })];
    case 'xstate.done.actor.closeRun':
      // a failed commit's reply kept as an orphan, or (no reply) just the row closed
      return [ev({ output: snap.context.reply !== undefined ? { at, replyKeptIn: 'orphan' } : { at } })];
    case 'xstate.error.actor.openSession':
    case 'xstate.error.actor.callProvider':
    case 'xstate.error.actor.persistTurn':
    case 'xstate.error.actor.closeRun':
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
  ]);
}

export const traversal: TraversalOptions<RunSnap, RunEv, RunInput> = {
  input: graphInput,
  // per state, only the events it handles (a plain array would send every event everywhere)
  events: (snap) => ownEventTypes(snap).flatMap((type: string) => payloadEvents(snap, type)),
  // transition() walks on past final states unless told to stop
  stopWhen: (snap) => snap.status !== 'active',
  serializeState: (s) => serializeRun(s),
  limit: 50_000,
};
