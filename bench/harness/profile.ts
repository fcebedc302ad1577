import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import type { Contender } from './types.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  /** Share of the sampled time, 0..1 (sampling slows the run down, so shares, not times, are kept). */
  share: number;
}

export interface ProfileSummary {
  runs: number;
  /** Self time by function, largest first. */
  functions: ProfileLine[];
  /** Self time by area of the code (our folders, xstate, better-sqlite3, GC, ...). */
  areas: ProfileLine[];
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function where(url: string): string {
  if (url === '') return '';
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

/** The part of the code a frame belongs to: src/<folder>, machines, a package, or V8 itself. */
export function areaOf(frame: CallFrame): string {
  const file = where(frame.url);
  // better-sqlite3's statement methods are native functions without a script
  if (file === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native: SQLite statements, builtins)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1]!;
  if (file.startsWith('node:')) return 'node';
  const parts = file.split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : 'src';
  return parts[0]!;
}

function summarize(profile: CpuProfile, runs: number, top: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!node || dt <= 0) return;
    const f = node.callFrame;
    // tsx runs transpiled code: its line numbers say nothing, the file does
    const name = `${f.functionName || '(anonymous)'} ${where(f.url)}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + dt);
    const a = areaOf(f);
    area.set(a, (area.get(a) ?? 0) + dt);
    total += dt;
  });
  const lines = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, share: us / total }));
  return { runs, functions: lines(fn), areas: lines(area) };
}

/** Samples the CPU while `c` runs for about `ms` (at least one unit) and summarizes where the time went. */
export async function profileContender(c: Contender, ms: number, top = 15): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    let units = 0;
    const until = performance.now() + ms;
    do {
      await c.unit();
      units++;
    } while (performance.now() < until);
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    return summarize(profile, units * (c.runsPerUnit ?? 1), top);
  } finally {
    session.disconnect();
  }
}
