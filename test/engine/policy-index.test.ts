import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { nextCandidate } from '../../src/policy/availability.js';
import { callsOn, forgetGrouping, indicesOf, isGrouped } from '../../src/policy/view-index.js';
import { CooldownLog } from '../../src/policy/cooldown-log.js';
import { runView } from '../helpers/run-view.js';
import { AttemptLog } from '../../machines/attempt-log.js';
import type { AttemptRecord, CooldownEntry, CooldownKey } from '../../src/types.js';

/** The entries of `log` indicesOf names for `provider` (every entry when it names none). */
function entriesOf(log: CooldownLog, provider: string): CooldownKey[] {
  const at = indicesOf(log, provider);
  return at ? at.map((i) => log.keyAt(i)) : log.entries();
}

const held = (keys: CooldownKey[]): CooldownLog => CooldownLog.of(keys.map((k): CooldownEntry => ({ ...k, until: 0, reason: 'overloaded', failures: 1 })));

// The policy's per-provider grouping (src/policy/view-index.ts) must answer exactly what a scan
// of the whole array answers, for short lists (scanned) and long ones (grouped) alike.

const provider = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const key = fc.record({ provider, profileId: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }), model: fc.option(fc.constantFrom('m1', 'm2'), { nil: undefined }) });
const attempt = fc.record({ provider, model: fc.constantFrom('m1', 'm2'), profileId: fc.constantFrom('k1', 'k2') }).map(
  (a, i = 0): AttemptRecord => ({ n: i + 1, ...a, outcome: 'failed', startedAt: 0, durationMs: 1 }),
);

describe('the policy index', () => {
  test.prop([fc.array(key, { maxLength: 40 })])(
    'property: the entries of a provider are those a full scan finds, in the same order, asked once or many times',
    (keys: CooldownKey[]) => {
      const entries = held(keys);
      // asked many times of the same array: scanned first, then grouped
      for (let round = 0; round < 3; round++) {
        for (const p of ['a', 'b', 'c', 'd', 'e', 'f', 'nobody']) {
          expect(entriesOf(entries, p).filter((e) => e.provider === p)).toEqual(entries.entries().filter((e) => e.provider === p));
        }
      }
    },
  );

  test.prop([fc.array(key, { maxLength: 40 }), fc.array(fc.boolean(), { minLength: 21, maxLength: 21 })])(
    'property: a grouping forgotten between questions changes no answer',
    (keys: CooldownKey[], forget: boolean[]) => {
      const entries = held(keys);
      let k = 0;
      for (let round = 0; round < 3; round++) {
        for (const p of ['a', 'b', 'c', 'd', 'e', 'f', 'nobody']) {
          if (forget[k++]) forgetGrouping(entries);
          expect(entriesOf(entries, p).filter((e) => e.provider === p)).toEqual(entries.entries().filter((e) => e.provider === p));
        }
      }
    },
  );

  test.prop([fc.integer({ min: 10, max: 60 })])('a chain walk leaves no grouping of the cooldowns behind (the run holds them to its end)', (length) => {
    const chain = Array.from({ length }, (_, i) => ({ provider: `p${i}`, model: 'm', profiles: [`p${i}:default`] }));
    const cooldowns = CooldownLog.of(chain.slice(0, -1).map((c) => ({ provider: c.provider, until: 5_000, reason: 'quota_exhausted' as const, failures: 1 })));
    const walk = nextCandidate(runView({ chain, now: 1_000, cooldowns }), -1);
    expect(walk.pick).toEqual({ candidateIndex: length - 1, profileIndex: 0 });
    expect(walk.skipped).toHaveLength(length - 1);
    expect(isGrouped(cooldowns)).toBe(false);
    // asked again often enough, they are grouped again (more than 8 entries, more than 8 questions)
    for (let i = 0; i < 12; i++) entriesOf(cooldowns, 'p0');
    expect(isGrouped(cooldowns)).toBe(true);
  });

  test.prop([fc.array(attempt, { maxLength: 40 }), fc.nat(45), provider, fc.constantFrom('m1', 'm2'), fc.constantFrom('k1', 'k2'), fc.nat(45)])(
    'property: calls on a (model, profile) from a step start are what a full count finds, whatever start was asked before',
    (attempts: AttemptRecord[], from: number, p: string, model: string, profileId: string, earlier: number) => {
      const log = AttemptLog.of(attempts);
      callsOn(log, earlier, p, model, profileId);
      const want = attempts.slice(from).filter((a) => a.provider === p && a.model === model && a.profileId === profileId).length;
      for (let asked = 0; asked < 12; asked++) expect(callsOn(log, from, p, model, profileId)).toBe(want);
    },
  );
});
