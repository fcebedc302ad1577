import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS } from '../../src/classify/types.js';
import { CooldownLog, OwnBlockLog, type OwnBlock } from '../../src/policy/cooldown-log.js';
import { covers, sameKey } from '../../src/policy/run-view.js';
import type { CooldownEntry } from '../../src/types.js';

// A run holds its cooldowns and own blocks as logs (src/policy/cooldown-log.ts) instead of plain
// lists of entries. The lists' steps are kept here as they were (machines/run-steps.ts before the
// logs) and every step is applied to both: each provider's entries must read the same, in the
// same order, field for field and key for key (events and skips are made from them).

const provider = fc.constantFrom('a', 'b', 'c');
const entry = fc
  .record({
    provider,
    profileId: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }),
    model: fc.option(fc.constantFrom('m1', 'm2'), { nil: undefined }),
    until: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.double({ min: 1e12, max: 2e12, noNaN: true })),
    reason: fc.constantFrom(...FAILURE_REASONS),
    failures: fc.integer({ min: 1, max: 5 }),
    probed: fc.boolean(),
  })
  .map(({ provider, profileId, model, until, reason, failures, probed }): CooldownEntry => ({
    provider,
    ...(profileId !== undefined ? { profileId } : {}),
    ...(model !== undefined ? { model } : {}),
    until,
    reason,
    failures,
    ...(probed ? { probeRunId: 'other', probeUntil: until + 10 } : {}),
  }));
// what a run sets itself: no probe claim
const own = entry.map(({ probeRunId: _r, probeUntil: _u, ...e }) => e);

type Step = { kind: 'upsert'; entry: CooldownEntry } | { kind: 'read'; provider: string; read: CooldownEntry[] } | { kind: 'success'; provider: string; model: string; profileId: string };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: own.map((entry): Step => ({ kind: 'upsert', entry })) },
  { weight: 1, arbitrary: fc.record({ provider, read: fc.array(entry, { maxLength: 3 }) }).map(({ provider, read }): Step => ({ kind: 'read', provider, read })) },
  {
    weight: 1,
    arbitrary: fc.record({ provider, model: fc.constantFrom('m1', 'm2'), profileId: fc.constantFrom('k1', 'k2') }).map((s): Step => ({ kind: 'success', ...s })),
  },
);

// the plain lists' steps, as machines/run-steps.ts made them
function upsertList(list: readonly CooldownEntry[], e: CooldownEntry): CooldownEntry[] {
  const old = list.find((c) => sameKey(c, e));
  return [...list.filter((c) => c !== old), old && old.until > e.until ? { ...e, until: old.until } : e];
}
const readList = (list: readonly CooldownEntry[], p: string, read: readonly CooldownEntry[]): CooldownEntry[] =>
  list.filter((c) => c.provider !== p).concat(read.filter((c) => c.provider === p));

/** Each provider's entries, in order, as JSON (key order included). */
const byProvider = (list: readonly CooldownEntry[]): Record<string, string> =>
  Object.fromEntries(['a', 'b', 'c'].map((p) => [p, JSON.stringify(list.filter((e) => e.provider === p))]));

describe('a run held as logs', () => {
  test.prop([fc.array(entry, { maxLength: 6 }), fc.array(step, { maxLength: 25 })])(
    'property: the cooldown log reads as the plain list it replaces, provider by provider, after any steps',
    (opened, steps) => {
      let list: readonly CooldownEntry[] = opened;
      let log = CooldownLog.of(opened);
      for (const s of steps) {
        if (s.kind === 'upsert') {
          list = upsertList(list, s.entry);
          log = log.upsert(s.entry);
        } else if (s.kind === 'read') {
          list = readList(list, s.provider, s.read);
          log = log.withProviderRead(s.provider, s.read);
        } else {
          const at = s;
          const proven = list.filter((c) => covers(c, at.provider, at.model, at.profileId));
          list = list.filter((c) => !proven.includes(c));
          const held = log;
          log = held.without((i) => covers(held.keyAt(i), at.provider, at.model, at.profileId));
        }
        const entries = log.entries();
        expect(log.length).toBe(list.length);
        expect(byProvider(entries)).toEqual(byProvider(list));
        for (let i = 0; i < log.length; i++) {
          const e = entries[i]!;
          expect([log.untilAt(i), log.failuresAt(i), log.keyAt(i).reason, log.keyAt(i).provider]).toEqual([e.until, e.failures, e.reason, e.provider]);
          expect(sameKey(log.keyAt(i), e)).toBe(true);
        }
      }
    },
  );

  test.prop([fc.array(own, { maxLength: 20 })])('property: own blocks read back as the blocks appended, in order, key for key', (entries) => {
    const blocks: OwnBlock[] = entries.map(({ failures: _f, ...b }) => b);
    // a block that is also a shared cooldown comes with its count: it reads the same
    let log = OwnBlockLog.EMPTY;
    entries.forEach((e, i) => (log = log.append(i % 2 === 0 ? e : blocks[i]!)));
    expect(log.length).toBe(blocks.length);
    for (let i = 0; i < blocks.length; i++) {
      expect(JSON.stringify(log.blockAt(i))).toBe(JSON.stringify(blocks[i]));
      expect(log.untilAt(i)).toBe(blocks[i]!.until);
    }
  });

  test('runs that set the same cooldown share its part: a run holds only its end', () => {
    const a = CooldownLog.EMPTY.upsert({ provider: 'p', model: 'm', until: 1.7e12, reason: 'overloaded', failures: 1 });
    const b = CooldownLog.EMPTY.upsert({ provider: 'p', model: 'm', until: 1.8e12, reason: 'overloaded', failures: 1 });
    expect(a.keyAt(0)).toBe(b.keyAt(0));
    expect(Object.isFrozen(a.keyAt(0))).toBe(true);
    expect([a.untilAt(0), b.untilAt(0)]).toEqual([1.7e12, 1.8e12]);
  });
});

describe('what a host reading a snapshot sees', () => {
  it('a cooldown log and an own-block log read, and serialise, as their plain lists', () => {
    const entry: CooldownEntry = { provider: 'p', model: 'm', profileId: 'k', until: 5_000, reason: 'rate_limit', failures: 2 };
    const log = CooldownLog.of([{ ...entry, provider: 'q' }]).upsert(entry);
    expect(log.toArray()).toEqual(log.entries());
    expect(JSON.parse(JSON.stringify(log))).toEqual([{ ...entry, provider: 'q' }, log.entryAt(1)]);
    const blocks = OwnBlockLog.EMPTY.append({ provider: 'p', model: 'm', profileId: 'k', until: 9, reason: 'timeout' } as OwnBlock);
    expect(JSON.parse(JSON.stringify(blocks))).toEqual([blocks.blockAt(0)]);
    expect(blocks.toArray()).toEqual([blocks.blockAt(0)]);
  });
});
