import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, tempDbPath } from './helpers.js';
import { sessionProblems } from './invariants.js';
import { spawnWorker } from './workers/spawn-worker.js';
import type { WorkerLine } from './workers/worker-io.js';

const WORKERS = 3;
const RUNS = 50;
const CONCURRENCY = 4;

/** The longest stretch of consecutive runs of one worker in the session, and whose it was. */
function longestStreak(workersInOrder: string[]): { worker: string; length: number } {
  let best = { worker: '', length: 0 };
  let current = { worker: '', length: 0 };
  for (const w of workersInOrder) {
    current = w === current.worker ? { worker: w, length: current.length + 1 } : { worker: w, length: 1 };
    if (current.length > best.length) best = current;
  }
  return best;
}

describe(`${WORKERS} processes × ${RUNS} runs on one session`, () => {
  it('the session is served first come, first served across processes: no process keeps it until its own queue drains', async () => {
    const dbPath = tempDbPath();
    const setup = openStore({ path: dbPath });
    await setup.ready;
    await setup.close();
    const goPath = path.join(path.dirname(dbPath), 'go');
    const workers = Array.from({ length: WORKERS }, (_, w) =>
      spawnWorker('session-queue.ts', { dbPath, worker: w, runs: RUNS, concurrency: CONCURRENCY, goPath }),
    );
    // every process is up and has its store open before any of them starts
    await Promise.all(workers.map((w) => w.waitFor((l) => l.type === 'ready')));
    fs.writeFileSync(goPath, '');
    const exits = await Promise.all(workers.map((w) => w.exited));
    const lines = workers.flatMap((w) => w.lines);
    expect(lines.filter((l) => l.type === 'problem'), workers.map((w) => w.stderr.join('')).join('\n')).toEqual([]);
    expect(exits).toEqual(Array(WORKERS).fill(0));
    const runs = lines.filter((l): l is Extract<WorkerLine, { type: 'run' }> => l.type === 'run');
    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
    expect(runs).toHaveLength(WORKERS * RUNS);

    const store = openStore({ path: dbPath });
    const turns = await store.listTurns('shared');
    expect(await sessionProblems('shared', turns, store)).toEqual([]);
    const served = turns.filter((t) => t.role === 'user').map((t) => t.runId.split('-')[0]!);
    expect(served).toHaveLength(WORKERS * RUNS);
    // With waiters served in arrival order, a process gets the session again only after the
    // runs of the others that queued meanwhile: stretches stay around its own concurrency. A
    // process that drained its own queue first would hold the session for tens of runs in a row.
    const streak = longestStreak(served);
    expect(streak.length, `worker ${streak.worker} held the session ${streak.length} runs in a row: ${served.join(' ')}`).toBeLessThanOrEqual(2 * CONCURRENCY);
    // and every process was served all along, not one after the other
    const firstHalf = new Set(served.slice(0, served.length / 2));
    expect(firstHalf.size).toBe(WORKERS);
  });
});
