import { afterAll, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/index.js';
import { describePostgres } from '../postgres/describe-postgres.js';
import { dropSchemas, freshSchemaName, urlWithSchema } from '../postgres/schemas.js';
import { sessionProblems } from './invariants.js';
import { spawnWorker } from './workers/spawn-worker.js';
import type { WorkerLine } from './workers/worker-io.js';

// Hosts behind a load balancer, simulated as processes: each worker has its own pool on one
// PostgreSQL schema; they share sessions, leases and cooldowns. Provider faults are random
// (seeded), and one host is killed with SIGKILL mid-work.
const WORKERS = 4;
const RUNS = 30;
const SESSIONS = 6;
const seed = Number(process.env.STORE_SEED ?? Date.now() % 1_000_000);

type RunLine = Extract<WorkerLine, { type: 'run' }>;

describePostgres(`hosts as processes on one PostgreSQL (seed ${seed})`, (url) => {
  const schemas: string[] = [];
  const fresh = () => {
    const schema = freshSchemaName('hosts');
    schemas.push(schema);
    return urlWithSchema(url, schema);
  };
  afterAll(() => dropSchemas(url, schemas));

  it.each([
    ['through createRunActor, with random 503s and delays', 'engine-runs.ts'],
    ['driving openRun/commitRun directly', 'store-runs.ts'],
  ])('%s, one host killed: sessions stay contiguous, no run interleaves, nothing is lost or doubled', async (_, script) => {
    const db = fresh();
    // every host opens the brand-new schema at once: creation and migration race too
    const workers = Array.from({ length: WORKERS }, (_, w) => spawnWorker(script, { dbPath: db, worker: w, runs: RUNS, sessions: SESSIONS, seed: seed + w, concurrency: 3 }));
    const victim = workers[WORKERS - 1]!;
    await victim.waitFor((l) => l.type === 'run');
    victim.child.kill('SIGKILL');
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits).toEqual([0, 0, 0, 'SIGKILL']);
    const lines = workers.flatMap((w) => w.lines);
    expect(lines.filter((l) => l.type === 'problem'), workers.map((w) => w.stderr.join('')).join('\n')).toEqual([]);
    const survivors = workers.slice(0, -1).flatMap((w) => w.lines).filter((l): l is RunLine => l.type === 'run');
    expect(survivors).toHaveLength((WORKERS - 1) * RUNS);
    // waiting is bounded by lockWaitMs (longer than a killed host's lease), never by the database
    expect(survivors.filter((r) => r.status === 'not_opened' || /STORE_/.test(r.code ?? ''))).toEqual([]);

    const store = openPostgresStore({ connectionString: db });
    try {
      const problems: string[] = [];
      for (let s = 0; s < SESSIONS; s++) problems.push(...(await sessionProblems(`s${s}`, await store.listTurns(`s${s}`), store)));
      expect(problems).toEqual([]);
      const succeeded = lines.filter((l): l is RunLine => l.type === 'run' && l.status === 'succeeded');
      expect(succeeded.length).toBeGreaterThan(0);
      // every reported success: its user turn then its reply, exactly once, in its session
      for (const r of succeeded) {
        const turns = (await store.listTurns(r.sessionId)).filter((t) => t.runId === r.runId);
        expect(turns.map((t) => [t.role, t.content])).toEqual([
          ['user', r.user],
          ['assistant', r.reply],
        ]);
      }
      // the killed host's runs: committed whole, or not at all (its last ones never reported)
      let total = 0;
      for (let s = 0; s < SESSIONS; s++) total += (await store.listTurns(`s${s}`)).length;
      const committed = (await store.listRuns({ limit: 10_000 })).filter((r) => r.status === 'succeeded');
      expect(total).toBe(committed.length * 2);
      expect(committed.length).toBeGreaterThanOrEqual(succeeded.length);
    } finally {
      await store.close();
    }
  });

  it('a cooldown one host sets is honoured by the next: host B makes 1 call, not 2', async () => {
    const db = fresh();
    const a = spawnWorker('cooldown-host.ts', { dbPath: db, runId: 'host-a-run', sessionId: 'chat-a' });
    const fromA = (await a.waitFor((l) => l.type === 'calls')) as Extract<WorkerLine, { type: 'calls' }>;
    expect(await a.exited).toBe(0);
    expect(fromA).toMatchObject({ status: 'succeeded', providers: ['openai-codex', 'deepseek'] });
    const b = spawnWorker('cooldown-host.ts', { dbPath: db, runId: 'host-b-run', sessionId: 'chat-b' });
    const fromB = (await b.waitFor((l) => l.type === 'calls')) as Extract<WorkerLine, { type: 'calls' }>;
    expect(await b.exited).toBe(0);
    expect(fromB).toMatchObject({ status: 'succeeded', providers: ['deepseek'] });
  });

  it("a killed host's lease is taken over once it expires, and its run is marked abandoned", async () => {
    const db = fresh();
    const hung = spawnWorker('store-hang.ts', { dbPath: db, sessionId: 'shared', runId: 'killed-run', leaseTtlMs: 500 });
    await hung.waitFor((l) => l.type === 'calling');
    hung.child.kill('SIGKILL');
    await hung.exited;
    const store = openPostgresStore({ connectionString: db });
    try {
      // another host arrives while the dead one's lease still runs: it waits, then takes over
      const { lease } = await store.openRun({ runId: 'next-run', sessionId: 'shared', now: Date.now(), leaseTtlMs: 5_000, lockWaitMs: 10_000, providers: [] });
      expect(lease.token).toBe(2);
      expect((await store.getRun('killed-run'))?.status).toBe('abandoned');
      await store.commitRun(lease, { runId: 'next-run', messages: [{ role: 'user', content: 'q' }], reply: { role: 'assistant', content: 'a' }, servedBy: { provider: 'p', model: 'm', profileId: 'k' }, attempts: [], now: Date.now() });
      expect((await store.listTurns('shared')).map((t) => t.runId)).toEqual(['next-run', 'next-run']);
    } finally {
      await store.close();
    }
  });
});
