import { countStatements } from './count-statements.js';
import { kbPerInFlightRun } from './in-flight-memory.js';
import { timeInterleaved } from './interleave.js';
import type { BenchOptions } from './options.js';
import { allocationsPerRun, heapOfParked, profileContender } from './profile.js';
import { median, pairedRatio } from './stats.js';
import type { BenchCase, CaseResult, Contender, ContenderResult } from './types.js';

/** Runs of a case parked at once: `inFlightRuns`, or fewer when a run is so slow that starting them would take long. */
const inFlightCount = (usPerRun: number, o: BenchOptions): number =>
  Math.max(20, Math.min(o.inFlightRuns, Math.round((o.quick ? 1_000_000 : 5_000_000) / usPerRun)));

export type CaseOutcome = { name: string; title: string; result: CaseResult } | { name: string; title: string; skipped: string };

/** Statements of one unit after a first, uncounted one (so first-time work, like the first cooldown cleanup of a database, is not counted). */
async function statementsPerRun(c: Contender): Promise<number | undefined> {
  if (!c.countsStatements) return undefined;
  await c.unit();
  return (await countStatements(() => c.unit())) / (c.runsPerUnit ?? 1);
}

/**
 * Prepares a case, counts its statements, times its contenders interleaved, weighs its runs in
 * flight, derives its figures and closes it, whatever happens.
 */
export async function runCase(bc: BenchCase, o: BenchOptions): Promise<CaseOutcome> {
  const prepared = await bc.prepare(o);
  if ('skipped' in prepared) return { name: bc.name, title: bc.title, skipped: prepared.skipped };
  try {
    const contenders = [prepared.subject, prepared.floor, ...(prepared.others ?? [])];
    const statements: (number | undefined)[] = [];
    for (const c of contenders) statements.push(await statementsPerRun(c));
    const rounds = await timeInterleaved(contenders, prepared.rounds === undefined ? o : { ...o, rounds: prepared.rounds });
    const results: ContenderResult[] = contenders.map((c, i) => ({ label: c.label, usPerRun: median(rounds[i]!), rounds: rounds[i]! }));
    for (const [i, c] of contenders.entries()) {
      const r = results[i]!;
      if (statements[i] !== undefined) r.statementsPerRun = statements[i];
      if (i > 1) continue;
      // the floor is weighed with as many runs as its subject
      const count = c.inFlightRuns ?? inFlightCount(results[0]!.usPerRun, o);
      const kb = await kbPerInFlightRun(c, count);
      if (kb !== undefined) Object.assign(r, { kbPerInFlightRun: kb, inFlightRuns: count });
    }
    const [subject, floor, ...others] = results as [ContenderResult, ContenderResult, ...ContenderResult[]];
    const partial = { name: bc.name, title: bc.title, subject, floor, others, ratio: pairedRatio(subject.rounds, floor.rounds) };
    const result: CaseResult = { ...partial, figures: (await prepared.figures?.(partial)) ?? [], notes: prepared.notes ?? [] };
    if (o.profile) {
      result.profile = await profileContender(prepared.subject, o.quick ? 1_000 : 3_000);
      const heap = await heapOfParked(prepared.subject, subject.inFlightRuns ?? inFlightCount(subject.usPerRun, o));
      if (heap) result.profile.heap = heap;
      result.profile.allocated = await allocationsPerRun(prepared.subject, o.quick ? 1_000 : 3_000);
    }
    return { name: bc.name, title: bc.title, result };
  } finally {
    await prepared.close();
  }
}
