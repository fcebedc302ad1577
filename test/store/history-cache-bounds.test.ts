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
    const op = fc.record({ session: fc.constantFrom('a', 'b', 'c', 'd'), turns: fc.integer({ min: 0, max: 3 }), size: fc.integer({ min: 0, max: 300 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.integer({ min: 0, max: 2_000 }), (ops, maxBytes) => {
        const t = table();
        const cache = new HistoryCache({ maxBytes, maxSessions: Number.MAX_SAFE_INTEGER });
        for (const o of ops) {
          const { messages } = cache.read(o.session, t.readAfter);
          expect(messages.map((m) => m.content)).toEqual((t.sessions.get(o.session) ?? []).map((r) => r.content));
          const added = Array.from({ length: o.turns }, () => t.add(o.session, 'x'.repeat(o.size)));
          cache.appended(o.session, added);
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
    cache.read('a', t.readAfter);
    cache.read('b', t.readAfter);
    cache.read('a', t.readAfter); // a is now the younger
    cache.read('c', t.readAfter); // b goes
    expect(cache.sessions).toBe(2);
    t.reads.length = 0;
    cache.read('a', t.readAfter);
    cache.read('b', t.readAfter);
    expect(t.reads).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
  });

  it('never changes what it gave a run: a later turn goes into a new array', () => {
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER });
    t.add('s', 'one');
    const first = cache.read('s', t.readAfter).messages;
    expect(Object.isFrozen(first)).toBe(true);
    cache.appended('s', [t.add('s', 'two')]);
    expect(first.map((m) => m.content)).toEqual(['one']);
    const second = cache.read('s', t.readAfter);
    expect(second.messages.map((m) => m.content)).toEqual(['one', 'two']);
    expect(second.lastSeq).toBe(2);
    // the same session read again without a new turn: the same array, no copy
    expect(cache.read('s', t.readAfter).messages).toBe(second.messages);
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
