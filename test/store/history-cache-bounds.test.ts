import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cachedBytes, HistoryCache, turnRecords, TURN_OVERHEAD_BYTES } from '../../src/store/history-cache.js';
import { runBytes } from '../../src/store/run-boundaries.js';
import type { TurnRow } from '../../src/store/turn-rows.js';
import type { Message, Role, Turn } from '../../src/types.js';
import { droppableMessages } from '../helpers/droppable-messages.js';
import { completeRun, openArgs, openStore } from './helpers.js';

/** Sessions as rows, and the reads the cache made of them: what the turns table would answer. */
function table() {
  const sessions = new Map<string, TurnRow[]>();
  const reads: [string, number][] = [];
  const add = (sessionId: string, content: string, runId = 'r', role: Role = 'user'): Turn => {
    const rows = sessions.get(sessionId) ?? [];
    sessions.set(sessionId, rows);
    const row: TurnRow = { seq: rows.length + 1, role, content, runId, parts: null, providerOptions: null };
    rows.push(row);
    return { seq: row.seq, role, content, runId } as Turn;
  };
  const readAfter = (sessionId: string, afterSeq: number): TurnRow[] => {
    reads.push([sessionId, afterSeq]);
    return (sessions.get(sessionId) ?? []).filter((r) => r.seq > afterSeq);
  };
  /** The same read as PostgreSQL makes it: the rows arrive a tick later. */
  const readAfterAsync = async (sessionId: string, afterSeq: number): Promise<TurnRow[]> => {
    await new Promise((r) => setImmediate(r));
    return readAfter(sessionId, afterSeq);
  };
  /** The stored turns of a session, as a store lists them. */
  const turns = (sessionId: string): Turn[] => (sessions.get(sessionId) ?? []).map((r) => ({ seq: r.seq, role: r.role, content: r.content, runId: r.runId }) as Turn);
  return { add, readAfter, readAfterAsync, reads, sessions, turns };
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

describe('the history cache as the PostgreSQL store uses it (asynchronous reads, run ids kept)', () => {
  /** What a turn of `text` characters counts, run ids included, when its run has `turnsPerRun` turns of id `runId`. */
  const turnBytes = (text: number, runId: string, turnsPerRun: number) => TURN_OVERHEAD_BYTES + text + runBytes(runId) / turnsPerRun;

  it('counts the run ids in its bytes: once per run, however many turns it wrote', async () => {
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER, keepRunIds: true });
    t.add('s', 'x'.repeat(10), 'run-1');
    t.add('s', 'x'.repeat(10), 'run-1');
    await cache.readAsync('s', 'r', t.readAfterAsync);
    expect(cache.bytes).toBe(2 * turnBytes(10, 'run-1', 2));
    // a commit of another run: its id counted once more
    cache.appended('s', 'run-2', [t.add('s', 'y'.repeat(5), 'run-2')]);
    expect(cache.bytes).toBe(2 * turnBytes(10, 'run-1', 2) + turnBytes(5, 'run-2', 1));
  });

  it('keeps no session bigger than its bound, and the sessions it keeps stay', async () => {
    const t = table();
    const turn = turnBytes(60, 'r', 1);
    const cache = new HistoryCache({ maxBytes: 2 * turn, maxSessions: Number.MAX_SAFE_INTEGER, keepRunIds: true });
    t.add('a', 'a'.repeat(60));
    t.add('b', 'b'.repeat(60));
    for (let i = 0; i < 3; i++) t.add('big', 'c'.repeat(60), `big-${i}`);
    await cache.readAsync('a', 'run', t.readAfterAsync);
    await cache.readAsync('b', 'run', t.readAfterAsync);
    const big = await cache.readAsync('big', 'run', t.readAfterAsync);
    expect(big.messages.map((m) => m.content)).toEqual(t.turns('big').map((x) => x.content));
    expect(turnRecords(big)).toEqual(t.turns('big'));
    expect(cache.sessions).toBe(2);
    expect(cache.bytes).toBe(2 * turn);
    t.reads.length = 0;
    await cache.readAsync('a', 'run', t.readAfterAsync);
    await cache.readAsync('b', 'run', t.readAfterAsync);
    await cache.readAsync('big', 'run', t.readAfterAsync);
    expect(t.reads).toEqual([
      ['a', 1],
      ['b', 1],
      ['big', 0],
    ]);
    // grown past the bound by a commit: dropped, the other one stays
    cache.appended('a', 'run', [t.add('a', 'a'.repeat(200), 'run')]);
    expect(cache.sessions).toBe(1);
    t.reads.length = 0;
    await cache.readAsync('b', 'run', t.readAfterAsync);
    expect(t.reads).toEqual([['b', 1]]);
  });

  it('drops the least recently used session first', async () => {
    const t = table();
    const turn = turnBytes(60, 'r', 1);
    const cache = new HistoryCache({ maxBytes: 2 * turn, maxSessions: Number.MAX_SAFE_INTEGER, keepRunIds: true });
    for (const id of ['a', 'b', 'c']) t.add(id, id.repeat(60));
    await cache.readAsync('a', 'run', t.readAfterAsync);
    await cache.readAsync('b', 'run', t.readAfterAsync);
    await cache.readAsync('a', 'run', t.readAfterAsync); // a is now the younger
    await cache.readAsync('c', 'run', t.readAfterAsync); // b goes
    t.reads.length = 0;
    await cache.readAsync('a', 'run', t.readAfterAsync);
    await cache.readAsync('b', 'run', t.readAfterAsync);
    expect(t.reads).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
  });

  it('reads again when a commit landed while it read, and answers the whole session', async () => {
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER, keepRunIds: true });
    t.add('s', 'one', 'r1');
    await cache.readAsync('s', 'r1', t.readAfterAsync);
    t.reads.length = 0;
    const reading = cache.readAsync('s', 'r3', t.readAfterAsync);
    // a commit of this process lands between the read's query and its answer
    cache.appended('s', 'r2', [t.add('s', 'two', 'r2')]);
    const got = await reading;
    expect(turnRecords(got)).toEqual(t.turns('s'));
    expect(t.reads).toEqual([
      ['s', 1],
      ['s', 2],
    ]);
  });

  it('a commit whose answer comes after the next run read its turns is not added twice', async () => {
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER, keepRunIds: true });
    t.add('s', 'one', 'r1');
    await cache.readAsync('s', 'r2', t.readAfterAsync);
    // r2's commit is in the database (its lease released) before its own code hears back...
    const committed = [t.add('s', 'two', 'r2')];
    // ...and r3, in this process, takes the session and reads it first
    await cache.readAsync('s', 'r3', t.readAfterAsync);
    cache.appended('s', 'r2', committed);
    const next = await cache.readAsync('s', 'r4', t.readAfterAsync);
    expect(next.messages.map((m) => m.content)).toEqual(['one', 'two']);
    expect(turnRecords(next)).toEqual(t.turns('s'));
  });

  it('property: within its bound, and every read answers the stored turns, run ids included', async () => {
    const op = fc.record({ session: fc.constantFrom('a', 'b', 'c'), turns: fc.integer({ min: 0, max: 3 }), size: fc.integer({ min: 0, max: 200 }), sameRun: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.integer({ min: 0, max: 2_000 }), async (ops, maxBytes) => {
        const t = table();
        const cache = new HistoryCache({ maxBytes, maxSessions: Number.MAX_SAFE_INTEGER, keepRunIds: true });
        for (const [i, o] of ops.entries()) {
          const runId = `run-${i}`;
          const got = await cache.readAsync(o.session, runId, t.readAfterAsync);
          expect(got.messages.map((m) => m.content)).toEqual(t.turns(o.session).map((x) => x.content));
          expect(turnRecords(got)).toEqual(t.turns(o.session));
          const committer = o.sameRun ? runId : `other-${i}`;
          const added = Array.from({ length: o.turns }, () => t.add(o.session, 'x'.repeat(o.size), committer));
          cache.appended(o.session, committer, added);
          expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
        }
      }),
    );
  });
});

