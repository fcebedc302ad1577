import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { AttemptLog, AttemptPart, type CallFacts } from '../../machines/attempt-log.js';
import type { Classification } from '../../src/classify/types.js';
import type { AttemptRecord } from '../../src/types.js';

// A run holds its attempts compactly (machines/attempt-log.ts): read, they must be exactly the
// plain records the steps used to append, keys in the same order (the stored JSON is theirs).

type Op = { op: 'call'; c: CallFacts } | { op: 'plain'; r: AttemptRecord };

const name = fc.constantFrom('p', 'q');
const time = fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.double({ min: 0, max: 2 ** 45, noNaN: true }));
// what a duration may be: a small integer (most), a float, a negative zero, a large value
const duration = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: -1, max: 1e7, noNaN: true }), fc.constant(-0), fc.constant(2 ** 31));
const failure: fc.Arbitrary<Classification> = fc
  .record({
    reason: fc.constantFrom('quota_exhausted' as const, 'timeout' as const, 'server_error' as const),
    scope: fc.constantFrom('provider' as const, 'model' as const, 'request' as const),
    retryable: fc.boolean(),
    status: fc.option(fc.constantFrom(429, 500, 503), { nil: undefined }),
    message: fc.constantFrom('quota spent', 'no answer within 5 ms', ''),
  })
  .map(({ status, ...f }) => (status === undefined ? f : { ...f, status }));
const usage = fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat() });
const call: fc.Arbitrary<CallFacts> = fc
  .record({
    provider: name,
    model: name,
    profileId: name,
    startedAt: time,
    durationMs: duration,
    failure: fc.option(failure, { nil: undefined }),
    probe: fc.boolean(),
    streamed: fc.boolean(),
    usage: fc.option(usage, { nil: undefined }),
  })
  .map(({ failure: f, usage: u, ...c }) => ({ ...c, ...(f ? { failure: f } : {}), ...(u ? { usage: u } : {}) }));
const plain: fc.Arbitrary<AttemptRecord> = fc.record({ n: fc.nat(50), provider: name, model: name, profileId: name, outcome: fc.constantFrom('succeeded' as const, 'failed' as const), startedAt: time, durationMs: duration });
const op: fc.Arbitrary<Op> = fc.oneof({ arbitrary: call.map((c) => ({ op: 'call' as const, c })), weight: 4 }, { arbitrary: plain.map((r) => ({ op: 'plain' as const, r })), weight: 1 });

/** The record of call number `n`, as the run step wrote it before the log (machines/run-steps.ts `record`). */
function expected(n: number, c: CallFacts): AttemptRecord {
  const { provider, model, profileId, startedAt, failure: f } = c;
  const durationMs = Number.isInteger(c.durationMs) && c.durationMs >= -0x40000000 && c.durationMs < 0x40000000 && !Object.is(c.durationMs, -0) ? c.durationMs | 0 : c.durationMs;
  const a: AttemptRecord = !f
    ? { n, provider, model, profileId, outcome: 'succeeded', startedAt, durationMs }
    : f.status !== undefined
      ? { n, provider, model, profileId, outcome: 'failed', reason: f.reason, scope: f.scope, message: f.message, status: f.status, startedAt, durationMs }
      : { n, provider, model, profileId, outcome: 'failed', reason: f.reason, scope: f.scope, message: f.message, startedAt, durationMs };
  if (c.probe) a.probe = true;
  if (c.streamed) a.streamed = true;
  if (c.usage) a.usage = c.usage;
  return a;
}

/** Exactly the same records: values (a negative zero is not a zero), keys and their order. */
function expectSame(got: readonly AttemptRecord[], want: readonly AttemptRecord[]): void {
  expect(got).toEqual(want);
  expect(got.map((a) => Object.keys(a))).toEqual(want.map((a) => Object.keys(a)));
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
}

