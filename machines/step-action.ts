import { assign } from 'xstate';
import type { RunEvent } from '../src/events.js';
import type { RunContext, Step } from './run-types.js';

interface EmitScope {
  defer(fn: () => void): void;
  emit(event: RunEvent): void;
}

/** Emits a step's events once the transition is done, in order, as XState's own `emit` does (one deferral for them all). */
function emitAll(scope: EmitScope, events: readonly RunEvent[]): void {
  if (events.length === 0) return;
  scope.defer(() => {
    for (const e of events) scope.emit(e);
  });
}

/** The name the run machine registers `assignPatch` under: one `assign` for every step, its patch given as params. */
export const ASSIGN_PATCH = 'assignPatch';

/** Assigns the patch it is given as params: made once, not one `assign` action per step. */
export const assignPatch = assign((_: unknown, patch: Partial<RunContext>) => patch);

/**
 * Turns a pure step into one action (its machine registers `assignPatch` under ASSIGN_PATCH): the step runs once, its patch is assigned and its events
 * are emitted after the transition, exactly as `enqueueActions` with `enqueue.assign` and
 * `enqueue.emit` would. Written as an XState built-in action (an action with `resolve` and
 * `execute`, which XState runs like its own `assign` and `emit`) because `enqueueActions` builds
 * an `enqueue` object of ten closures on every step, and one `emit` action per event made a run
 * that skips 127 candidates resolve and execute 127 actions.
 */
export function stepAction(step: (ctx: RunContext, event: any) => Step): any {
  function runStep(): void {}
  runStep.type = 'llm-failover.step';
  runStep.resolve = (_scope: unknown, snapshot: { context: RunContext; machine: { implementations: { actions: Record<string, unknown> } } }, args: { event: unknown }) => {
    const { patch, events } = step(snapshot.context, args.event);
    for (const _ in patch) {
      // XState skips an action it cannot find: a machine without it would lose every patch silently
      if (!snapshot.machine.implementations.actions[ASSIGN_PATCH]) throw new Error(`a machine using stepAction() must register ${ASSIGN_PATCH}`);
      return [snapshot, events, [{ type: ASSIGN_PATCH, params: patch }]];
    }
    return [snapshot, events, undefined];
  };
  runStep.execute = emitAll;
  return runStep;
}
