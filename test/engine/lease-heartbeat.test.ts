import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { startHeartbeat, type BeatResult } from '../../src/lease-heartbeat.js';

const settle = () => new Promise((r) => setImmediate(r));

describe('the lease heartbeat', () => {
  it('never overlaps two renewals: the next beat is scheduled only once the last one settled', async () => {
    const clock = new SimulatedClock();
    const pending: ((r: BeatResult) => void)[] = [];
    const stop = startHeartbeat(clock, 100, () => new Promise<BeatResult>((resolve) => pending.push(resolve)));
    clock.increment(100);
    clock.increment(1_000); // a slow renewal: ten beat intervals pass while it is out
    await settle();
    expect(pending).toHaveLength(1);
    pending[0]!('renewed');
    await settle();
    clock.increment(100);
    await settle();
    expect(pending).toHaveLength(2);
    stop();
  });

  it('tries a failed renewal again within a second, and stops for good when the lease is gone', async () => {
    const clock = new SimulatedClock();
    const results: BeatResult[] = ['retry', 'renewed', 'stop'];
    const beats: number[] = [];
    startHeartbeat(clock, 10_000, async () => (beats.push(clock.now()), results.shift() ?? 'renewed'));
    for (let i = 0; i < 40; i++) {
      clock.increment(1_000);
      await settle();
    }
    expect(beats).toEqual([10_000, 11_000, 21_000]);
  });
});
