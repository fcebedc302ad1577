import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cachedBytes, HistoryCache, TURN_OVERHEAD_BYTES } from '../../src/store/history-cache.js';
import type { TurnRow } from '../../src/store/turn-rows.js';
import type { Turn } from '../../src/types.js';
import { commitArgs, completeRun, openArgs, openStore } from './helpers.js';

/** Sessions as rows, and the reads the cache made of them: what the turns table would answer. */
function table() {
  const sessions = new Map<string, TurnRow[]>();
  const reads: [string, number][] = [];
  const add = (sessionId: string, content: string): Turn => {
    const rows = sessions.get(sessionId) ?? [];
    sessions.set(sessionId, rows);
    const row: TurnRow = { seq: rows.length + 1, role: 'user', content, runId: 'r', parts: null, providerOptions: null };
    rows.push(row);
    return { seq: row.seq, role: 'user', content, runId: 'r' } as Turn;
  };
  const readAfter = (sessionId: string, afterSeq: number): TurnRow[] => {
    reads.push([sessionId, afterSeq]);
    return (sessions.get(sessionId) ?? []).filter((r) => r.seq > afterSeq);
  };
  return { add, readAfter, reads, sessions };
}

describe('the history cache, bounded in bytes', () => {
  it('counts a turn as its text plus a fixed overhead', () => {
    expect(cachedBytes({ role: 'user', content: 'x'.repeat(100) })).toBe(100 + TURN_OVERHEAD_BYTES);
  });

  it('property: never holds more bytes than its bound, and always answers the whole session', () => {
    const op = fc.record({ session: fc.constantFrom('a', 'b', 'c', 'd'), turns: fc.integer({ min: 0, max: 3 }), size: fc.integer({ min: 0, max: 300 }), sameRun: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.integer({ min: 0, max: 2_000 }), (ops, maxBytes) => {
        const t = table();
        const cache = new HistoryCache({ maxBytes, maxSessions: Number.MAX_SAFE_INTEGER });
        for (const o of ops) {
          const { messages } = cache.read(o.session, 'run', t.readAfter);
          expect(messages.map((m) => m.content)).toEqual((t.sessions.get(o.session) ?? []).map((r) => r.content));
          const added = Array.from({ length: o.turns }, () => t.add(o.session, 'x'.repeat(o.size)));
          cache.appended(o.session, o.sameRun ? 'run' : 'other', added);
          expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
        }
      }),
    );
  });

  it('drops the least recently used session first, and reads it whole next time', () => {
    const t = table();
    const turn = TURN_OVERHEAD_BYTES + 60;
    const cache = new HistoryCache({ maxBytes: 2 * turn, maxSessions: Number.MAX_SAFE_INTEGER });
    t.add('a', 'a'.repeat(60));
    t.add('b', 'b'.repeat(60));
    t.add('c', 'c'.repeat(60));
    cache.read('a', 'run', t.readAfter);
    cache.read('b', 'run', t.readAfter);
    cache.read('a', 'run', t.readAfter); // a is now the younger
    cache.read('c', 'run', t.readAfter); // b goes
    expect(cache.sessions).toBe(2);
    t.reads.length = 0;
    cache.read('a', 'run', t.readAfter);
    cache.read('b', 'run', t.readAfter);
    expect(t.reads).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
  });

  it('never changes what it gave a run that may still use it', () => {
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER });
    t.add('s', 'one');
    const first = cache.read('s', 'r1', t.readAfter).messages;
    // another run's commit (r1 may still be running: its lease was taken over)
    cache.appended('s', 'r2', [t.add('s', 'two')]);
    expect(first.map((m) => m.content)).toEqual(['one']);
    const second = cache.read('s', 'r3', t.readAfter);
    expect(second.messages.map((m) => m.content)).toEqual(['one', 'two']);
    expect(second.lastSeq).toBe(2);
    // turns another process wrote, read by the next run: r3 keeps what it was given
    t.add('s', 'three');
    const third = cache.read('s', 'r4', t.readAfter).messages;
    expect(second.messages.map((m) => m.content)).toEqual(['one', 'two']);
    expect(third.map((m) => m.content)).toEqual(['one', 'two', 'three']);
    // two runs given the same array: the commit of either makes a new one
    const shared = cache.read('s', 'r5', t.readAfter).messages;
    expect(shared).toBe(third);
    cache.appended('s', 'r5', [t.add('s', 'four')]);
    expect(third.map((m) => m.content)).toEqual(['one', 'two', 'three']);
  });

  it('extends in place for the commit of the one run given the array (it is done with it): no copy per run', () => {
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER });
    t.add('s', 'one');
    const mine = cache.read('s', 'r1', t.readAfter).messages;
    cache.appended('s', 'r1', [t.add('s', 'two')]);
    const next = cache.read('s', 'r2', t.readAfter).messages;
    expect(next).toBe(mine);
    expect(next.map((m) => m.content)).toEqual(['one', 'two']);
  });
});

describe('openRun with a history cache bound', () => {
  it('refuses a bound that is not a non-negative integer, naming it', () => {
    expect(() => openStore({ historyCacheBytes: -1 })).toThrow(/historyCacheBytes/);
  });

  it('gives the same history whether the session is cached, too big to cache or the cache is off', async () => {
    for (const historyCacheBytes of [0, 100, 64 * 1024 * 1024]) {
      const store = openStore({ historyCacheBytes });
      await completeRun(store, 'r1', 's1');
      await completeRun(store, 'r2', 's1');
      const opened = await store.openRun(openArgs('r3', 's1'));
      expect(opened.messages?.map((m) => m.content)).toEqual(['question of r1', 'answer to r1', 'question of r2', 'answer to r2']);
      await store.commitRun(opened.lease, commitArgs('r3'));
      // the turn records, first asked for after the run committed, stop where its opening did
      expect(opened.history.map((h) => [h.seq, h.runId])).toEqual([
        [1, 'r1'],
        [2, 'r1'],
        [3, 'r2'],
        [4, 'r2'],
      ]);
      expect(Object.isFrozen(opened.history[0])).toBe(true);
    }
  });
});

describe('the turn records of an opened run', () => {
  it('asked for after the store closed: a typed store error, not a crash', async () => {
    const store = openStore();
    await completeRun(store, 'r1', 's1');
    const opened = await store.openRun(openArgs('r2', 's1'));
    await store.close();
    let thrown: unknown;
    try {
      void opened.history;
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: expect.stringMatching(/^STORE_/) });
    expect((thrown as Error).message).toMatch(/reading the history of a run/);
  });
});
