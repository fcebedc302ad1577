import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { Emulator } from '../../../src/providers/emulator/index.js';
import type { SessionStore } from '../../../src/store/types.js';
import { tempDir } from '../../store/helpers.js';
import { spawnWorker } from '../../store/workers/spawn-worker.js';
import type { WorkerLine } from '../../store/workers/worker-io.js';
import { DOWN_FROM, DOWN_UNTIL, flappingRun, GAP, RUNS, startFlappingEmulator } from './flapping.js';

// The flapping-primary acceptance, written once and run on each store a host can share
// (flapping-primary.test.ts on SQLite, flapping-primary-postgres.test.ts on PostgreSQL): a primary
// down for 60 s, runs every 4 s over real HTTP, simulated clocks (the emulator's outage window
// runs on the engine's clock). Every run is served, the primary gets one call per cooldown window
// (the circuit's probe, claimed through the store) and serves again within 30 s of recovering;
// in one process, in two taking turns, and with N processes racing on an ended cooldown.

/** A store the workers can share: where a fresh one lives, and how the test opens it itself. */
export interface SharedStore {
  /** A new, empty location, as the workers' `dbPath` (a SQLite file, or a postgres:// URL with ?schema=). */
  fresh(): string;
  open(location: string): SessionStore & { ready: Promise<void> };
}

interface Ran {
  status: string;
  servedBy: string;
  attempts: { provider: string; startedAt: number; failed: boolean }[];
}

/** When the primary's cooldown, as the store holds it at `now`, ends; undefined without one. */
async function primaryBlockedUntil(store: SessionStore, now: number): Promise<number | undefined> {
  const untils = (await store.activeCooldowns(['a'], now)).map((c) => c.until);
  return untils.length > 0 ? Math.max(...untils) : undefined;
}

/** `blocked[k]`: when the primary's cooldown ended, as the store held it when run k began. */
function expectCircuit(runs: readonly Ran[], blocked: readonly (number | undefined)[]): void {
  expect(runs.map((r) => r.status)).toEqual(Array(RUNS).fill('succeeded'));
  // no primary call, on any host, while the cooldown the store holds is in force; and most runs start in one
  const inWindow = runs.flatMap((r, k) => (blocked[k] !== undefined && k * GAP < blocked[k]! ? [r] : []));
  for (const r of inWindow) expect(r.attempts.filter((a) => a.provider === 'a')).toEqual([]);
  expect(inWindow.length).toBeGreaterThanOrEqual(8);
  const inOutage = (a: Ran['attempts'][number]) => a.provider === 'a' && a.startedAt >= DOWN_FROM && a.startedAt < DOWN_UNTIL;
  const probes = runs.flatMap((r) => r.attempts.filter(inOutage).map((a) => a.startedAt));
  // one primary call per run that calls it, and most runs keep off it (without the circuit: every run, 2-3 calls)
  for (const r of runs) expect(r.attempts.filter(inOutage).length).toBeLessThanOrEqual(1);
  expect(probes.length).toBeLessThanOrEqual(8);
  // the backoff grows across runs (and processes): the gaps between probes never shrink
  const gaps = probes.slice(1).map((t, i) => t - probes[i]!);
  for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]!);
  // back on the primary within 30 s of its recovery, with one call, and it stays there
  const back = runs.findIndex((r) => r.servedBy === 'a' && r.attempts[0]!.startedAt >= DOWN_UNTIL);
  expect(back).toBeGreaterThan(0);
  expect(runs[back]!.attempts.map((a) => [a.provider, a.failed])).toEqual([['a', false]]);
  expect(runs[back]!.attempts[0]!.startedAt).toBeLessThanOrEqual(DOWN_UNTIL + 30_000);
  for (const r of runs.slice(back)) expect(r.servedBy).toBe('a');
}

/** Opens the location once before the workers do, so the test is about the circuit, not the creation race. */
async function created(target: SharedStore): Promise<string> {
  const location = target.fresh();
  const store = target.open(location);
  await store.ready;
  await store.close();
  return location;
}

