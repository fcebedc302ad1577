// Pure: tested in test/bench/harness.test.ts (values, never timings).
import type { CaseOutcome } from './run-case.js';
import { median } from './stats.js';
import type { CaseResult, ContenderResult, Figure } from './types.js';

const medianOf = (values: readonly (number | undefined)[]): number | undefined => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : median(known);
};

function mergeContender(results: readonly ContenderResult[]): ContenderResult {
  const first = results[0]!;
  const merged: ContenderResult = { label: first.label, usPerRun: median(results.map((r) => r.usPerRun)), rounds: results.flatMap((r) => r.rounds) };
  const kb = medianOf(results.map((r) => r.kbPerInFlightRun));
  if (kb !== undefined) merged.kbPerInFlightRun = kb;
  if (first.inFlightRuns !== undefined) merged.inFlightRuns = first.inFlightRuns;
  // the same run executes the same statements in every process
  if (first.statementsPerRun !== undefined) merged.statementsPerRun = first.statementsPerRun;
  return merged;
}

function mergeFigures(perProcess: readonly (readonly Figure[])[]): Figure[] {
  // a figure some process lacks is the median of those that have it (the first has it)
  return perProcess[0]!.map((f) => ({ ...f, value: medianOf(perProcess.map((figures) => figures.find((g) => g.id === f.id)?.value))! }));
}

/**
 * One case's results from several processes as one: every figure is the median of the
 * processes' figures (each of them already a median over that process's rounds), the ratio's
 * range spans every process's rounds, and a process that skipped the case skips it for all.
 * A profile is not merged: the first process's is kept.
 */
export function mergeCaseOutcomes(outcomes: readonly CaseOutcome[]): CaseOutcome {
  if (outcomes.length === 0) throw new RangeError('no outcomes to merge');
  const skipped = outcomes.find((o) => 'skipped' in o);
  if (skipped) return skipped;
  const results = outcomes.map((o) => (o as { result: CaseResult }).result);
  const first = results[0]!;
  if (results.some((r) => r.name !== first.name)) throw new RangeError(`outcomes of different cases: ${results.map((r) => r.name).join(', ')}`);
  const merged: CaseResult = {
    name: first.name,
    title: first.title,
    subject: mergeContender(results.map((r) => r.subject)),
    floor: mergeContender(results.map((r) => r.floor)),
    others: first.others.map((_, i) => mergeContender(results.map((r) => r.others[i]!))),
    ratio: {
      ratio: median(results.map((r) => r.ratio.ratio)),
      low: Math.min(...results.map((r) => r.ratio.low)),
      high: Math.max(...results.map((r) => r.ratio.high)),
    },
    figures: mergeFigures(results.map((r) => r.figures)),
    notes: [...first.notes, `median of ${results.length} processes; their ratios: ${results.map((r) => `${r.ratio.ratio.toFixed(2)}x`).join(', ')}`],
  };
  if (first.profile) merged.profile = first.profile;
  return { name: first.name, title: first.title, result: merged };
}
