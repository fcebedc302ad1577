import type { RunEvent } from '../src/events.js';
import type { RunContext, Step } from './run-types.js';

interface EmitScope {
  defer(fn: () => void): void;
  emit(event: RunEvent): void;
  /** The actor: its `eventListeners` (type → listeners) are what XState's `emit` calls. */
  self: { eventListeners?: unknown };
}

/** As XState reports a listener's throw: out of band, never into the transition. */
const reportThrow = (err: unknown): void => {
  setTimeout(() => {
    throw err;
  });
};

/**
 * One event to the actor's listeners, as XState's `emit` does. With one listener and it a
 * wildcard one (the wiring's own, when the host listens to nothing) it is called directly:
 * XState's `emit` makes two iterators and an array of the listeners for every event.
 */
function emitOne(scope: EmitScope, event: RunEvent): void {
  const listeners = scope.self.eventListeners;
  if (listeners instanceof Map && listeners.size === 1) {
    const all = listeners.get('*');
    if (all instanceof Set && all.size === 1) {
      for (const listener of all) {
        try {
          listener(event);
        } catch (err) {
          reportThrow(err);
        }
      }
      return;
    }
  }
  scope.emit(event);
}

/** Emits a step's events once the transition is done, in order, as XState's own `emit` does (one deferral for them all). */
function emitAll(scope: EmitScope, events: readonly RunEvent[]): void {
  if (events.length === 0) return;
  scope.defer(() => {
    for (const e of events) emitOne(scope, e);
  });
}

/**
 * Turns a pure step into one action: the step runs once, its patch is assigned and its events
 * are emitted after the transition, exactly as `enqueueActions` with `enqueue.assign` and
 * `enqueue.emit` would. Written as an XState built-in action (an action with `resolve` and
 * `execute`, which XState runs like its own `assign` and `emit`) because `enqueueActions` builds
 * an `enqueue` object of ten closures on every step, and one `emit` action per event made a run
 * that skips 127 candidates resolve and execute 127 actions.
 */
export function stepAction(step: (ctx: RunContext, event: any) => Step): any {
  function runStep(): void {}
  runStep.type = 'llm-failover.step';
  runStep.resolve = (_scope: unknown, snapshot: { context: RunContext }, args: { event: unknown }) => {
    const { patch, events } = step(snapshot.context, args.event);
    for (const _ in patch) return [withContext(snapshot, Object.assign({}, snapshot.context, patch)), events, undefined];
    return [snapshot, events, undefined];
  };
  runStep.execute = emitAll;
  return runStep;
}

/**
 * The snapshot with another context and nothing else changed: its state nodes, hence its value
 * and tags, are the same, so they are kept rather than computed again as XState's `assign` does
 * (a new tag set and state value per assignment, and a spawner and its closures per call).
 */
function withContext<S extends { context: RunContext }>(snapshot: S, context: RunContext): S {
  return { ...snapshot, context };
}
