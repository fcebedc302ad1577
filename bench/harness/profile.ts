import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { collectGarbage } from './gc.js';
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

export interface HeapLine {
  name: string;
  bytesPerRun: number;
}

export interface ProfileSummary {
  runs: number;
  /** Heap held by parked runs, by the code that allocated it, in bytes per run. */
  heap?: { functions: HeapLine[]; areas: HeapLine[] };
  /** Everything a run allocates, kept or not (what the garbage collector works through), in bytes per run. */
  allocated?: { functions: HeapLine[]; areas: HeapLine[] };
  /** Self time by function, largest first. */
  functions: ProfileLine[];
  /** Self time by area of the code (our folders, xstate, better-sqlite3, GC, ...). */
  areas: ProfileLine[];
}

/** Where bench/ sits: the repository, or the directory the benchmark is compiled to. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function where(url: string): string {
  if (url === '') return '';
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  const pkg = path.lastIndexOf('/node_modules/');
  if (pkg >= 0) return path.slice(pkg + 1);
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
/** Runs the contender's units for `ms` (at least one); returns how many runs that was. */
async function runFor(c: Contender, ms: number): Promise<number> {
  let units = 0;
  const until = performance.now() + ms;
  do {
    await c.unit();
    units++;
  } while (performance.now() < until);
  return units * (c.runsPerUnit ?? 1);
}

export async function profileContender(c: Contender, ms: number, top = 15): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const runs = await runFor(c, ms);
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    return summarize(profile, runs, top);
  } finally {
    session.disconnect();
  }
}

interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

function heapLines(root: HeapNode, runs: number, top: number): { functions: HeapLine[]; areas: HeapLine[] } {
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  const visit = (n: HeapNode) => {
    if (n.selfSize > 0) {
      const f = n.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${where(f.url)}`.trim();
      fn.set(name, (fn.get(name) ?? 0) + n.selfSize);
      const a = areaOf(f);
      area.set(a, (area.get(a) ?? 0) + n.selfSize);
    }
    n.children.forEach(visit);
  };
  visit(root);
  const lines = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, bytes]) => ({ name, bytesPerRun: bytes / runs }));
  return { functions: lines(fn), areas: lines(area) };
}

/**
 * What runs allocate, kept or not (the garbage collector's work), by the code that allocated it:
 * V8's sampling heap profiler, told to keep the samples of objects collected since, while the
 * contender runs for `ms`.
 */
export async function allocationsPerRun(c: Contender, ms: number, top = 15): Promise<{ functions: HeapLine[]; areas: HeapLine[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
    const runs = await runFor(c, ms);
    const { profile } = (await session.post('HeapProfiler.getSamplingProfile')) as unknown as { profile: { head: HeapNode } };
    await session.post('HeapProfiler.stopSampling');
    return heapLines(profile.head, runs, top);
  } finally {
    session.disconnect();
  }
}

/**
 * What `count` parked runs hold, by the code that allocated it: V8's sampling heap profiler
 * runs while they start and park, and what is still alive after a full collection is read.
 */
export async function heapOfParked(c: Contender, count: number, top = 15): Promise<{ functions: HeapLine[]; areas: HeapLine[] } | undefined> {
  if (!c.park) return undefined;
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    collectGarbage();
    await session.post('HeapProfiler.startSampling', { samplingInterval: 128 });
    const parked = await c.park(count);
    collectGarbage();
    const { profile } = (await session.post('HeapProfiler.getSamplingProfile')) as unknown as { profile: { head: HeapNode } };
    await session.post('HeapProfiler.stopSampling');
    await parked.release();
    return heapLines(profile.head, count, top);
  } finally {
    session.disconnect();
  }
}