/** The flapping-primary tests for one process and for two taking turns; call inside a describe. */
export function flappingPrimaryTests(storeName: string, target: SharedStore): void {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it('one process: every run served, one primary call per cooldown window, the primary back within 30 s', async () => {
    const clock = new SimulatedClock();
    const e = (emu = await startFlappingEmulator(clock));
    const store = target.open(await created(target));
    try {
      const runs: Ran[] = [];
      const blocked: (number | undefined)[] = [];
      for (let k = 0; k < RUNS; k++) {
        blocked.push(await primaryBlockedUntil(store, k * GAP));
        const out = await flappingRun(clock, e, store, k);
        runs.push({
          status: out.status,
          servedBy: out.status === 'succeeded' ? out.servedBy.provider : '',
          attempts: out.attempts.map((a) => ({ provider: a.provider, startedAt: a.startedAt, failed: a.outcome === 'failed' })),
        });
      }
      expectCircuit(runs, blocked);
      // the emulator saw what the attempts say
      expect(e.requests().filter((r) => r.provider === 'a' && r.outcome === 'error').length).toBe(
        runs.flatMap((r) => r.attempts).filter((a) => a.provider === 'a' && a.failed).length,
      );
    } finally {
      await store.close();
    }
  });

  it(`two processes on ${storeName}, taking turns: the circuit holds across them`, async () => {
    const dbPath = await created(target);
    const workers = [0, 1].map((worker) => spawnWorker('flapping-runs.ts', { dbPath, worker }));
    // the test's own look at the store, as a third host
    const observer = target.open(dbPath);
    try {
      for (const w of workers) await w.waitFor((l) => l.type === 'ready');
      const runs: Ran[] = [];
      const blocked: (number | undefined)[] = [];
      for (let k = 0; k < RUNS; k++) {
        blocked.push(await primaryBlockedUntil(observer, k * GAP));
        const w = workers[k % 2]!;
        w.child.stdin!.write(`${JSON.stringify({ k })}\n`);
        const line = (await w.waitFor((l) => l.type === 'flap' && l.k === k)) as Extract<WorkerLine, { type: 'flap' }>;
        runs.push(line);
      }
      expectCircuit(runs, blocked);
      // both processes probed: the circuit is the store's, not a process's memory
      const probers = new Set(runs.flatMap((r, k) => (r.attempts.some((a) => a.provider === 'a' && a.failed) ? [k % 2] : [])));
      expect(probers).toEqual(new Set([0, 1]));
    } finally {
      await observer.close();
      for (const w of workers) w.child.stdin!.end();
      const exits = await Promise.all(workers.map((w) => w.exited));
      expect(exits, workers.map((w) => w.stderr.join('')).join('\n')).toEqual([0, 0]);
    }
  });
}

/** `count` processes start a run together on an ended cooldown; call inside a describe. */
export function oneProbeTest(count: number, target: SharedStore): void {
  it(`${count} processes start a run together on an ended cooldown: exactly one probes the primary, the others are served by the fallback`, async () => {
    const dbPath = target.fresh();
    const seed = target.open(dbPath);
    try {
      await seed.putCooldown({ provider: 'primary', until: Date.now() - 1_000, reason: 'overloaded', failures: 2 });
    } finally {
      await seed.close();
    }
    const goPath = path.join(tempDir(), 'go');
    // the primary answers after 3 s: every run takes its look at the store while the probe is under way
    const workers = Array.from({ length: count }, (_, worker) => spawnWorker('probe-race.ts', { dbPath, worker, goPath, primaryMs: 3_000 }));
    for (const w of workers) await w.waitFor((l) => l.type === 'ready');
    fs.writeFileSync(goPath, '');
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits, workers.map((w) => w.stderr.join('')).join('\n')).toEqual(Array(count).fill(0));
    const runs = workers.flatMap((w) => w.lines).filter((l): l is Extract<WorkerLine, { type: 'run' }> => l.type === 'run');
    expect(runs.map((r) => r.status)).toEqual(Array(count).fill('succeeded'));
    // each run's calls, in order: one run probes (and is served by) the primary, no other run touches it
    expect(runs.map((r) => r.message).sort()).toEqual([...Array(count - 1).fill('fallback'), 'primary']);
    // the probe served: the key is cleared for the runs after it
    const store = target.open(dbPath);
    try {
      expect(await store.activeCooldowns(['primary'], Date.now())).toEqual([]);
    } finally {
      await store.close();
    }
  });
}
