import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionBusyError } from '../../src/errors.js';
import { LeaseWaitQueue, type TryResult } from '../../src/store/lease-wait-queue.js';

/** A lease held until `freeAt` on a clock the test moves; counts every try. */
function fakeLease(freeAt: () => number) {
  const tries: string[] = [];
  return {
    tries,
    tryFor: (id: string) => (now: number): TryResult<string> => {
      tries.push(id);
      return now >= freeAt() ? { acquired: true, value: id } : { acquired: false, holderExpiresAt: freeAt() };
    },
  };
}

describe('LeaseWaitQueue (fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('only the head polls, on a growing interval, not in a tight loop', async () => {
    const q = new LeaseWaitQueue();
    const lease = fakeLease(() => Number.POSITIVE_INFINITY);
    const now = () => Date.now();
    const waits = ['w1', 'w2', 'w3'].map((id) => q.wait({ sessionId: 's', tryAcquire: lease.tryFor(id), now, lockWaitMs: 1_000 }).catch((e: unknown) => e));
    await vi.advanceTimersByTimeAsync(999);
    expect(new Set(lease.tries)).toEqual(new Set(['w1']));
    // 2+4+8+16+32 ms, then every 50 ms: about 25 tries in a second, where a tight loop makes millions
    expect(lease.tries.length).toBeGreaterThan(5);
    expect(lease.tries.length).toBeLessThanOrEqual(26);
    await vi.advanceTimersByTimeAsync(10);
    const results = await Promise.all(waits);
    expect(results.every((r) => r instanceof SessionBusyError)).toBe(true);
  });

  it('polls no later than the holder expiry and then takes the lease', async () => {
    const q = new LeaseWaitQueue();
    const freeAt = Date.now() + 7;
    const lease = fakeLease(() => freeAt);
    const got = q.wait({ sessionId: 's', tryAcquire: lease.tryFor('w1'), now: () => Date.now(), lockWaitMs: 1_000 });
    await vi.advanceTimersByTimeAsync(7);
    await expect(got).resolves.toBe('w1');
  });

  it('released() wakes the head without waiting for its next poll', async () => {
    const q = new LeaseWaitQueue();
    let free = false;
    const got = q.wait({
      sessionId: 's',
      tryAcquire: (): TryResult<string> => (free ? { acquired: true, value: 'ok' } : { acquired: false, holderExpiresAt: Number.POSITIVE_INFINITY }),
      now: () => Date.now(),
      lockWaitMs: 10_000,
    });
    await vi.advanceTimersByTimeAsync(200); // the poll interval has grown to 50 ms
    free = true;
    q.released('s');
    await vi.advanceTimersByTimeAsync(0);
    await expect(got).resolves.toBe('ok');
  });

  it('a try that throws rejects that waiter and moves the queue on', async () => {
    const q = new LeaseWaitQueue();
    const boom = new Error('disk gone');
    const first = q.wait({ sessionId: 's', tryAcquire: () => { throw boom; }, now: () => 0, lockWaitMs: 1_000 });
    const second = q.wait({ sessionId: 's', tryAcquire: () => ({ acquired: true, value: 'second' }), now: () => 0, lockWaitMs: 1_000 });
    await expect(first).rejects.toBe(boom);
    await expect(second).resolves.toBe('second');
    expect(q.hasWaiters('s')).toBe(false);
  });
});
