import type { EffectEvent, EffectName, Effects, EffectTimeout } from '../machines/run-types.js';
import { EffectCut } from './effect-cut.js';
import type { RunClock } from './runtime.js';

/** The run an effect serves: where the cut of its effect under way is kept, and how it answers the machine. */
export interface EffectRun {
  /** The effect under way, if any: the states that wait on an effect are exclusive, so one at a time. */
  effectCut: EffectCut | undefined;
  /** The timer of the effect under way's time limit (`timeoutMs` in its input), if it has one. */
  effectTimer: unknown;
  /** The run's clock: an effect's time limit is armed on it. */
  readonly clock: Pick<RunClock, 'setTimeout' | 'clearTimeout'>;
  send(event: EffectEvent | EffectTimeout): void;
}

/** What XState gives a built-in action's `execute` (its actor scope): the parts used here. */
interface ActionScope {
  self: unknown;
  defer(fn: () => void): void;
}

/**
 * The entry action that starts the effect `name` (the machine's states name it, run.machine.ts):
 * `start` is called with the action's parameters once the transition is done, as XState starts
 * an invoked actor, and its outcome comes back as `<name>.done` (`output`) or `<name>.error`
 * (`error`), unless the state was left first: then the effect is cut (`cutEffect`), its signal
 * aborts and its outcome is dropped, as a stopped actor's is.
 *
 * Written as an XState built-in action (`resolve` and `execute`, as its own `emit` is), so that
 * the start waits for the transition's end through the actor's own deferral, and the inspector
 * shows the action by the effect's name with its input as parameters.
 *
 * An input with `timeoutMs` (the machine's, callProvider's) limits the effect's time: if it has
 * not answered by then, `<name>.timeout` is sent, and the machine's transition on it cuts the
 * effect. Armed on the run's clock right after the start, where XState armed the state's `after`
 * timer it replaces (its deferral came after the effect's): the same instant, the same order
 * among timers due together, so a SimulatedClock run is the same run. XState's delayed event
 * cost an action to arm it and one to cancel it, a scheduled-event record keyed by a string made
 * per call and a Date.now(), about 6 µs per call besides the timer itself.
 */
export function effectAction<K extends EffectName, R extends EffectRun>(
  name: K,
  runOf: (self: unknown) => R,
  start: (run: R, input: Effects[K]['input'], cut: EffectCut) => PromiseLike<Effects[K]['output']>,
): any {
  const doneType = `${name}.done`;
  const errorType = `${name}.error`;
  const timeout = { type: `${name}.timeout` } as EffectTimeout;
  function effect(): void {}
  effect.type = name;
  effect.resolve = (_scope: unknown, snapshot: unknown, _args: unknown, input: Effects[K]['input']) => [snapshot, input, undefined];
  effect.execute = execute;
  return effect;

  function execute(scope: ActionScope, input: Effects[K]['input']): void {
    const run = runOf(scope.self);
    const cut = new EffectCut();
    run.effectCut = cut;
    scope.defer(() => {
      if (cut.aborted) return;
      let pending: PromiseLike<Effects[K]['output']>;
      try {
        pending = start(run, input, cut);
      } catch (err) {
        pending = Promise.reject(err);
      }
      const limit = (input as { timeoutMs?: number }).timeoutMs;
      if (limit !== undefined) run.effectTimer = run.clock.setTimeout(() => timedOut(run, cut, timeout), limit);
      Promise.resolve(pending).then(
        (output) => answer(run, cut, { type: doneType, output } as EffectEvent),
        (error: unknown) => answer(run, cut, { type: errorType, error } as EffectEvent),
      );
    });
  }
}

/**
 * The same effect for an actor nobody inspects: its resolve starts it, where XState would run its
 * `execute` at once (a running actor's actions execute as they resolve), so the effect's cut is
 * set and its start deferred at the same point. Without `execute`, XState makes no executor
 * record, bound function, closure and inspection event for it (about 200 bytes per effect).
 * Only for the effects of a running actor's transitions: not `openSession`, the initial state's
 * entry, which XState resolves while it makes the actor (before the actor holds its run) and
 * executes when it starts.
 */
export function quietEffect(action: { type: string; execute: (scope: ActionScope, input: never) => void }, servesRun: (self: unknown) => boolean): any {
  const execute = action.execute;
  function quiet(): void {}
  quiet.type = action.type;
  quiet.resolve = (scope: ActionScope, snapshot: unknown, _args: unknown, input: never) => {
    // XState's pure functions (transition, getNextSnapshot) resolve actions on a stand-in actor
    // and execute none: an effect resolved there must not start either
    if (servesRun(scope.self)) execute(scope, input);
    return [snapshot, input, undefined];
  };
  return quiet;
}

function answer(run: EffectRun, cut: EffectCut, event: EffectEvent): void {
  if (cut.aborted) return;
  // answered: leaving the state now must not abort what the effect already did
  if (run.effectCut === cut) {
    run.effectCut = undefined;
    dropEffectTimer(run);
  }
  run.send(event);
}

/** The effect's time is up: the machine is told, and its transition cuts the effect (still under way). */
function timedOut(run: EffectRun, cut: EffectCut, timeout: EffectTimeout): void {
  run.effectTimer = undefined;
  if (!cut.aborted && run.effectCut === cut) run.send(timeout);
}

/** Disarms the time limit of the effect under way, if it has one (answered, cut, or the run ended). */
export function dropEffectTimer(run: EffectRun): void {
  const timer = run.effectTimer;
  if (timer === undefined) return;
  run.effectTimer = undefined;
  run.clock.clearTimeout(timer);
}

/** The action of the transitions that leave an effect's state before its answer: cuts the effect under way, if any. */
export function cutEffectAction(runOf: (self: unknown) => EffectRun) {
  return ({ self }: { self: unknown }): void => {
    const run = runOf(self);
    const cut = run.effectCut;
    if (cut === undefined) return;
    run.effectCut = undefined;
    dropEffectTimer(run);
    cut.cut();
  };
}
