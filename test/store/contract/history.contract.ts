import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POSTGRES_PROPERTY_TIMEOUT_MS, POSTGRES_RUNS } from '../../property/harness/num-runs.js';
import type { SessionStore } from '../../../src/store/types.js';
import { droppableMessages } from '../../helpers/droppable-messages.js';
import { commitArgs, completeRun, openArgs } from './fixtures.js';
import { useStores, type StoreFactory } from './store-factory.js';

const allFour = ['question of r1', 'answer to r1', 'question of r2', 'answer to r2'];

/** The history a run opens with, through the store's history cache: the same whatever the cache holds. */
export function historyContract(factory: StoreFactory): void {
  describe(`${factory.name}: history and its cache`, () => {
    const stores = useStores(factory);

    it('is the same whether the session is cached, too big to cache or the cache is off', async () => {
      for (const historyCacheBytes of [0, 100, 64 * 1024 * 1024]) {
        const store = await stores.open({ historyCacheBytes });
        await completeRun(store, 'r1', 's1');
        await completeRun(store, 'r2', 's1');
        const opened = await store.openRun(openArgs('r3', 's1'));
        expect(opened.messages?.map((m) => m.content)).toEqual(allFour);
        await store.commitRun(opened.lease, commitArgs('r3'));
        // the turn records, first asked for after the run committed, stop where its opening did
        expect(opened.history.map((h) => [h.seq, h.runId, h.content])).toEqual(allFour.map((content, i) => [i + 1, i < 2 ? 'r1' : 'r2', content]));
        expect(Object.isFrozen(opened.history[0])).toBe(true);
        const next = await store.openRun(openArgs('r4', 's1'));
        expect(next.messages?.length).toBe(6);
        expect(next.history).toEqual(await store.listTurns('s1'));
      }
    });

    it('includes what another connection (process) appended after this one cached the session', async () => {
      const a = await stores.open();
      const b = await stores.connect(a);
      await completeRun(a, 'a1', 's1');
      await completeRun(b, 'b1', 's1');
      const opened = await a.openRun(openArgs('a2', 's1'));
      expect(opened.history.map((t) => [t.seq, t.runId])).toEqual([
        [1, 'a1'],
        [2, 'a1'],
        [3, 'b1'],
        [4, 'b1'],
      ]);
      expect(opened.messages?.map((m) => m.content)).toEqual(['question of a1', 'answer to a1', 'question of b1', 'answer to b1']);
      await a.commitRun(opened.lease, commitArgs('a2'));
      await completeRun(b, 'b2', 's1');
      const last = await a.openRun(openArgs('a3', 's1'));
      expect(last.history.map((t) => t.runId)).toEqual(['a1', 'a1', 'b1', 'b1', 'a2', 'a2', 'b2', 'b2']);
      expect(last.history).toEqual(await b.listTurns('s1'));
    });

    it(
      'property: equals the stored turns whatever two connections do, with a cache that keeps all, some or none',
      async () => {
        // two connections per bound, for every case: each case has sessions of its own
        const pairs: (readonly [SessionStore, SessionStore])[] = [];
        for (const historyCacheBytes of [0, 400, 64 * 1024 * 1024]) {
          const a = await stores.open({ historyCacheBytes });
          pairs.push([a, await stores.connect(a, { historyCacheBytes })] as const);
        }
        const op = fc.record({ store: fc.integer({ min: 0, max: 1 }), session: fc.constantFrom('s0', 's1', 's2'), messages: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 0, max: 150 }) });
        let n = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 2 }), async (ops, bound) => {
            const pair = pairs[bound]!;
            const prefix = `case${n++}-`;
            for (const [i, o] of ops.entries()) {
              const store = pair[o.store]!;
              const runId = `${prefix}r${i}`;
              const sessionId = prefix + o.session;
              const opened = await store.openRun(openArgs(runId, sessionId));
              const stored = await store.listTurns(sessionId);
              expect(opened.messages?.map((m) => m.content)).toEqual(stored.map((t) => t.content));
              expect(opened.history).toEqual(stored);
              const messages = Array.from({ length: o.messages }, (_, k) => ({ role: 'user' as const, content: `${runId}.${k} ${'x'.repeat(o.size)}` }));
              await store.commitRun(opened.lease, commitArgs(runId, { messages }));
            }
          }),
          POSTGRES_RUNS,
        );
      },
      POSTGRES_PROPERTY_TIMEOUT_MS,
    );

    describe('after a collection dropped the messages runs were given (the cache keeps their text)', () => {
      const dropped = droppableMessages();
      const asPairs = (messages: readonly { role: string; content: unknown }[] | undefined) => messages?.map((m) => [m.role, m.content]);

      it('a run reads the same messages and turn records again, and what other runs hold never changes', async () => {
        const store = await stores.open();
        await completeRun(store, 'r1', 's1');
        // r2 holds the session's messages, then stalls: r3 takes its expired lease over
        const stalled = await store.openRun(openArgs('r2', 's1', { now: 1_000, leaseTtlMs: 500 }));
        const given = stalled.messages!;
        const seen = asPairs(given);
        dropped.collect();
        const next = await store.openRun(openArgs('r3', 's1', { now: 1_600 }));
        expect(next.messages).not.toBe(given);
        expect(asPairs(next.messages)).toEqual(seen);
        expect(Object.isFrozen(next.messages![0])).toBe(true);
        await store.commitRun(next.lease, commitArgs('r3', { now: 1_700 }));
        dropped.collect();
        const last = await store.openRun(openArgs('r4', 's1', { now: 1_800 }));
        const stored = await store.listTurns('s1');
        expect(asPairs(last.messages)).toEqual(stored.map((t) => [t.role, t.content]));
        expect(last.history).toEqual(stored);
        // the stalled run's array is as it was given
        expect(asPairs(given)).toEqual(seen);
        expect(given.length).toBe(2);
      });

      it('keeps messages that are not plain text (parts, provider options) as they were stored', async () => {
        const store = await stores.open();
        const first = await store.openRun(openArgs('r1', 's1'));
        const messages = [
          { role: 'system' as const, content: 'be brief' },
          { role: 'user' as const, content: [{ type: 'text' as const, text: 'with parts' }] },
          { role: 'tool' as const, content: 'a tool said so', providerOptions: { deepseek: { cache: true } } },
        ];
        await store.commitRun(first.lease, commitArgs('r1', { messages }));
        const read = await store.openRun(openArgs('r2', 's1'));
        await store.commitRun(read.lease, commitArgs('r2'));
        dropped.collect();
        const again = await store.openRun(openArgs('r3', 's1'));
        const stored = await store.listTurns('s1');
        expect(again.messages).toEqual(stored.map(({ role, content, providerOptions }) => (providerOptions === undefined ? { role, content } : { role, content, providerOptions })));
        expect(again.messages?.slice(0, 3)).toEqual([...messages]);
        expect(again.history).toEqual(stored);
      });
    });

    it('refuses a cache bound that is not a non-negative integer, naming it', async () => {
      await expect(stores.open({ historyCacheBytes: -1 })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/historyCacheBytes/) });
    });
  });
}
