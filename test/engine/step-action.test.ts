import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import { quietStep, stepAction } from '../../machines/step-action.js';
import type { RunContext, Step } from '../../machines/run-types.js';
import type { RunEvent } from '../../src/events.js';

// machines/step-action.ts speaks XState's built-in action protocol (resolve/execute), which is not
// public API: these pin what the run machine relies on, so an XState upgrade that changes it fails here.

type Ctx = Pick<RunContext, 'now' | 'candidateIndex'>;
const event = (at: number, n: number): RunEvent => ({ type: 'candidate.skipped', runId: 'r', at, provider: `p${n}`, model: 'm', reason: 'attempt_budget', detail: `d${n}` });

type StepAction = typeof stepAction;

// Both forms: the action with `execute` (inspected runs) and the one whose resolve emits (quietStep, every other run).
const variants: [string, StepAction][] = [
  ['with execute', stepAction],
  ['quiet', (step, then) => quietStep(stepAction(step, then))],
];

describe.each(variants)('a step as one action (%s)', (_name, stepAction) => {
  function machineWith(step: (ctx: RunContext, e: any) => Step, onDone?: (ctx: RunContext, e: any) => Step) {
    return setup({
      types: { context: {} as Ctx, events: {} as { type: 'go' | 'again' }, emitted: {} as RunEvent },
      actions: { step: stepAction(step), onDone: stepAction(onDone ?? (() => ({ patch: {}, events: [] }))) },
    }).createMachine({
      context: { now: 1, candidateIndex: -1 },
      initial: 'idle',
      states: {
        idle: { tags: ['waiting'], on: { go: { target: 'done', actions: 'step' } } },
        done: { tags: ['finished'], entry: 'onDone', on: { again: { target: 'idle', actions: 'step' } } },
      },
    });
  }

  it('assigns its patch, then emits its events in order once the transition is done', () => {
    const seen: { type: string; provider: string; now: number; state: unknown }[] = [];
    const actor = createActor(machineWith((ctx) => ({ patch: { now: ctx.now + 10, candidateIndex: 3 }, events: [event(ctx.now, 1), event(ctx.now, 2), event(ctx.now, 3)] })));
    actor.on('*', (e) => {
      const snap = actor.getSnapshot();
      seen.push({ type: e.type, provider: (e as { provider: string }).provider, now: snap.context.now, state: snap.value });
    });
    actor.start();
    actor.send({ type: 'go' });
    expect(actor.getSnapshot().context).toEqual({ now: 11, candidateIndex: 3 });
    expect(seen).toEqual([1, 2, 3].map((n) => ({ type: 'candidate.skipped', provider: `p${n}`, now: 11, state: 'done' })));
  });

  it('runs the step once and keeps the very context when the patch is empty', () => {
    let calls = 0;
    const actor = createActor(machineWith(() => (calls++, { patch: {}, events: [] }))).start();
    const before = actor.getSnapshot().context;
    actor.send({ type: 'go' });
    expect(calls).toBe(1);
    expect(actor.getSnapshot().context).toBe(before);
    expect(actor.getSnapshot().value).toBe('done');
  });

  it('a later action of the same transition sees the patch; state value, tags and the snapshot before stay right', () => {
    let seenByEntry: number | undefined;
    const actor = createActor(
      machineWith(
        (ctx) => ({ patch: { now: ctx.now + 10 }, events: [] }),
        (ctx) => ((seenByEntry = ctx.now), { patch: { candidateIndex: ctx.candidateIndex + 1 }, events: [] }),
      ),
    ).start();
    const first = actor.getSnapshot();
    actor.send({ type: 'go' });
    const second = actor.getSnapshot();
    expect(seenByEntry).toBe(11);
    expect(second.context).toEqual({ now: 11, candidateIndex: 0 });
    expect([second.value, second.hasTag('finished'), second.hasTag('waiting'), second.matches('done'), second.can({ type: 'again' })]).toEqual(['done', true, false, true, true]);
    // snapshots are values: the one before the step is untouched
    expect([first.context, first.value, first.hasTag('waiting')]).toEqual([{ now: 1, candidateIndex: -1 }, 'idle', true]);
    actor.send({ type: 'again' });
    expect([actor.getSnapshot().value, actor.getSnapshot().context, actor.getSnapshot().hasTag('waiting')]).toEqual(['idle', { now: 21, candidateIndex: 0 }, true]);
  });

  it('two steps as one action: the second reads what the first assigned, their events in order after the transition', () => {
    const seen: string[] = [];
    let seenBySecond: number | undefined;
    const twoSteps = stepAction(
      (ctx) => ({ patch: { now: ctx.now + 10 }, events: [event(ctx.now, 1)] }),
      (ctx) => ((seenBySecond = ctx.now), { patch: { candidateIndex: 7 }, events: [event(ctx.now, 2), event(ctx.now, 3)] }),
    );
    const machine = setup({
      types: { context: {} as Ctx, events: {} as { type: 'go' }, emitted: {} as RunEvent },
      actions: { twoSteps },
    }).createMachine({ context: { now: 1, candidateIndex: -1 }, initial: 'idle', states: { idle: { on: { go: { target: 'done', actions: 'twoSteps' } } }, done: {} } });
    const actor = createActor(machine);
    actor.on('*', (e) => seen.push(`${(e as { provider: string }).provider}@${(e as { at: number }).at} in ${String(actor.getSnapshot().value)}`));
    actor.start();
    const before = actor.getSnapshot().context;
    actor.send({ type: 'go' });
    expect(seenBySecond).toBe(11);
    expect(actor.getSnapshot().context).toEqual({ now: 11, candidateIndex: 7 });
    expect(before).toEqual({ now: 1, candidateIndex: -1 });
    expect(seen).toEqual(['p1@1 in done', 'p2@11 in done', 'p3@11 in done']);
  });

  it('two steps that assign nothing keep the very context', () => {
    const machine = setup({
      types: { context: {} as Ctx, events: {} as { type: 'go' } },
      actions: { twoSteps: stepAction(() => ({ patch: {}, events: [] }), () => ({ patch: {}, events: [] })) },
    }).createMachine({ context: { now: 1, candidateIndex: -1 }, initial: 'idle', states: { idle: { on: { go: { target: 'done', actions: 'twoSteps' } } }, done: {} } });
    const actor = createActor(machine).start();
    const before = actor.getSnapshot().context;
    actor.send({ type: 'go' });
    expect(actor.getSnapshot().context).toBe(before);
  });
});
