import type { RunEvent } from '../src/events.js';
import type { RunContext, Step } from './run-types.js';

interface EmitScope {
  defer(fn: () => void): void;
  emit(event: RunEvent): void;
  /** The run's actor: a HostSafeRunActor has `soleListener` (src/run-actor.ts). */
  self: { soleListener?: (event: RunEvent) => void };
}

/**
 * Emits a step's events once the transition is done, in order, as XState's own `emit` does (one
 * deferral for them all). While the run's wiring is the only listener, it gets each event
 * directly, which is all XState's emit would do, without a copy of the listeners per event;
 * asked per event, so a listener the host adds meanwhile gets the events after it, as with XState.
 */
function emitAll(scope: EmitScope, events: readonly RunEvent[]): void {
  if (events.length === 0) return;
  scope.defer(() => {
    for (let i = 0; i < events.length; i++) {
      const sole = scope.self.soleListener;
      if (sole) sole(events[i]!);
      else scope.emit(events[i]!);
    }
  });
}

/**
 * Turns a pure step into one action: the step runs once, its patch is assigned and its events
 * are emitted after the transition, exactly as `enqueueActions` with `enqueue.assign` and
 * `enqueue.emit` would. Written as an XState built-in action (an action with `resolve` and
 * `execute`, which XState runs like its own `assign` and `emit`) because `enqueueActions` builds
 * an `enqueue` object of ten closures on every step, and one `emit` action per event made a run
 * that skips 127 candidates resolve and execute 127 actions.
 *
 * `then`, when given, is a second step run on the context the first one left, as a second action
 * of the same transition would be, its events after the first's: one action instead of two (each
 * action costs XState a resolve, an executable, a bound execute and an inspection call).
 */
export function stepAction(step: (ctx: RunContext, event: any) => Step, then?: (ctx: RunContext, event: any) => Step): any {
  function runStep(): void {}
  runStep.type = 'llm-failover.step';
  runStep.resolve = then
    ? (_scope: unknown, snapshot: { context: RunContext }, args: { event: unknown }) => {
        const first = step(snapshot.context, args.event);
        const ctx = assigned(snapshot.context, first.patch);
        const second = then(ctx, args.event);
        // The first step's copy is this action's own, seen by nothing but the second step (which
        // is done with it): the second patch goes into it rather than into a copy of the copy.
        const next = ctx === snapshot.context ? assigned(ctx, second.patch) : Object.assign(ctx, second.patch);
        // concat, not a spread: one array of the exact size, without an iterator per part
        const events = second.events.length === 0 ? first.events : first.events.length === 0 ? second.events : first.events.concat(second.events);
        return [next === snapshot.context ? snapshot : withContext(snapshot, next), events, undefined];
      }
    : (_scope: unknown, snapshot: { context: RunContext }, args: { event: unknown }) => {
        const { patch, events } = step(snapshot.context, args.event);
        for (const _ in patch) return [withContext(snapshot, Object.assign(copyOf(snapshot.context), patch)), events, undefined];
        return [snapshot, events, undefined];
      };
  runStep.execute = emitAll;
  return runStep;
}

/** The context with the patch assigned (a copy), or the very context when the patch is empty. */
function assigned(ctx: RunContext, patch: Partial<RunContext>): RunContext {
  for (const _ in patch) return Object.assign(copyOf(ctx), patch);
  return ctx;
}

/**
 * The snapshot with another context and nothing else changed: its state nodes, hence its value
 * and tags, are the same, so they are kept rather than computed again as XState's `assign` does
 * (a new tag set and state value per assignment, and a spawner and its closures per call).
 */
function withContext<S extends { context: RunContext }>(snapshot: S, context: RunContext): S {
  return { ...snapshot, context };
}

/**
 * The same step action for an actor nobody inspects: its resolve defers the events itself, where
 * XState would run its `execute` at once (a running actor's actions execute as they resolve, and a
 * run's steps all come after its start), so they come at the same point, in the same order. Without
 * `execute`, XState makes no executor record, bound function, closure and inspection event for
 * it: about 200 bytes per step, six steps in a run of one failure. Only the inspector's
 * `@xstate.action` event of the step is missing, hence the actions with `execute` for runs made
 * with `inspect` (src/create-run-actor.ts).
 */
export function quietStep(action: { type: string; resolve: (scope: EmitScope, snapshot: { context: RunContext }, args: { event: unknown }) => [unknown, readonly RunEvent[], undefined] }): any {
  const resolve = action.resolve;
  function quiet(): void {}
  quiet.type = action.type;
  quiet.resolve = (scope: EmitScope, snapshot: { context: RunContext }, args: { event: unknown }) => {
    const resolved = resolve(scope, snapshot, args);
    emitAll(scope, resolved[1]);
    return resolved;
  };
  return quiet;
}

/**
 * A copy of the context as one literal of every field it can have (those a run has not set are
 * undefined): made in one allocation of its final size, all of one shape. Object.assign into `{}`
 * grew the copy's property store field by field, three slots at a time: about 560 bytes per
 * copy, two thirds of them garbage at once, and six copies in a run of one failure.
 */
export function copyOf(c: RunContext): RunContext {
  return {
    run: c.run,
    chain: c.chain,
    policy: c.policy,
    history: c.history,
    agent: c.agent,
    now: c.now,
    deadlineAt: c.deadlineAt,
    candidateIndex: c.candidateIndex,
    profileIndex: c.profileIndex,
    attemptStartedAt: c.attemptStartedAt,
    attempts: c.attempts,
    cooldowns: c.cooldowns,
    ownBlocks: c.ownBlocks,
    probed: c.probed,
    probing: c.probing,
    decisions: c.decisions,
    plan: c.plan,
    reply: c.reply,
    servedBy: c.servedBy,
    failure: c.failure,
    replyKeptIn: c.replyKeptIn,
    error: c.error,
  };
}
