import { quietStepActions, runMachine } from '../machines/run.machine.js';
import type { RunInput } from '../machines/run-types.js';
import { validateRunOptions } from './config/validate-run-options.js';
import { chainProviders } from './policy/chain-providers.js';
import { defaultStore } from './default-store.js';
import type { RunActorOptions } from './run-actor-options.js';
import { HostSafeRunActor, type RunActor } from './run-actor.js';
import type { RunEvent } from './events.js';
import { cutEffectAction, effectAction, quietEffect } from './effect-action.js';
import { createRunEffects, type RunEffects } from './run-effects.js';
import { newRunId } from './run-id.js';
import { systemClock } from './runtime.js';

export type { RunActorOptions } from './run-actor-options.js';
export type { RunActor } from './run-actor.js';

// A run's effects are found through its actor (the actions' `self`), which holds them as its hooks,
// so the machine is provided once, not per run (provide() rebuilds the whole state-node tree).
const effectsOf = (self: unknown): RunEffects => (self as HostSafeRunActor<RunEffects>).hooks;
/** Whether `self` is a run's actor (not the stand-in XState's pure transition functions make). */
const servesRun = (self: unknown): boolean => self instanceof HostSafeRunActor;

const effects = {
  openSession: effectAction('openSession', effectsOf, (run, _input, cut) => run.openSession(cut)),
  callProvider: effectAction('callProvider', effectsOf, (run, input, cut) => run.callProvider(input, cut)),
  claimProbe: effectAction('claimProbe', effectsOf, (run, input) => run.claimProbe(input)),
  persistTurn: effectAction('persistTurn', effectsOf, (run, input) => run.persistTurn(input)),
  closeRun: effectAction('closeRun', effectsOf, (run, input) => run.closeRun(input)),
  executeTools: effectAction('executeTools', effectsOf, (run, input, cut) => run.executeTools(input, cut.signal)),
  cutEffect: cutEffectAction(effectsOf),
};

// A run made with `inspect`: every step and effect is an action the inspector shows.
const inspectedMachine = runMachine.provide({ actions: effects });

// A run nobody inspects: its steps and effects (but openSession, see quietEffect) do their work
// in their resolve, without XState's executor records (machines/step-action.ts, src/effect-action.ts).
const quietMachine = runMachine.provide({
  actions: {
    ...(quietStepActions as Record<string, never>),
    ...effects,
    callProvider: quietEffect(effects.callProvider, servesRun),
    claimProbe: quietEffect(effects.claimProbe, servesRun),
    persistTurn: quietEffect(effects.persistTurn, servesRun),
    closeRun: quietEffect(effects.closeRun, servesRun),
    executeTools: quietEffect(effects.executeTools, servesRun),
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
  // Literals of one shape each, not spreads of conditional literals (copied the generic way, every run).
  const input: RunInput =
    options.stream || tools
      ? {
          runId,
          sessionId,
          chain,
          messages,
          policy,
          startedAt,
          ...(options.stream ? { stream: true } : {}),
          ...(tools && { agent: { tools: tools.names, executableTools: tools.executable, maxSteps } }),
        }
      : { runId, sessionId, chain, messages, policy, startedAt };
  const actor = new HostSafeRunActor(
    options.inspect ? inspectedMachine : quietMachine,
    options.inspect ? { input, clock, inspect: options.inspect } : { input, clock },
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
