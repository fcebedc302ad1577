import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { blockerText, skipDetail, skipped } from '../../machines/skip-report.js';
import type { RunContext } from '../../machines/run-types.js';
import { DecisionLog } from '../../machines/decision-log.js';
import type { Blocker } from '../../src/policy/availability.js';
import type { CooldownEntry } from '../../src/types.js';
import { runView } from '../helpers/run-view.js';

// A skip's detail is shared between skips of the same candidate for the same block
// (machines/skip-report.ts): it must always be the text made for this very blocker, as it was
// when every skip built its own.
const plain = (provider: string, model: string, b: Blocker) => `skipped ${provider}/${model} without a call: ${blockerText(b)}`;

// small worlds, so that a run of skips often meets the same candidate with a block that differs in one part
const name = fc.constantFrom('p', 'q');
const cooldown = fc.record(
  {
    provider: name,
    profileId: fc.constantFrom('p:a', 'p:b'),
    model: fc.constantFrom('m1', 'm2'),
    until: fc.constantFrom(1_000, 2_000, Infinity),
    reason: fc.constantFrom('rate_limit' as const, 'quota_exhausted' as const),
    failures: fc.constant(1),
  },
  { requiredKeys: ['provider', 'until', 'reason', 'failures'] },
);
const blocker: fc.Arbitrary<Blocker> = fc.oneof(
  cooldown.map((entry) => ({ kind: 'cooldown' as const, entry: entry as CooldownEntry, setByThisRun: false })),
  fc
    .record({ provider: name, until: fc.constantFrom(1_000, Infinity), reason: fc.constantFrom('timeout' as const, 'server_error' as const) })
    .map((block) => ({ kind: 'failed_in_run' as const, block })),
  fc.constant({ kind: 'attempt_budget' as const }),
);

describe('the detail of a skip', () => {
  test.prop([fc.array(fc.tuple(name, fc.constant('m1'), blocker), { minLength: 1, maxLength: 40 })])(
    'property: whatever skipped the same candidate before, the detail is the text of this blocker',
    (skips) => {
      for (const [provider, model, b] of skips) expect(skipDetail(provider, model, b)).toBe(plain(provider, model, b));
    },
  );

  it('is made again when any part of the block differs from the last skip of the candidate', () => {
    const cooling = (e: Partial<CooldownEntry>): Blocker => ({
      kind: 'cooldown',
      entry: { provider: 'p', until: 5_000, reason: 'quota_exhausted', failures: 1, ...e },
      setByThisRun: false,
    });
    const failed = (until: number, reason: 'timeout' | 'server_error'): Blocker => ({ kind: 'failed_in_run', block: { provider: 'p', until, reason } });
    // each pair differs in one part, which its text shows
    const pairs: [Blocker, Blocker][] = [
      [cooling({ profileId: 'p:a' }), cooling({ profileId: 'p:a', until: 6_000 })],
      [cooling({ profileId: 'p:a' }), cooling({ profileId: 'p:a', reason: 'rate_limit' })],
      [cooling({ profileId: 'p:a' }), cooling({ profileId: 'p:b' })],
      [cooling({ profileId: 'p:a', model: 'm1' }), cooling({ model: 'm1' })],
      [cooling({ model: 'm1' }), cooling({ model: 'm2' })],
      [cooling({ model: 'm1' }), cooling({ model: 'm1', provider: 'q' })],
      [cooling({ model: 'm1' }), cooling({})],
      [cooling({}), cooling({ provider: 'q' })],
      [cooling({}), failed(5_000, 'timeout')],
      [cooling({}), { kind: 'attempt_budget' }],
      [failed(5_000, 'timeout'), failed(6_000, 'timeout')],
      [failed(5_000, 'timeout'), failed(Infinity, 'timeout')],
      [failed(Infinity, 'timeout'), failed(Infinity, 'server_error')],
      [failed(5_000, 'timeout'), { kind: 'attempt_budget' }],
      [{ kind: 'attempt_budget' }, failed(5_000, 'timeout')],
    ];
    for (const [before, after] of pairs) {
      expect(plain('p', 'pair-m', after)).not.toBe(plain('p', 'pair-m', before));
      expect(skipDetail('p', 'pair-m', before)).toBe(plain('p', 'pair-m', before));
      expect(skipDetail('p', 'pair-m', after)).toBe(plain('p', 'pair-m', after));
    }
  });

  it('is the very same string for the same candidate and block, a new one when the block changes', () => {
    const entry: CooldownEntry = { provider: 'p', until: 5_000, reason: 'quota_exhausted', failures: 1 };
    const first = skipDetail('p', 'shared-m', { kind: 'cooldown', entry, setByThisRun: false });
    // another run's read of the same row: an equal entry, another object
    expect(skipDetail('p', 'shared-m', { kind: 'cooldown', entry: { ...entry }, setByThisRun: false })).toBe(first);
    const later = skipDetail('p', 'shared-m', { kind: 'cooldown', entry: { ...entry, until: 6_000 }, setByThisRun: false });
    expect(later).toBe(plain('p', 'shared-m', { kind: 'cooldown', entry: { ...entry, until: 6_000 }, setByThisRun: false }));
    expect(later).not.toBe(first);
  });

  it('a skipped candidate still gets its decision and its event, with the same content', () => {
    const entry: CooldownEntry = { provider: 'cooling', model: 'm', until: 9_000, reason: 'quota_exhausted', failures: 2 };
    const view = runView({
      chain: [
        { provider: 'cooling', model: 'm', profiles: ['cooling:default'] },
        { provider: 'ok', model: 'n', profiles: ['ok:default'] },
      ],
      now: 1_000,
      cooldowns: [entry],
    });
    const ctx = { ...view, run: { runId: 'run-1' } } as unknown as RunContext;
    const detail = `skipped cooling/m without a call: model m of cooling cooling down (quota_exhausted) until ${new Date(9_000).toISOString()}`;
    for (let round = 0; round < 2; round++) {
      const out = skipped(ctx, [0]);
      const decisions = DecisionLog.EMPTY.appendAt(1_000, out.skips).toArray();
      expect(decisions).toEqual([{ kind: 'skip', at: 1_000, provider: 'cooling', model: 'm', reason: 'cooldown', detail, until: 9_000 }]);
      expect(out.events).toEqual([
        {
          type: 'candidate.skipped',
          runId: 'run-1',
          at: 1_000,
          provider: 'cooling',
          model: 'm',
          reason: 'cooldown',
          detail,
          blockedBy: { provider: 'cooling', model: 'm', reason: 'quota_exhausted', until: 9_000 },
        },
      ]);
      expect(Object.keys(decisions[0]!)).toEqual(['kind', 'at', 'provider', 'model', 'reason', 'detail', 'until']);
    }
  });
});
