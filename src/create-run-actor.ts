import type { ActorSystem } from 'xstate';
import { runMachine } from '../machines/run.machine.js';
import type {
  CallProviderInput,
  ClaimProbeInput,
  ClaimProbeOutput,
  CallProviderOutput,
  CloseRunInput,
  CloseRunOutput,
  ExecuteToolsInput,
  ExecuteToolsOutput,
  OpenSessionInput,
  OpenSessionOutput,
  PersistTurnInput,
  PersistTurnOutput,
} from '../machines/run-types.js';
import { validateRunOptions } from './config/validate-run-options.js';
import { chainProviders } from './policy/chain-providers.js';
import { defaultStore } from './default-store.js';
import type { RunActorOptions } from './run-actor-options.js';
import { HostSafeRunActor, type RunActor } from './run-actor.js';
import type { RunEvent } from './events.js';
import { fromEffect } from './effect-actor.js';
import { createRunEffects, type RunEffects } from './run-effects.js';
import { newRunId } from './run-id.js';
import { systemClock } from './runtime.js';

export type { RunActorOptions } from './run-actor-options.js';
export type { RunActor } from './run-actor.js';

// A run's effects are found through its actor system, so the machine is provided once, not per
// run (provide() rebuilds the whole state-node tree): the run's actor is registered in its own
// system under this id, and holds its effects. Not a WeakMap from system to effects: the effects
// reach the system again (through the actor), and V8's young-generation collector keeps the
// value of a WeakMap entry alive while it runs, so every finished run (its actors, snapshots, the
// history given to each call) survived every minor collection and was promoted to the old
// generation, to be found dead only by a full one: most of a long-history run's GC time.
const RUN_SYSTEM_ID = 'llm-failover.run';
const effectsOf = (system: ActorSystem<any>): RunEffects => {
  const actor = system.get(RUN_SYSTEM_ID) as HostSafeRunActor<RunEffects> | undefined;
  if (!actor) throw new Error('run effects missing: create runs with createRunActor()');
  return actor.hooks;
};

// fromEffect, not fromPromise: an effect's abort signal is made only if something reads it.
const engineMachine = runMachine.provide({
  actors: {
    openSession: fromEffect<OpenSessionOutput, OpenSessionInput>(({ system, cut }) => effectsOf(system).openSession(cut)),
    callProvider: fromEffect<CallProviderOutput, CallProviderInput>(({ input, system, cut }) => effectsOf(system).callProvider(input, cut)),
    claimProbe: fromEffect<ClaimProbeOutput, ClaimProbeInput>(({ input, system }) => effectsOf(system).claimProbe(input)),
    persistTurn: fromEffect<PersistTurnOutput, PersistTurnInput>(({ input, system }) => effectsOf(system).persistTurn(input)),
    closeRun: fromEffect<CloseRunOutput, CloseRunInput>(({ input, system }) => effectsOf(system).closeRun(input)),
    executeTools: fromEffect<ExecuteToolsOutput, ExecuteToolsInput>(({ input, system, cut }) => effectsOf(system).executeTools(input, cut.signal)),
  },
});

// Which runs stream their reply, for streamReply() to refuse the others clearly.
const streaming = new WeakSet<RunActor>();
export const isStreamingRun = (actor: RunActor): boolean => streaming.has(actor);

/**
 * Creates the actor of one run. Start it, then `await toPromise(actor)` for
 * `{ runId, status: 'succeeded', reply, servedBy, attempts, decisions }` or
 * `{ runId, status: 'failed', error, attempts, decisions }`.
 * Throws ConfigError naming the bad field when options are invalid.
 */
export function createRunActor(options: RunActorOptions): RunActor {
  const { sessionId, messages, chain, policy, tools, toolChoice, maxSteps } = validateRunOptions(options);
  const clock = options.clock ?? systemClock;
  const store = options.store ?? defaultStore();
  const runId = options.runId ?? newRunId();
  const providers = chainProviders(chain);
  const logger = options.logger?.child ? options.logger.child({ runId, sessionId }) : options.logger;
  const startedAt = clock.now();

  const effects = createRunEffects({ runId, sessionId, messages, policy, providers, startedAt, clock, store, logger, options, tools, toolChoice });
  const actor = new HostSafeRunActor(
    engineMachine,
    {
      input: {
        runId,
        sessionId,
        chain,
        messages,
        policy,
        startedAt,
        ...(options.stream ? { stream: true } : {}),
        ...(tools && { agent: { tools: tools.names, executableTools: tools.executable, maxSteps } }),
      },
      clock,
      systemId: RUN_SYSTEM_ID,
      ...(options.inspect ? { inspect: options.inspect } : {}),
    },
    effects,
  );
  effects.attach(actor);
  actor.onEveryEventInternal((event) => effects.emitted(event as RunEvent));
  // Always observed: an unobserved actor error is rethrown from a timer and would crash the host.
  actor.observeInternal(effects);
  const runActor = actor as unknown as RunActor;
  if (options.stream) streaming.add(runActor);
  return runActor;
}
