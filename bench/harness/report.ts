import { cpus, loadavg } from 'node:os';
import type { Verdict } from '../targets.js';
import type { BenchOptions } from './options.js';
import type { CaseOutcome } from './run-case.js';
import type { ProfileSummary } from './profile.js';
import { runsPerSecond } from './stats.js';
import type { CaseResult } from './types.js';

const num = (v: number | undefined, digits = 1): string => (v === undefined ? '' : v.toFixed(digits));
const grouped = (v: number): string => Math.round(v).toLocaleString('en-US').replace(/,/g, ' ');
const pad = (s: string, n: number, left = false) => (left ? s.padEnd(n) : s.padStart(n));

export function header(o: BenchOptions, gc: boolean): string {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  return [
    `llm-failover benchmarks: node ${process.version}, ${cpus().length} CPUs, load average ${load} at start`,
    `${o.quick ? 'QUICK (smoke run, rough figures): ' : ''}${o.rounds} interleaved rounds per case, blocks of ${o.blockMs} ms, up to ${o.inFlightRuns} runs in flight to weigh one`,
    o.processes > 1 ? `measured in ${o.processes} processes, one after another: each figure is the median of theirs` : '',
    o.cpuTime ? 'times are CPU time of the process (--cpu-time), not wall time' : 'times are wall time',
    gc ? '' : 'WARNING: no --expose-gc: rounds are not separated by collections and memory figures are unreliable',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

const COLUMNS = ['case', 'µs/run', 'runs/s', 'floor µs', 'ratio (rounds range)', 'KB/run', 'floor KB', 'SQL/run'];
const WIDTHS = [24, 10, 8, 9, 22, 7, 9, 11];

function row(cells: string[]): string {
  return cells.map((c, i) => pad(c, WIDTHS[i]!, i === 0 || i === 4)).join(' ');
}

function caseRow(r: CaseResult): string {
  const sql = r.subject.statementsPerRun === undefined ? '' : `${num(r.subject.statementsPerRun, 0)} / ${num(r.floor.statementsPerRun, 0)}`;
  return row([
    r.name,
    num(r.subject.usPerRun),
    grouped(runsPerSecond(r.subject.usPerRun)),
    num(r.floor.usPerRun),
    `${r.ratio.ratio.toFixed(2)}x (${r.ratio.low.toFixed(2)}–${r.ratio.high.toFixed(2)})`,
    num(r.subject.kbPerInFlightRun),
    num(r.floor.kbPerInFlightRun),
    sql,
  ]);
}

/** Where the subject's time goes: each line's share of the samples, and that share of its measured µs per run. */
export function profileText(p: ProfileSummary, usPerRun: number): string {
  const line = (l: { name: string; share: number }) =>
    `      ${(l.share * 100).toFixed(1).padStart(5)}%  ${(l.share * usPerRun).toFixed(1).padStart(8)} µs/run  ${l.name}`;
  const heapLine = (l: { name: string; bytesPerRun: number }) => `      ${(l.bytesPerRun / 1024).toFixed(2).padStart(8)} KB/run  ${l.name}`;
  return [
    `    profile of the subject (${p.runs} runs sampled), self time by area:`,
    ...p.areas.map(line),
    '    by function:',
    ...p.functions.map(line),
    ...(p.heap
      ? ['    heap held by a parked run, by the code that allocated it (sampled), by area:', ...p.heap.areas.map(heapLine), '    by function:', ...p.heap.functions.map(heapLine)]
      : []),
    ...(p.allocated
      ? ['    allocated per run, kept or not (sampled), by area:', ...p.allocated.areas.map(heapLine), '    by function:', ...p.allocated.functions.map(heapLine)]
      : []),
  ].join('\n');
}

/** The table, then each case's figures and notes, then the verdict of every target. */
export function report(outcomes: readonly CaseOutcome[], checks: readonly Verdict[]): string {
  const out: string[] = [row(COLUMNS)];
  for (const c of outcomes) out.push('result' in c ? caseRow(c.result) : `${pad(c.name, WIDTHS[0]!, true)} skipped: ${c.skipped}`);
  const details: string[] = [];
  for (const c of outcomes) {
    if (!('result' in c)) continue;
    const r = c.result;
    const lines = [
      ...r.others.map((x) => `    ${x.label}: ${num(x.usPerRun)} µs/run`),
      ...r.figures.map((f) => `    ${f.label}: ${f.unit === 'x' ? `${f.value.toFixed(2)}x` : `${num(f.value, f.unit === '%' ? 1 : 1)} ${f.unit}`}`),
      ...r.notes.map((n) => `    note: ${n}`),
      ...(r.profile ? [profileText(r.profile, r.subject.usPerRun)] : []),
    ];
    if (lines.length > 0) details.push(`  ${r.name}: ${r.title}`, ...lines);
  }
  if (details.length > 0) out.push('', 'figures:', ...details);
  const missed = checks.filter((v) => !v.met);
  out.push('', `targets: ${checks.length - missed.length} met, ${missed.length} missed`);
  for (const v of checks) {
    const bound = v.target.max !== undefined ? `≤ ${v.target.max}` : `≥ ${v.target.min}`;
    out.push(`  ${v.met ? 'met   ' : 'MISSED'} ${pad(v.caseName, 24, true)} ${num(v.value, 2).padStart(9)} ${bound.padEnd(7)} ${v.target.text}`);
  }
  return out.join('\n');
}
