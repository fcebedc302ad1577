// npm run bench: what a persisted run costs, against its floor, case by case. Never run by npm test.
// docs/benchmarks.md says what each case and floor does and how to read the figures.
import { ALL_CASES, selectCases } from './cases/index.js';
import { canCollect } from './harness/gc.js';
import { parseBenchArgs, USAGE, type BenchOptions } from './harness/options.js';
import { measureInProcesses } from './harness/in-processes.js';
import { header, report } from './harness/report.js';
import { runCase, type CaseOutcome } from './harness/run-case.js';
import type { BenchCase, CaseResult } from './harness/types.js';
import { TARGETS, verdicts } from './targets.js';

/** Measures the cases in this process, one after another, with a progress line each. */
async function measureHere(cases: readonly BenchCase[], o: BenchOptions): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    const started = performance.now();
    const outcome = await runCase(c, o);
    outcomes.push(outcome);
    const took = ((performance.now() - started) / 1000).toFixed(1);
    console.error('result' in outcome ? `  ${c.name}: ${outcome.result.subject.usPerRun.toFixed(1)} µs/run, ${outcome.result.ratio.ratio.toFixed(2)}x its floor (${took} s)` : `  ${c.name}: skipped (${outcome.skipped})`);
  }
  return outcomes;
}

async function main(): Promise<number> {
  let o;
  try {
    o = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if ('help' in o) {
    console.log(USAGE);
    return 0;
  }
  if (o.list) {
    for (const c of ALL_CASES) console.log(`${c.name.padEnd(24)} ${c.title}`);
    console.log(`\ntargets (bench/targets.ts):\n${TARGETS.map((t) => `  ${t.text}`).join('\n')}`);
    return 0;
  }
  const cases = selectCases(o.cases);
  if (cases.length === 0) {
    console.error(`no case matches ${o.cases.join(', ')} (npm run bench -- --list)`);
    return 2;
  }
  // the header and progress go to stderr with --json, so stdout is the JSON alone
  (o.json ? console.error : console.log)(`${header(o, canCollect)}\n`);
  const outcomes = o.processes > 1 ? await measureInProcesses(process.argv[1]!, o, cases.map((c) => c.name)) : await measureHere(cases, o);
  const results = outcomes.flatMap((x): CaseResult[] => ('result' in x ? [x.result] : []));
  const checks = verdicts(results);
  if (o.json) {
    console.log(JSON.stringify({ node: process.version, quick: o.quick, cpuTime: o.cpuTime, rounds: o.rounds, processes: o.processes, outcomes, verdicts: checks.map((v) => ({ case: v.caseName, target: v.target.id, value: v.value, met: v.met })) }, null, 2));
  } else {
    console.log(`\n${report(outcomes, checks)}`);
  }
  return o.check && checks.some((v) => !v.met) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  },
);
