import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import { assignPatch, stepAction } from '../../machines/step-action.js';
import type { RunContext, Step } from '../../machines/run-types.js';
import type { RunEvent } from '../../src/events.js';

// machines/step-action.ts speaks XState's built-in action protocol (resolve/execute), which is not
// public API: these pin what the run machine relies on, so an XState upgrade that changes it fails here.

type Ctx = Pick<RunContext, 'now' | 'candidateIndex'>;
const event = (at: number, n: number): RunEvent => ({ type: 'candidate.skipped', runId: 'r', at, provider: `p${n}`, model: 'm', reason: 'attempt_budget', detail: `d${n}` });

function machineWith(step: (ctx: RunContext, e: any) => Step, register = true) {
  return setup({
    types: { context: {} as Ctx, events: {} as { type: 'go' }, emitted: {} as RunEvent },
    actions: { step: stepAction(step), ...(register ? { assignPatch: assignPatch as any } : {}) },
  }).createMachine({
    context: { now: 1, candidateIndex: -1 },
    initial: 'idle',
    states: { idle: { on: { go: { target: 'done', actions: 'step' } } }, done: {} },
  });
}

describe('a step as one action', () => {
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

  it('fails loudly in a machine that does not register assignPatch, instead of losing the patch', () => {
    const errors: unknown[] = [];
    const actor = createActor(machineWith(() => ({ patch: { now: 5 }, events: [] }), false));
    actor.subscribe({ error: (err) => errors.push(err) });
    actor.start();
    actor.send({ type: 'go' });
    expect(actor.getSnapshot().status).toBe('error');
    expect(String(errors[0])).toContain('must register assignPatch');
  });
});
