import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, type RunOutput } from '../../src/index.js';
import { openStore, tempDbPath } from './helpers.js';
import { spawnWorker } from './workers/spawn-worker.js';

// Longer than the 5 s busy_timeout the store used to wait synchronously.
const HOLD_MS = 6_000;

/** Records when a 10 ms timer fires: a frozen event loop shows as a long gap between ticks. */
function loopWatch() {
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(performance.now()), 10);
  return {
    stop: () => clearInterval(timer),
    /** The longest time between two ticks within [from, to]. */
    longestGap(from: number, to: number): number {
      const inside = ticks.filter((t) => t >= from && t <= to);
      let gap = 0;
      for (let i = 1; i < inside.length; i++) gap = Math.max(gap, inside[i]! - inside[i - 1]!);
      return gap;
    },
    count: (from: number, to: number) => ticks.filter((t) => t >= from && t <= to).length,
  };
}

describe('another process holding the write lock for 6 s while 5 runs are in flight', () => {
  it('every reply is committed once the lock is gone, and the process never stops moving meanwhile', async () => {
    const dbPath = tempDbPath();
    const store = openStore({ path: dbPath });
    await store.ready;
    const watch = loopWatch();
    try {
      // three runs take their sessions, then call a provider that answers once the lock is held
      let lockTaken!: () => void;
      const locked = new Promise<void>((r) => (lockTaken = r));
      const start = (sessionId: string) => {
        const actor = createRunActor({
          sessionId,
          messages: [{ role: 'user', content: `question on ${sessionId}` }],
          chain: ['alpha/a1'],
          call: async () => {
            await locked;
            await new Promise((r) => setTimeout(r, 50));
            return { content: `answer on ${sessionId}` };
          },
          store,
          // beats every second: renewals run into the lock too, and must not freeze the loop either
          policy: { leaseTtlMs: 3_000 },
        });
        actor.start();
        return toPromise(actor);
      };
      const early = ['a', 'b', 'c'].map(start);
      await new Promise((r) => setTimeout(r, 50));

      const holder = spawnWorker('hold-write-lock.ts', { dbPath, holdMs: HOLD_MS });
      await holder.waitFor((l) => l.type === 'locked');
      const lockedAt = performance.now();
      lockTaken();
      // two more runs start while the database is locked: taking their sessions must wait too
      const late = ['d', 'e'].map(start);

      await holder.waitFor((l) => l.type === 'released');
      const releasedAt = performance.now();
      const outs: RunOutput[] = await Promise.all([...early, ...late]);
      expect(await holder.exited).toBe(0);

      expect(outs.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
      for (const s of ['a', 'b', 'c', 'd', 'e']) {
        expect((await store.listTurns(s)).map((t) => t.content)).toEqual([`question on ${s}`, `answer on ${s}`]);
      }
      // the event loop kept turning through the whole lock: no stall of the old 5 s kind
      // (loose bounds: the machines running this are shared and noisy)
      expect(watch.longestGap(lockedAt, releasedAt)).toBeLessThan(500);
      expect(watch.count(lockedAt, releasedAt)).toBeGreaterThan(HOLD_MS / 10 / 4);
      // nothing was left behind: every session free, every run closed
      expect((await store.listSessions()).filter((s) => s.leaseOwner !== undefined)).toEqual([]);
      expect((await store.listRuns()).map((r) => r.status)).toEqual(Array(5).fill('succeeded'));
    } finally {
      watch.stop();
    }
  });
});
