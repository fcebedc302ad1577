import { assign, emit } from 'xstate';
import type { RunEvent } from '../src/events.js';
import type { RunContext, Step } from './run-types.js';

/**
 * Turns a pure step into one action: the step runs once, its patch is assigned and its events
 * are emitted, in that order, exactly as `enqueueActions` with `enqueue.assign` and `enqueue.emit`
 * would. Written as an XState built-in action (an action with `resolve`, which XState resolves
 * like its own `assign` and `emit`) because `enqueueActions` builds an `enqueue` object of ten
 * closures on every step, and a run takes dozens of steps.
 */
export function stepAction(step: (ctx: RunContext, event: any) => Step): any {
  function runStep(): void {}
  runStep.type = 'llm-failover.step';
  runStep.resolve = (_scope: unknown, snapshot: { context: RunContext }, args: { event: unknown }) => {
    const { patch, events } = step(snapshot.context, args.event);
    let actions: unknown[] | undefined;
    for (const _ in patch) {
      actions = [assign(patch as any)];
      break;
    }
    for (const e of events) (actions ??= []).push(emit(e as RunEvent));
    return [snapshot, undefined, actions];
  };
  return runStep;
}
