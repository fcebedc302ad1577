// The benchmark's own logic: statistics, target verdicts, options, case selection, the parking
// gate. Values only: no test here times anything (timings live in `npm run bench`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectCases, ALL_CASES } from '../../bench/cases/index.js';
import { Gate } from '../../bench/harness/gate.js';
import { childArgs } from '../../bench/harness/in-processes.js';
import { mergeCaseOutcomes } from '../../bench/harness/merge-processes.js';
import { parseBenchArgs } from '../../bench/harness/options.js';
import type { CaseOutcome } from '../../bench/harness/run-case.js';
import { median, pairedRatio, runsPerSecond, unitsFor } from '../../bench/harness/stats.js';
import type { CaseResult } from '../../bench/harness/types.js';
import { verdicts } from '../../bench/targets.js';

describe('statistics', () => {
  it('median of odd and even counts, in any order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(RangeError);
  });

  it('property: the median lies between the smallest and largest value and ignores their order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (values) => {
        const m = median(values);
        expect(m).toBeGreaterThanOrEqual(Math.min(...values));
        expect(m).toBeLessThanOrEqual(Math.max(...values));
        expect(median([...values].reverse())).toBe(m);
      }),
    );
  });

  it('pairs ratios round by round: a slow round of both contenders does not move the ratio', () => {
    // round 2 was slowed down fivefold for both: the paired ratio stays 2
    expect(pairedRatio([200, 1000, 220], [100, 500, 110])).toEqual({ ratio: 2, low: 2, high: 2 });
    expect(pairedRatio([300, 100], [100, 100])).toEqual({ ratio: 2, low: 1, high: 3 });
    expect(() => pairedRatio([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedRatio([], [])).toThrow(RangeError);
  });

  it('runs per second and units per block', () => {
    expect(runsPerSecond(250)).toBe(4000);
    expect(unitsFor(100, 250, 1, 1000)).toBe(400);
    expect(unitsFor(100, 1e9, 1, 1000)).toBe(1);
    expect(unitsFor(100, 0.001, 1, 1000)).toBe(1000);
    expect(unitsFor(100, Infinity, 1, 1000)).toBe(1000);
  });
});

function result(name: string, over: Partial<CaseResult> = {}): CaseResult {
  const contender = { label: 'x', usPerRun: 250, rounds: [250] };
  return { name, title: name, subject: contender, floor: { ...contender, usPerRun: 150 }, others: [], ratio: { ratio: 1.5, low: 1.4, high: 1.6 }, figures: [], notes: [], ...over };
}

describe('targets', () => {
  it('checks every case against 2x its floor, but the async boundary against its share of a run', () => {
    const checks = verdicts([
      result('success/memory', { ratio: { ratio: 2.43, low: 2, high: 3 } }),
      result('async-boundary', { ratio: { ratio: 3, low: 3, high: 3 }, figures: [{ id: 'port-share-of-run', label: '', value: 6, unit: '%' }] }),
    ]);
    const of = (name: string, id: string) => checks.find((v) => v.caseName === name && v.target.id === id);
    expect(of('success/memory', 'ratio')).toMatchObject({ value: 2.43, met: false });
    expect(of('success/memory', 'runs-per-second')).toMatchObject({ value: 4000, met: true });
    expect(of('async-boundary', 'ratio')).toBeUndefined();
    expect(of('async-boundary', 'async-boundary')).toMatchObject({ value: 6, met: true });
  });

  it('reads derived figures: dead-chain linearity, cached history, memory per run', () => {
    const checks = verdicts([
      result('dead-chain/128', { figures: [{ id: 'vs-dead-chain-2', label: '', value: 120, unit: 'x' }] }),
      result('history/10k', { figures: [{ id: 'vs-fresh-session', label: '', value: 1.2, unit: 'x' }, { id: 'cache-bytes-beyond-text', label: '', value: 210, unit: 'B' }] }),
      result('one-failure/wal', { subject: { label: 'x', usPerRun: 400, rounds: [400], kbPerInFlightRun: 21.5 } }),
    ]);
    const missed = checks.filter((v) => !v.met).map((v) => `${v.caseName} ${v.target.id}`);
    expect(missed).toEqual(['dead-chain/128 dead-chain-linear', 'history/10k history-cache-bytes', 'one-failure/wal in-flight-kb']);
    // a figure the case did not produce is not checked, rather than counted as met or missed
    expect(checks.some((v) => v.caseName === 'dead-chain/128' && v.target.id === 'in-flight-kb')).toBe(false);
  });
});

