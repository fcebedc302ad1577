// npm run bench:processes: persisted runs/s with 1, 4 and 16 host processes on one store,
// PostgreSQL (each process its own pool) and, for comparison, one SQLite WAL file. Every
// process makes the same number of successful runs, a few in flight at a time, each on its own
// session; a round times from the common start signal to the last process's last commit.
// Needs LLM_FAILOVER_PG_URL for the PostgreSQL rows. docs/benchmarks.md keeps the figures.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));
const PROCESSES = [1, 4, 16];
const quick = process.argv.includes('--quick');
const RUNS_PER_PROCESS = quick ? 50 : 200;
const IN_FLIGHT = 4;

interface Done {
  runs: number;
  failed: number;
  ms: number;
}

async function round(store: string, processes: number): Promise<{ runsPerSecond: number; msPerRun: number }> {
  const children = Array.from({ length: processes }, (_, w) =>
    spawn(process.execPath, [WORKER, JSON.stringify({ store, runs: RUNS_PER_PROCESS, inFlight: IN_FLIGHT, id: `p${processes}-w${w}-${Date.now()}` })], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const lines = children.map((c) => {
    const got: unknown[] = [];
    let buffer = '';
    const waiters: (() => void)[] = [];
    c.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        got.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
        waiters.splice(0).forEach((w) => w());
      }
    });
    const nth = (n: number) =>
      new Promise<unknown>((resolve, reject) => {
        const check = () => (got.length > n ? resolve(got[n]) : waiters.push(check));
        c.once('exit', (code) => got.length <= n && reject(new Error(`worker exited (${code})`)));
        check();
      });
    return nth;
  });
  await Promise.all(lines.map((nth) => nth(0)));
  const started = performance.now();
  for (const c of children) c.stdin.write('go\n');
  const done = (await Promise.all(lines.map((nth) => nth(1)))) as Done[];
  const wall = performance.now() - started;
  if (done.some((d) => d.failed > 0)) throw new Error(`runs failed: ${JSON.stringify(done)}`);
  const runs = done.reduce((n, d) => n + d.runs, 0);
  return { runsPerSecond: (runs / wall) * 1000, msPerRun: done.reduce((s, d) => s + d.ms / d.runs, 0) / done.length };
}

async function main(): Promise<void> {
  console.log(`processes benchmark: node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${RUNS_PER_PROCESS} runs per process, ${IN_FLIGHT} in flight in each${quick ? ' (--quick)' : ''}; wall time`);
  console.log('store        processes   runs/s   ms/run in one process (its wall time / its runs)');
  const dir = mkdtempSync(join(tmpdir(), 'llmf-processes-'));
  try {
    for (const n of PROCESSES) {
      const r = await round(join(dir, `p${n}.db`), n);
      console.log(`sqlite wal   ${String(n).padStart(9)} ${r.runsPerSecond.toFixed(0).padStart(8)} ${r.msPerRun.toFixed(2).padStart(8)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.LLM_FAILOVER_PG_URL;
  if (!url) {
    console.log('postgres     skipped: LLM_FAILOVER_PG_URL is not set');
    return;
  }
  for (const n of PROCESSES) {
    const schema = `llmf_bench_processes_${process.pid}_${n}`;
    const u = new URL(url);
    u.searchParams.set('schema', schema);
    try {
      const r = await round(u.toString(), n);
      console.log(`postgres     ${String(n).padStart(9)} ${r.runsPerSecond.toFixed(0).padStart(8)} ${r.msPerRun.toFixed(2).padStart(8)}`);
    } finally {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`);
      await client.end();
    }
  }
}

await main();