describe('the history cache under a real collection', () => {
  it('holds the messages runs were given only weakly: a full collection drops them once no run does, and the text stays', async () => {
    // a collection of this process's own (vitest does not start node with --expose-gc)
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER });
    t.add('s', 'one');
    t.add('s', 'two');
    const given = new WeakRef(cache.read('s', 'r1', t.readAfter).messages);
    // a weak reference read in a job keeps its target until the job ends
    await new Promise((r) => setImmediate(r));
    gc();
    expect(given.deref()).toBeUndefined();
    t.reads.length = 0;
    expect(cache.read('s', 'r2', t.readAfter).messages.map((m) => m.content)).toEqual(['one', 'two']);
    expect(t.reads).toEqual([['s', 2]]);
  });
});

describe('the history cache after a collection dropped its messages', () => {
  const dropped = droppableMessages();
  const pairs = (messages: readonly Message[]) => messages.map((m) => [m.role, m.content]);

  it('builds them again on the next read, equal and frozen, and only then: its bytes are the same', () => {
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER });
    t.add('s', 'one');
    t.add('s', 'two');
    const first = cache.read('s', 'r1', t.readAfter).messages;
    const bytes = cache.bytes;
    expect(bytes).toBe(cachedBytes({ role: 'user', content: 'one' }) + cachedBytes({ role: 'user', content: 'two' }));
    expect(cache.read('s', 'r2', t.readAfter).messages).toBe(first);
    expect(dropped.built()).toBe(1);
    dropped.collect();
    const again = cache.read('s', 'r3', t.readAfter).messages;
    expect(again).not.toBe(first);
    expect(pairs(again)).toEqual(pairs(first));
    expect(Object.isFrozen(again[0])).toBe(true);
    expect(cache.bytes).toBe(bytes);
    expect(cache.read('s', 'r4', t.readAfter).messages).toBe(again);
    expect(dropped.built()).toBe(2);
  });

  it('keeps a row of a role it has no code for (a foreign or damaged write) as its message, role and all', () => {
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER });
    for (const role of ['developer', 'constructor', 'user']) t.add('s', `said as ${role}`, 'r', role as Role);
    const first = pairs(cache.read('s', 'r1', t.readAfter).messages);
    dropped.collect();
    expect(pairs(cache.read('s', 'r2', t.readAfter).messages)).toEqual(first);
    expect(first).toEqual([
      ['developer', 'said as developer'],
      ['constructor', 'said as constructor'],
      ['user', 'said as user'],
    ]);
  });

  it('a commit while they are gone builds nothing; the next read builds them with its turns', () => {
    const t = table();
    const cache = new HistoryCache({ maxBytes: 10_000, maxSessions: Number.MAX_SAFE_INTEGER });
    t.add('s', 'one');
    cache.read('s', 'r1', t.readAfter);
    dropped.collect();
    cache.appended('s', 'r1', [t.add('s', 'two')]);
    expect(dropped.built()).toBe(1);
    t.reads.length = 0;
    expect(cache.read('s', 'r2', t.readAfter).messages.map((m) => m.content)).toEqual(['one', 'two']);
    expect(t.reads).toEqual([['s', 2]]);
  });

  it('property: every read answers the stored turns, run ids included, and an array given to a run that did not commit never changes', async () => {
    const op = fc.record({ session: fc.constantFrom('a', 'b'), turns: fc.integer({ min: 0, max: 3 }), role: fc.constantFrom('system', 'user', 'assistant', 'tool'), sameRun: fc.boolean(), collect: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.integer({ min: 0, max: 2_000 }), async (ops, maxBytes) => {
        const t = table();
        const cache = new HistoryCache({ maxBytes, maxSessions: Number.MAX_SAFE_INTEGER, keepRunIds: true });
        const given: { messages: readonly Message[]; seen: unknown[] }[] = [];
        for (const [i, o] of ops.entries()) {
          const runId = `run-${i}`;
          const got = await cache.readAsync(o.session, runId, t.readAfterAsync);
          expect(turnRecords(got)).toEqual(t.turns(o.session));
          expect(pairs(got.messages)).toEqual(t.turns(o.session).map((x) => [x.role, x.content]));
          if (!o.sameRun) given.push({ messages: got.messages, seen: pairs(got.messages) });
          if (o.collect) dropped.collect();
          const committer = o.sameRun ? runId : `other-${i}`;
          const added = Array.from({ length: o.turns }, (_, k) => t.add(o.session, `${committer}.${k}`, committer, o.role));
          cache.appended(o.session, committer, added);
          expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
          for (const g of given) expect(pairs(g.messages)).toEqual(g.seen);
        }
      }),
    );
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
