// Every target the benchmark checks, in one place. `npm run bench -- --check` exits 1 when a
// figure misses one. docs/benchmarks.md explains where each comes from.
import { runsPerSecond } from './harness/stats.js';
import type { CaseResult } from './harness/types.js';

export interface Target {
  id: string;
  /** What is promised, in words. */
  text: string;
  /** The cases it applies to (by name). */
  applies: (caseName: string) => boolean;
  /** The figure checked, or undefined when the case did not produce it. */
  read: (r: CaseResult) => number | undefined;
  /** The figure must stay at or below `max` / at or above `min`. */
  max?: number;
  min?: number;
}

const figure = (id: string) => (r: CaseResult) => r.figures.find((f) => f.id === id)?.value;
const named = (...names: string[]) => (name: string) => names.includes(name);
const startsWith = (...prefixes: string[]) => (name: string) => prefixes.some((p) => name.startsWith(p));

/** Runs whose shape is ordinary (a fresh session, a short chain): what one in-flight run may weigh. */
const ORDINARY = startsWith('success/', 'one-failure/', 'quota-incident/', 'concurrent/', 'grown-tables/', 'postgres/success', 'postgres/one-failure', 'postgres/quota-incident');

export const TARGETS: readonly Target[] = [
  {
    id: 'ratio',
    text: 'every case costs at most 2x its floor',
    applies: (name) => !name.startsWith('async-boundary'),
    read: (r) => r.ratio.ratio,
    max: 2,
  },
  {
    id: 'runs-per-second',
    text: 'at least 3 000 persisted runs/s for success and one-failure runs in memory',
    applies: named('success/memory', 'one-failure/memory'),
    read: (r) => runsPerSecond(r.subject.usPerRun),
    min: 3000,
  },
  {
    id: 'dead-chain-linear',
    text: 'dead chains are linear: 128 dead candidates cost at most 64x 2 of them',
    applies: named('dead-chain/128'),
    read: figure('vs-dead-chain-2'),
    max: 64,
  },
  {
    id: 'history-cached',
    text: 'a cached session of any length costs at most 1.3x a fresh session',
    applies: startsWith('history/', 'postgres/history/'),
    read: figure('vs-fresh-session'),
    max: 1.3,
  },
  {
    id: 'history-cache-bytes',
    text: 'memory per cached turn is its text plus at most 48 bytes',
    applies: startsWith('history/', 'postgres/history/'),
    read: figure('cache-bytes-beyond-text'),
    max: 48,
  },
  {
    id: 'grown-tables-flat',
    text: 'cost stays flat as tables grow: a run on a file of 100 000 runs and 10 000 cooldowns costs at most 1.3x the same run on an empty one',
    applies: startsWith('grown-tables/'),
    read: figure('vs-empty-database'),
    max: 1.3,
  },
  {
    id: 'in-flight-kb',
    text: 'an ordinary run in flight holds at most 16 KB',
    applies: ORDINARY,
    read: (r) => r.subject.kbPerInFlightRun,
    max: 16,
  },
  {
    id: 'async-boundary',
    text: 'the async store port adds at most 10 % to a persisted run',
    applies: named('async-boundary'),
    read: figure('port-share-of-run'),
    max: 10,
  },
];

export interface Verdict {
  caseName: string;
  target: Target;
  value: number;
  met: boolean;
}

/** Every target that applies to the results, with the figure it read and whether it is met. */
export function verdicts(results: readonly CaseResult[]): Verdict[] {
  const out: Verdict[] = [];
  for (const r of results) {
    for (const t of TARGETS) {
      if (!t.applies(r.name)) continue;
      const value = t.read(r);
      if (value === undefined || Number.isNaN(value)) continue;
      const met = (t.max === undefined || value <= t.max) && (t.min === undefined || value >= t.min);
      out.push({ caseName: r.name, target: t, value, met });
    }
  }
  return out;
}
