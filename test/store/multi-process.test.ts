import { describe, expect, it } from 'vitest';
import { openStore, tempDbPath } from './helpers.js';
import { sessionProblems } from './invariants.js';
import { spawnWorker } from './workers/spawn-worker.js';
import type { WorkerLine } from './workers/worker-io.js';

const WORKERS = 4;
const RUNS = 50;
const SESSIONS = 10;
const seed = Number(process.env.STORE_SEED ?? Date.now() % 1_000_000);

type RunLine = Extract<WorkerLine, { type: 'run' }>;

describe(`four processes on one database file (seed ${seed})`, () => {
  it.each([
    ['through createRunActor, with random 503s and delays', 'engine-runs.ts'],
    ['driving openRun/commitRun directly', 'store-runs.ts'],
  ])('%s: sessions stay contiguous, no run interleaves, nothing is lost', async (_, script) => {
    const dbPath = tempDbPath();
    // every worker opens the brand-new file at once: creation and migration race too
    const workers = Array.from({ length: WORKERS }, (_, w) =>
      spawnWorker(script, { dbPath, worker: w, runs: RUNS, sessions: SESSIONS, seed: seed + w, concurrency: 3 }),
    );
    const exits = await Promise.all(workers.map((w) => w.exited));
    const lines = workers.flatMap((w) => w.lines);
    const problems = lines.filter((l) => l.type === 'problem');
    expect(problems, workers.map((w) => w.stderr.join('')).join('\n')).toEqual([]);
    expect(exits).toEqual([0, 0, 0, 0]);

    const runs = lines.filter((l): l is RunLine => l.type === 'run');
    expect(runs).toHaveLength(WORKERS * RUNS);
    // waiting is bounded by lockWaitMs, never by SQLite: no run may fail on the database itself
    expect(runs.filter((r) => r.status === 'not_opened' || /SQLITE_BUSY|STORE_/.test(r.message ?? ''))).toEqual([]);
    const succeeded = runs.filter((r) => r.status === 'succeeded');
    expect(succeeded.length).toBeGreaterThan(0);

    const store = openStore({ path: dbPath });
    expect((await store.integrityCheck()).ok).toBe(true);
    const allProblems: string[] = [];
    for (let s = 0; s < SESSIONS; s++) allProblems.push(...(await sessionProblems(`s${s}`, await store.listTurns(`s${s}`), store)));
    expect(allProblems).toEqual([]);
    // every succeeded run: its user turn followed by its reply, exactly once, in its session
    for (const r of succeeded) {
      const turns = (await store.listTurns(r.sessionId)).filter((t) => t.runId === r.runId);
      expect(turns.map((t) => [t.role, t.content])).toEqual([
        ['user', r.user],
        ['assistant', r.reply],
      ]);
      expect(turns[1]?.seq).toBe((turns[0]?.seq ?? 0) + 1);
    }
    for (const r of runs.filter((x) => x.status === 'failed')) {
      expect((await store.getRun(r.runId))?.status).toBe('failed');
      expect((await store.listTurns(r.sessionId)).filter((t) => t.runId === r.runId)).toEqual([]);
    }
    // the random provider failures really happened, and runs got past them
    const runsOfSucceeded = await Promise.all(succeeded.map((r) => store.getRun(r.runId)));
    expect(runsOfSucceeded.some((run) => run?.attempts.some((a) => a.outcome === 'failed'))).toBe(true);
    let total = 0;
    for (let s = 0; s < SESSIONS; s++) total += (await store.listTurns(`s${s}`)).length;
    expect(total).toBe(succeeded.length * 2);
  });
});