describe('the attempt log', () => {
  test.prop([fc.array(op, { maxLength: 12 }), fc.nat({ max: 12 })])(
    'property: read at any point, a log is exactly the records appended (calls numbered by their place), in order, keys in order, and reading it does not change what follows',
    (ops, readAt) => {
      let log = AttemptLog.EMPTY;
      const want: AttemptRecord[] = [];
      ops.forEach((o, i) => {
        if (i === readAt) expectSame(log.toArray(), want);
        if (o.op === 'call') {
          log = log.appendCall(o.c);
          want.push(expected(want.length + 1, o.c));
        } else {
          log = log.append(o.r);
          want.push(o.r);
        }
      });
      const got = log.toArray();
      expectSame(got, want);
      expect(JSON.stringify(log)).toBe(JSON.stringify(want));
      expect(log.length).toBe(want.length);
      // what the policy and the steps read without a record made: the same facts
      want.forEach((a, i) => {
        const f = log.factsAt(i);
        expect([f.provider, f.model, f.profileId, f.outcome, f.reason]).toEqual([a.provider, a.model, a.profileId, a.outcome, a.reason]);
        expect(log.nAt(i)).toBe(a.n);
        expect(log.streamedAt(i)).toBe(a.streamed === true);
        expect(log.at(i)).toEqual(a);
        expect(log.at(i - want.length)).toEqual(a);
      });
      expect(log.at(want.length)).toBeUndefined();
      // a usage is the call's own object, as it was
      ops.forEach((o, i) => {
        if (o.op === 'call' && o.c.usage) expect(got[i]!.usage).toBe(o.c.usage);
      });
    },
  );

  it('a log is never changed by appending to it, and a read one keeps its records', () => {
    const c: CallFacts = { provider: 'p', model: 'm', profileId: 'k', startedAt: 5, durationMs: 3, probe: false, streamed: false };
    const first = AttemptLog.EMPTY.appendCall(c);
    const read = first.toArray();
    const second = first.appendCall({ ...c, startedAt: 9 });
    expect(first.toArray()).toBe(read);
    expect(first.length).toBe(1);
    expect(second.toArray()).toHaveLength(2);
    expect(second.toArray()[0]).toBe(read[0]);
    expect(AttemptLog.EMPTY.length).toBe(0);
  });

  it('runs that fail a candidate the same way share one frozen part: a call holds its two times', () => {
    const failed: Classification = { reason: 'quota_exhausted', scope: 'provider', retryable: false, status: 429, message: 'quota spent' };
    const c: CallFacts = { provider: 'shared-p', model: 'm', profileId: 'k', startedAt: 5, durationMs: 3, failure: failed, probe: false, streamed: false };
    const one = AttemptLog.EMPTY.appendCall(c);
    const other = AttemptLog.EMPTY.appendCall({ ...c, startedAt: 7, durationMs: 1, failure: { ...failed, message: 'quota ' + 'spent' } });
    expect(one.factsAt(0)).toBeInstanceOf(AttemptPart);
    expect(other.factsAt(0)).toBe(one.factsAt(0));
    expect(Object.isFrozen(one.factsAt(0))).toBe(true);
    // another way of failing, or a probe, is another part
    expect(AttemptLog.EMPTY.appendCall({ ...c, failure: { ...failed, status: 500 } }).factsAt(0)).not.toBe(one.factsAt(0));
    expect(AttemptLog.EMPTY.appendCall({ ...c, probe: true }).factsAt(0)).not.toBe(one.factsAt(0));
    expect(other.toArray()).toEqual([{ n: 1, provider: 'shared-p', model: 'm', profileId: 'k', outcome: 'failed', reason: 'quota_exhausted', scope: 'provider', message: 'quota spent', status: 429, startedAt: 7, durationMs: 1 }]);
  });
});

describe('the empty log', () => {
  it('keeps nothing a host did to what it read: every run starts from it', () => {
    AttemptLog.EMPTY.toArray().push({ n: 1, provider: 'p', model: 'm', profileId: 'k', outcome: 'succeeded', startedAt: 1, durationMs: 1 });
    expect(AttemptLog.EMPTY.toArray()).toEqual([]);
    expect(AttemptLog.EMPTY.length).toBe(0);
  });
});