describe('the grown-tables target', () => {
  it('holds a run on a grown file to 1.3x the same run on an empty one, and weighs it as an ordinary run', () => {
    const grown = (value: number) =>
      result('grown-tables/wal', { figures: [{ id: 'vs-empty-database', label: '', value, unit: 'x' }], subject: { label: 'x', usPerRun: 400, rounds: [400], kbPerInFlightRun: 13 } });
    const of = (value: number, id: string) => verdicts([grown(value)]).find((v) => v.target.id === id);
    expect(of(1.31, 'grown-tables-flat')).toMatchObject({ value: 1.31, met: false });
    expect(of(1.1, 'grown-tables-flat')).toMatchObject({ value: 1.1, met: true });
    expect(of(1.1, 'in-flight-kb')).toMatchObject({ value: 13, met: true });
    expect(verdicts([result('one-failure/wal', { figures: [{ id: 'vs-empty-database', label: '', value: 9, unit: 'x' }] })]).some((v) => v.target.id === 'grown-tables-flat')).toBe(false);
  });
});

describe('options and case selection', () => {
  it('quick runs fewer, shorter rounds; --rounds must be a positive integer', () => {
    const quick = parseBenchArgs(['--quick', '--case', 'success', '--case', 'dead-chain/128']);
    expect(quick).toMatchObject({ quick: true, rounds: 5, cases: ['success', 'dead-chain/128'], check: false, cpuTime: false });
    expect(parseBenchArgs(['--check', '--rounds', '7'])).toMatchObject({ quick: false, check: true, rounds: 7 });
    expect(() => parseBenchArgs(['--rounds', '0'])).toThrow(/positive integer/);
    expect(() => parseBenchArgs(['--nope'])).toThrow();
  });

  it('--processes n measures in n processes; a child gets the same measuring options, as JSON', () => {
    expect(parseBenchArgs([])).toMatchObject({ processes: 1 });
    const o = parseBenchArgs(['--processes', '3', '--cpu-time', '--case', 'dead-chain/8', '--rounds', '9', '--check']);
    expect(o).toMatchObject({ processes: 3 });
    expect(() => parseBenchArgs(['--processes', '0'])).toThrow(/--processes must be a positive integer/);
    expect(() => parseBenchArgs(['--processes', '1.5'])).toThrow(/positive integer/);
    if ('help' in o) throw new Error('not help');
    const args = childArgs(o);
    expect(args).toEqual(['--case', 'dead-chain/8', '--cpu-time', '--rounds', '9', '--json']);
    // a child never spawns children of its own, and never exits 1 for a target: the parent checks
    const child = parseBenchArgs(args);
    expect(child).toMatchObject({ processes: 1, check: false, json: true, cpuTime: true, rounds: 9, cases: ['dead-chain/8'] });
  });

  it('a filter selects the cases whose name starts with it', () => {
    expect(selectCases(['dead-chain']).map((c) => c.name)).toEqual(['dead-chain/2', 'dead-chain/8', 'dead-chain/32', 'dead-chain/128']);
    expect(selectCases(['success/wal']).map((c) => c.name)).toEqual(['success/wal']);
    expect(selectCases([])).toHaveLength(ALL_CASES.length);
    expect(new Set(ALL_CASES.map((c) => c.name)).size).toBe(ALL_CASES.length);
  });
});

