import { parseArgs } from 'node:util';

/** How hard the harness measures. `--quick` is a smoke run: every case end to end, few rounds. */
export interface BenchOptions {
  quick: boolean;
  /** Exit 1 when a figure misses its target (bench/targets.ts). */
  check: boolean;
  /** Case names or name prefixes to run; empty: all. */
  cases: string[];
  list: boolean;
  /** Print a CPU profile summary of each case's subject after timing it. */
  profile: boolean;
  /** Print the results as JSON (one object) instead of the table. */
  json: boolean;
  /** Time blocks in CPU time of the process rather than wall time (for a machine shared with other work). */
  cpuTime: boolean;
  /** Interleaved rounds per case. */
  rounds: number;
  /** Wall time per timed block (one contender, one round), in ms. */
  blockMs: number;
  /** Wall time of warm-up per contender before the first round, in ms. */
  warmupMs: number;
  /** Runs parked at once to weigh the memory of one in-flight run. */
  inFlightRuns: number;
  /** Processes to measure the cases in, one after another; each figure is the median of theirs (1: this process). */
  processes: number;
}

export const USAGE = `npm run bench -- [--quick] [--check] [--case <name>]... [--list] [--profile] [--json] [--cpu-time] [--rounds n]

  --quick       smoke run: every case end to end, 5 rounds of short blocks (figures are rough)
  --check       exit 1 when a figure misses its target (the targets are in bench/targets.ts)
  --case name   run the cases whose name is, or starts with, name (repeatable)
  --list        list the cases and exit
  --profile     after timing a case, profile its subject: where the time, the in-flight heap and the allocations go
  --json        print the results as JSON instead of the table
  --cpu-time    time in CPU time of the process, not wall time (a machine shared with other work)
  --rounds n    interleaved rounds per case (default 15, quick 5)
  --processes n measure in n fresh processes, one after another, and print the median of their
                figures (default 1: this process); a ratio near its target moves with the host's
                load from one process to the next, the median of 3 much less`;

export function parseBenchArgs(argv: readonly string[]): BenchOptions | { help: true } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      case: { type: 'string', multiple: true, default: [] },
      list: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'cpu-time': { type: 'boolean', default: false },
      rounds: { type: 'string' },
      processes: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  const quick = values.quick;
  let rounds = quick ? 5 : 15;
  if (values.rounds !== undefined) {
    rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  }
  let processes = 1;
  if (values.processes !== undefined) {
    processes = Number(values.processes);
    if (!Number.isInteger(processes) || processes < 1) throw new Error(`--processes must be a positive integer, got ${values.processes}`);
  }
  return {
    quick,
    check: values.check,
    cases: values.case,
    list: values.list,
    profile: values.profile,
    json: values.json,
    cpuTime: values['cpu-time'],
    rounds,
    blockMs: quick ? 30 : 150,
    warmupMs: quick ? 40 : 400,
    inFlightRuns: quick ? 200 : 2000,
    processes,
  };
}
