import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, toPromise } from 'xstate';
import { EffectCut, fromEffect } from '../../src/effect-actor.js';
import { createRunActor, openSqliteStore, type CallRequest } from '../../src/index.js';

// An effect's abort signal is made only when read (src/effect-actor.ts): whenever it is read,
// before or after the cut, it must say what a signal made at the start would say.

const tick = () => new Promise((r) => setImmediate(r));

describe('EffectCut', () => {
  it('a signal read before the cut aborts with it', () => {
    const cut = new EffectCut();
    const signal = cut.signal;
    expect(signal.aborted).toBe(false);
    expect(cut.aborted).toBe(false);
    let heard = 0;
    signal.addEventListener('abort', () => heard++);
    cut.cut();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect(heard).toBe(1);
    expect(cut.signal).toBe(signal);
  });

  it('a signal first read after the cut is already aborted', () => {
    const cut = new EffectCut();
    cut.cut();
    expect(cut.aborted).toBe(true);
    expect(cut.signal.aborted).toBe(true);
    expect(cut.signal).toBe(cut.signal);
  });
});

describe('fromEffect, as fromPromise', () => {
  it('resolves to done with the output, rejects to error', async () => {
    const ok = createActor(fromEffect<number, number>(async ({ input }) => input * 2), { input: 21 }).start();
    await expect(toPromise(ok)).resolves.toBe(42);
    expect(ok.getSnapshot()).toMatchObject({ status: 'done', output: 42, input: undefined });
    const boom = new Error('boom');
    const bad = createActor(fromEffect<number, void>(() => Promise.reject(boom)));
    bad.subscribe({ error: () => undefined });
    bad.start();
    await tick();
    expect(bad.getSnapshot()).toMatchObject({ status: 'error', error: boom });
  });

  it('stopping the actor cuts the effect, and its late outcome is dropped', async () => {
    let cut: EffectCut | undefined;
    let answer!: (v: number) => void;
    const actor = createActor(
      fromEffect<number, void>((args) => {
        cut = args.cut;
        return new Promise<number>((r) => (answer = r));
      }),
    ).start();
    expect(cut!.aborted).toBe(false);
    actor.stop();
    expect(cut!.aborted).toBe(true);
    expect(cut!.signal.aborted).toBe(true);
    answer(1);
    await tick();
    expect(actor.getSnapshot().status).toBe('stopped');
  });
});

describe('the signal of a call', () => {
  it('is an own property of the request, kept by a spread, and aborts when the attempt times out', async () => {
    const clock = new SimulatedClock();
    const seen: { req: CallRequest; spread: CallRequest }[] = [];
    const call = (req: CallRequest) => {
      seen.push({ req, spread: { ...req } });
      return req.provider === 'a' ? new Promise<never>(() => undefined) : Promise.resolve({ content: 'ok' });
    };
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m', 'b/m'], call, clock, store: openSqliteStore() });
    actor.start();
    await tick();
    expect(seen).toHaveLength(1);
    const first = seen[0]!;
    expect(Object.keys(first.req)).toContain('signal');
    expect(first.spread.signal).toBe(first.req.signal);
    expect(first.req.signal.aborted).toBe(false);
    clock.increment(120_000);
    await tick();
    expect(first.req.signal.aborted).toBe(true);
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    // the answered call was not cut
    expect(seen[1]!.req.signal.aborted).toBe(false);
  });

  it('read only after the attempt timed out, it is already aborted', async () => {
    const clock = new SimulatedClock();
    const late: CallRequest[] = [];
    const call = (req: CallRequest) => {
      if (req.provider === 'a') {
        late.push(req); // the signal is not read during the call
        return new Promise<never>(() => undefined);
      }
      return Promise.resolve({ content: 'ok' });
    };
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m', 'b/m'], call, clock, store: openSqliteStore() });
    actor.start();
    await tick();
    clock.increment(120_000);
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    expect(late[0]!.signal.aborted).toBe(true);
  });
});
