import { describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import { createRunActor } from '../../src/create-run-actor.js';
import { openArgs, openStore } from './helpers.js';

describe('an engine run whose lease is stolen', () => {
  it('ends with LeaseLostError and its reply is listed by listOrphans()', async () => {
    const store = openStore();
    const clock = new SimulatedClock();
    clock.set(1_000);
    let answer: (v: { content: string }) => void = () => {};
    let called!: () => void;
    const calling = new Promise<void>((r) => (called = r));
    const actor = createRunActor({
      runId: 'slow',
      sessionId: 's1',
      messages: [{ role: 'user', content: 'slow question' }],
      chain: ['alpha/a1'],
      call: () => {
        called();
        return new Promise((r) => (answer = r));
      },
      store,
      clock,
      policy: { leaseTtlMs: 1_000 },
    });
    actor.start();
    await calling;
    // the run hangs past its lease (no heartbeat: the simulated clock does not move), so another run takes the session
    const thief = await store.openRun(openArgs('thief', 's1', { now: 5_000 }));
    expect(thief.lease.token).toBe(2);
    answer({ content: 'slow answer' });
    const out = await toPromise(actor).catch((e: unknown) => ({ status: 'threw', error: e }));
    expect(out.status).not.toBe('succeeded');
    expect((out as { error: { code?: string } }).error.code).toBe('LEASE_LOST');
    expect(await store.listOrphans()).toEqual([
      expect.objectContaining({ runId: 'slow', sessionId: 's1', messages: [{ role: 'user', content: 'slow question' }], reply: { role: 'assistant', content: 'slow answer' } }),
    ]);
    expect((await store.getRun('slow'))?.status).toBe('orphaned');
    expect(await store.listTurns('s1')).toEqual([]);
  });
});
