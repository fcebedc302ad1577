import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../src/run-id.js';
import { RUN_BYTES, RunBoundaries, runBytes } from '../../src/store/run-boundaries.js';

describe('the run ids the PostgreSQL history cache keeps', () => {
  it('gives back each turn its run id, ids made by newRunId packed into 16 bytes, any other kept as it is', () => {
    const runs = new RunBoundaries();
    const a = newRunId();
    const b = 'my-own-run-id';
    const c = newRunId();
    let bytes = 0;
    for (const [i, id] of [a, a, b, c, c, c].entries()) bytes += runs.add(i, id);
    expect(runs.count).toBe(3);
    expect(runs.idsUpTo(6)).toEqual([a, a, b, c, c, c]);
    expect(bytes).toBe(2 * RUN_BYTES + runBytes(b));
    expect(runBytes(b)).toBeGreaterThan(RUN_BYTES + b.length);
  });

  it('answers a reader that saw the first turns the same after more runs are added (and the arrays grow)', () => {
    const runs = new RunBoundaries();
    const ids = Array.from({ length: 40 }, () => newRunId());
    runs.add(0, ids[0]!);
    runs.add(1, ids[0]!);
    const seen = runs.idsUpTo(2);
    for (let i = 1; i < ids.length; i++) runs.add(i + 1, ids[i]!);
    expect(runs.idsUpTo(2)).toEqual(seen);
    expect(runs.idsUpTo(3)).toEqual([ids[0], ids[0], ids[1]]);
    expect(runs.idsUpTo(41)).toEqual([ids[0], ...ids]);
  });

  it('keeps an id that only looks like a UUID (capitals) as it is', () => {
    const runs = new RunBoundaries();
    const upper = newRunId().toUpperCase();
    runs.add(0, upper);
    expect(runs.idsUpTo(1)).toEqual([upper]);
  });

  it('property: idsUpTo answers every prefix exactly, whatever the runs and their lengths', () => {
    const id = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(id, fc.integer({ min: 1, max: 4 })), { maxLength: 30 }), (plan) => {
        const runs = new RunBoundaries();
        const expected: string[] = [];
        for (const [runId, turns] of plan) {
          // a run whose id is the one before continues that run, as the cache's rows would
          for (let k = 0; k < turns; k++) {
            runs.add(expected.length, runId);
            expected.push(runId);
          }
        }
        for (let n = 0; n <= expected.length; n++) expect(runs.idsUpTo(n)).toEqual(expected.slice(0, n));
      }),
    );
  });
});