describe('a case measured in several processes', () => {
  const contender = (label: string, usPerRun: number, kb?: number) => ({ label, usPerRun, rounds: [usPerRun, usPerRun + 1], ...(kb === undefined ? {} : { kbPerInFlightRun: kb, inFlightRuns: 2000 }), statementsPerRun: 16 });
  const outcome = (us: number, floorUs: number, ratio: number, low: number, high: number, perCandidate: number): CaseOutcome => ({
    name: 'dead-chain/8',
    title: 't',
    result: {
      name: 'dead-chain/8',
      title: 't',
      subject: contender('engine', us, us / 100),
      floor: contender('floor', floorUs, 6),
      others: [contender('dead chain of 2', us / 4)],
      ratio: { ratio, low, high },
      figures: [{ id: 'per-failed-candidate', label: 'per failed candidate', value: perCandidate, unit: 'µs' }],
      notes: ['a note'],
    },
  });

  it('takes the median of the processes for every figure, and the ratio range of all their rounds', () => {
    const merged = mergeCaseOutcomes([outcome(700, 400, 1.75, 1.2, 2.5, 60), outcome(900, 410, 2.2, 1.9, 2.9, 70), outcome(650, 380, 1.6, 1.1, 2.0, 50)]);
    if (!('result' in merged)) throw new Error('merged a result into a skip');
    const r = merged.result;
    expect(r.subject.usPerRun).toBe(700);
    expect(r.floor.usPerRun).toBe(400);
    expect(r.others[0]!.usPerRun).toBe(175);
    expect(r.subject.kbPerInFlightRun).toBe(7);
    expect(r.subject.rounds).toHaveLength(6);
    expect(r.subject.statementsPerRun).toBe(16);
    expect(r.ratio).toEqual({ ratio: 1.75, low: 1.1, high: 2.9 });
    expect(r.figures).toEqual([{ id: 'per-failed-candidate', label: 'per failed candidate', value: 60, unit: 'µs' }]);
    expect(r.notes).toEqual(['a note', 'median of 3 processes; their ratios: 1.75x, 2.20x, 1.60x']);
  });

  it('property: the merged ratio is one of the processes\' for an odd count, and lies within their range', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 4, noNaN: true }), { minLength: 1, maxLength: 7 }), (ratios) => {
        const merged = mergeCaseOutcomes(ratios.map((x) => outcome(100 * x, 100, x, x - 0.1, x + 0.1, 1)));
        if (!('result' in merged)) return false;
        const { ratio, low, high } = merged.result.ratio;
        if (ratios.length % 2 === 1 && !ratios.includes(ratio)) return false;
        return ratio >= Math.min(...ratios) && ratio <= Math.max(...ratios) && low === Math.min(...ratios) - 0.1 && high === Math.max(...ratios) + 0.1;
      }),
    );
  });

  it('a case skipped by one process is skipped; outcomes of different cases are refused', () => {
    expect(mergeCaseOutcomes([outcome(1, 1, 1, 1, 1, 1), { name: 'dead-chain/8', title: 't', skipped: 'no server' }])).toEqual({ name: 'dead-chain/8', title: 't', skipped: 'no server' });
    const other = outcome(1, 1, 1, 1, 1, 1);
    if ('result' in other) other.result.name = 'dead-chain/32';
    expect(() => mergeCaseOutcomes([outcome(1, 1, 1, 1, 1, 1), other])).toThrow(/different cases/);
    expect(() => mergeCaseOutcomes([])).toThrow(RangeError);
  });
});

describe('the parking gate', () => {
  it('settles closeFor(n) once n callers wait, and lets them all through on open()', async () => {
    const gate = new Gate();
    let allHeld = false;
    const held = gate.closeFor(2).then(() => (allHeld = true));
    const passed: number[] = [];
    const first = gate.pass().then(() => passed.push(1));
    await Promise.resolve();
    expect(allHeld).toBe(false);
    const second = gate.pass().then(() => passed.push(2));
    await held;
    expect(passed).toEqual([]);
    gate.open();
    await Promise.all([first, second]);
    expect(passed).toEqual([1, 2]);
    expect(gate.closed).toBe(false);
  });
});
