import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { AttemptLog } from '../../machines/attempt-log.js';
import { DecisionLog } from '../../machines/decision-log.js';
import { CooldownLog, OwnBlockLog } from '../../src/policy/cooldown-log.js';
import type { AttemptRecord, CooldownEntry, Decision } from '../../src/types.js';
import type { OwnBlock } from '../../src/policy/run-view.js';

// A log's append shares its lists with the log it was made from, grown in place, while that log
// is their newest reader (src/policy/append-in-place.ts). Every log, old or new, must still read
// exactly what was appended to it, however the versions branch: a test or an inspector's
// replay may append to an older log after a newer one was made from it.

/** A history of versions: each op appends to version `from` (an older one forks). */
// Mostly the newest version (lists grow in place only past a few entries), now and then any other.
const history = fc.array(
  fc.record({ from: fc.oneof({ arbitrary: fc.constant(-1), weight: 6 }, { arbitrary: fc.nat(), weight: 1 }), key: fc.integer({ min: 0, max: 30 }), at: fc.integer({ min: 1, max: 1_000 }) }),
  { minLength: 30, maxLength: 80 },
);

/** The version a step appends to: the newest (-1) or any. */
const fromOf = (s: Step, versions: number): number => (s.from < 0 ? versions - 1 : s.from % versions);

type Step = { from: number; key: number; at: number };

/** Builds every version of a log and checks each against the plain list it stands for, after all were made. */
function check<L, T>(steps: Step[], empty: L, append: (log: L, s: Step) => L, item: (s: Step) => T, read: (log: L) => unknown[], length: (log: L) => number): void {
  const logs: L[] = [empty];
  const want: T[][] = [[]];
  for (const s of steps) {
    const from = fromOf(s, logs.length);
    logs.push(append(logs[from]!, s));
    want.push([...want[from]!, item(s)]);
  }
  logs.forEach((log, i) => {
    expect(length(log)).toBe(want[i]!.length);
    expect(read(log)).toEqual(want[i]);
  });
}

const attempt = (s: Step, n: number): AttemptRecord => ({ n, provider: `p${s.key}`, model: 'm', profileId: 'k', outcome: 'failed', startedAt: s.at, durationMs: s.key });
const decision = (s: Step): Decision => ({ kind: 'retry', at: s.at, provider: `p${s.key}`, reason: 'overloaded', detail: `d${s.key}` });
const block = (s: Step): OwnBlock => ({ provider: `p${s.key}`, until: s.at, reason: 'overloaded' });

describe('logs appended in place', () => {
  test.prop([history])('property: attempts: every version reads what was appended to it, forks included', (steps) => {
    const logs = [AttemptLog.EMPTY];
    const want: AttemptRecord[][] = [[]];
    for (const s of steps) {
      const from = fromOf(s, logs.length);
      const record = attempt(s, want[from]!.length + 1);
      logs.push(logs[from]!.append(record));
      want.push([...want[from]!, record]);
    }
    logs.forEach((log, i) => {
      expect(log.length).toBe(want[i]!.length);
      expect(log.toArray()).toEqual(want[i]);
    });
  });

  test.prop([history])('property: attempts read one by one (the policy reads facts, not records), forks included', (steps) => {
    const logs = [AttemptLog.EMPTY];
    const want: string[][] = [[]];
    for (const s of steps) {
      const from = fromOf(s, logs.length);
      const log = logs[from]!;
      logs.push(log.appendCall({ provider: `p${s.key}`, model: 'm', profileId: 'k', startedAt: s.at, durationMs: s.key, probe: false, streamed: false }));
      want.push([...want[from]!, `p${s.key}@${s.at}`]);
    }
    logs.forEach((log, i) => {
      expect(log.length).toBe(want[i]!.length);
      expect(Array.from({ length: log.length }, (_, k) => `${log.factsAt(k).provider}@${log.at(k)!.startedAt}`)).toEqual(want[i]);
    });
  });

  test.prop([history])('property: decisions: every version reads what was appended to it, forks included', (steps) => {
    check(steps, DecisionLog.EMPTY, (log, s) => log.appendAt(s.at, [], decision(s)), decision, (log) => log.toArray(), (log) => log.length);
  });

  test.prop([history])('property: own blocks: every version reads what was appended to it, forks included', (steps) => {
    check(steps, OwnBlockLog.EMPTY, (log, s) => log.append(block(s)), block, (log) => log.toArray(), (log) => log.length);
  });

  test.prop([history])('property: cooldowns: every version reads what its upserts made, forks included', (steps) => {
    const logs = [CooldownLog.EMPTY];
    const want: CooldownEntry[][] = [[]];
    for (const s of steps) {
      const from = fromOf(s, logs.length);
      const entry: CooldownEntry = { provider: `p${s.key}`, until: s.at, reason: 'overloaded', failures: s.key + 1 };
      logs.push(logs[from]!.upsert(entry));
      // as the store upserts: the later end is kept, the entry goes last
      const before = want[from]!;
      const old = before.find((e) => e.provider === entry.provider);
      want.push([...before.filter((e) => e !== old), { ...entry, until: Math.max(entry.until, old?.until ?? -Infinity) }]);
    }
    logs.forEach((log, i) => {
      expect(log.length).toBe(want[i]!.length);
      expect(log.entries()).toEqual(want[i]);
    });
  });
});
