import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { commitArgs, completeRun, openArgs, openStore, tempDbPath } from './helpers.js';

describe('history read by openRun', () => {
  it('gives each run its own array, and turns a caller cannot change', async () => {
    const store = openStore();
    await completeRun(store, 'r1', 's1');
    const first = await store.openRun(openArgs('r2', 's1'));
    first.history.pop();
    expect(() => {
      (first.history[0] as { content: string }).content = 'tampered';
    }).toThrow(TypeError);
    await store.commitRun(first.lease, commitArgs('r2'));
    const second = await store.openRun(openArgs('r3', 's1'));
    expect(second.history.map((t) => [t.seq, t.content])).toEqual([
      [1, 'question of r1'],
      [2, 'answer to r1'],
      [3, 'question of r2'],
      [4, 'answer to r2'],
    ]);
  });

  it('equals the stored turns whatever two stores do, with any cache size', async () => {
    const op = fc.record({ store: fc.integer({ min: 0, max: 1 }), session: fc.constantFrom('s0', 's1', 's2'), messages: fc.integer({ min: 1, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 2 }), async (ops, cacheSize) => {
        const p = tempDbPath();
        const stores = [openSqliteStore({ path: p, historyCacheSessions: cacheSize }), openSqliteStore({ path: p, historyCacheSessions: cacheSize })];
        try {
          for (const [i, o] of ops.entries()) {
            const store = stores[o.store]!;
            const runId = `r${i}`;
            const { history, lease } = await store.openRun(openArgs(runId, o.session));
            expect(history).toEqual(await store.listTurns(o.session));
            const messages = Array.from({ length: o.messages }, (_, k) => ({ role: 'user' as const, content: `${runId}.${k}` }));
            await store.commitRun(lease, commitArgs(runId, { messages }));
          }
        } finally {
          for (const s of stores) await s.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
