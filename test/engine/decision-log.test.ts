import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecisionLog, EntryPart, SkipPart } from '../../machines/decision-log.js';
import { decisionsJson } from '../../src/store/decisions-json.js';
import type { Decision } from '../../src/types.js';

// A run holds its decisions compactly (machines/decision-log.ts): read, they must be exactly the
// plain decisions the steps used to append, keys in the same order (the stored JSON is theirs).

type Op =
  | { op: 'plain'; d: Decision }
  | { op: 'at'; at: number; parts: (SkipPart | EntryPart)[]; last?: Decision | SkipPart | EntryPart };

const at = fc.integer({ min: 0, max: 2 ** 45 });
const name = fc.constantFrom('p', 'q');
const skip = fc.tuple(name, name, fc.constantFrom('cooldown', 'failed_in_run'), fc.string(), fc.option(at, { nil: undefined })).map(([p, m, r, d, u]) => new SkipPart(p, m, r, d, u));
const entry = fc.tuple(fc.constantFrom('select' as const, 'escalate' as const), name, name, name, fc.constantFrom('first_usable', 'quota_exhausted'), fc.string()).map(
  ([k, p, m, pr, r, d]) => new EntryPart(k, p, m, pr, r, d),
);
const plain: fc.Arbitrary<Decision> = fc.record({ kind: fc.constantFrom('fail' as const, 'retry' as const), at, reason: fc.string(), detail: fc.string() });
const op: fc.Arbitrary<Op> = fc.oneof(
  plain.map((d) => ({ op: 'plain' as const, d })),
  fc.record({ op: fc.constant('at' as const), at, parts: fc.array(fc.oneof(skip, entry), { maxLength: 5 }), last: fc.option(fc.oneof(plain, skip, entry), { nil: undefined }) }),
);

/** The decision a part stands for at `at`, as the steps wrote it before the log. */
function expected(h: Decision | SkipPart | EntryPart, t: number): Decision {
  if (h instanceof SkipPart) {
    return h.until !== undefined
      ? { kind: 'skip', at: t, provider: h.provider, model: h.model, reason: h.reason, detail: h.detail, until: h.until }
      : { kind: 'skip', at: t, provider: h.provider, model: h.model, reason: h.reason, detail: h.detail };
  }
  if (h instanceof EntryPart) return { kind: h.kind, at: t, provider: h.provider, model: h.model, profileId: h.profileId, reason: h.reason, detail: h.detail };
  return h;
}

describe('the decision log', () => {
  test.prop([fc.array(op, { maxLength: 12 }), fc.nat({ max: 12 })])(
    'property: read at any point, a log is the plain decisions appended, in order, keys in order, and reading it does not change what follows',
    (ops, readAt) => {
      let log = DecisionLog.EMPTY;
      const want: Decision[] = [];
      ops.forEach((o, i) => {
        if (i === readAt) expect(log.toArray()).toEqual(want);
        if (o.op === 'plain') {
          log = log.append(o.d);
          want.push(o.d);
        } else {
          log = log.appendAt(o.at, o.parts, o.last);
          for (const p of o.parts) want.push(expected(p, o.at));
          if (o.last !== undefined) want.push(expected(o.last, o.at));
        }
      });
      const got = log.toArray();
      expect(got).toEqual(want);
      expect(log.length).toBe(want.length);
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      expect(JSON.stringify(log)).toBe(JSON.stringify(want));
      // the text the stores write (decisionsJson reuses the text of parts it wrote before): twice, so the second comes from what the first kept
      expect(decisionsJson(got)).toBe(JSON.stringify(want));
      expect(decisionsJson(log.toArray())).toBe(JSON.stringify(want));
    },
  );

  it('a log is never changed by appending to it', () => {
    const first = DecisionLog.EMPTY.append({ kind: 'fail', at: 1, reason: 'x', detail: 'y' });
    const second = first.appendAt(2, [new SkipPart('p', 'm', 'cooldown', 'skipped', undefined)]);
    expect(first.toArray()).toHaveLength(1);
    expect(second.toArray()).toHaveLength(2);
    expect(DecisionLog.EMPTY.toArray()).toEqual([]);
  });

  it('the parts shared between runs are frozen', () => {
    expect(Object.isFrozen(new SkipPart('p', 'm', 'cooldown', 'd', 5))).toBe(true);
    expect(Object.isFrozen(new EntryPart('select', 'p', 'm', 'p:a', 'first_usable', 'd'))).toBe(true);
  });
});

describe('the empty log', () => {
  it('keeps nothing a host did to what it read: every run starts from it', () => {
    DecisionLog.EMPTY.toArray().push({ kind: 'fail', at: 1, reason: 'x', detail: 'y' });
    expect(DecisionLog.EMPTY.toArray()).toEqual([]);
    expect(DecisionLog.EMPTY.appendAt(2, [new SkipPart('p', 'm', 'cooldown', 'd', undefined)]).toArray()).toHaveLength(1);
  });
});
