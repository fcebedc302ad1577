// npm run bench: the overhead, memory and flatness figures of llm-failover. Never run by npm test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore, type CallFn, type SessionStore } from '../src/index.js';
import { bareActorRun, bareTransaction } from './baseline.js';
import { fmt, usPerOp } from './measure.js';

const ok: CallFn = async () => ({ content: 'reply' });
const quota: CallFn = async (req) => {
  if (req.provider === 'openai-codex') {
    throw { status: 429, headers: {}, body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 } } };
  }
  return { content: 'reply' };
};

let n = 0;
/** One run on a fresh session (history reads grow with the session; that is measured apart). */
async function persistedRun(store: SessionStore, chain: string[], call: CallFn, sessionId = `s${n++}`) {
  const actor = createRunActor({ sessionId, messages: [{ role: 'user', content: 'hello' }], chain, call, store });
  actor.start();
  const out = await toPromise(actor);
  if (out.status !== 'succeeded') throw new Error(`bench run failed: ${String(out.error)}`);
}

async function main() {
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 2000);
  console.log(`llm-failover benchmarks (node ${process.version}, ${iterations} runs per round, median of 5)\n`);

  const tx = bareTransaction();
  const actorUs = await usPerOp(bareActorRun, iterations);
  const txUs = await usPerOp(tx.run, iterations);
  tx.close();
  const floor = actorUs + txUs;
  console.log(`bare XState actor (3 invokes)        ${fmt(actorUs)}`);
  console.log(`bare SQL of a run (2 transactions)   ${fmt(txUs)}`);
  console.log(`floor: actor + transaction           ${fmt(floor)}\n`);

  const mem = openSqliteStore();
  const chain = ['openai-codex/gpt-5.5', 'deepseek/deepseek-v4-pro'];
  const fullUs = await usPerOp(() => persistedRun(mem, chain, ok), iterations);
  console.log(`persisted run, :memory:              ${fmt(fullUs)}   ${(fullUs / floor).toFixed(2)}x floor (target ≤ 2x, ≥ 3000 runs/s)`);

  const dir = mkdtempSync(join(tmpdir(), 'llmf-bench-'));
  const bareFile = bareTransaction(join(dir, 'bare.db'));
  const bareFileUs = await usPerOp(bareFile.run, iterations);
  bareFile.close();
  const file = openSqliteStore({ path: join(dir, 'bench.db') });
  const fileUs = await usPerOp(() => persistedRun(file, chain, ok), iterations);
  console.log(`bare SQL of a run, WAL file          ${fmt(bareFileUs)}`);
  console.log(`persisted run, WAL file              ${fmt(fileUs)}   ${(fileUs / (actorUs + bareFileUs)).toFixed(2)}x its floor (actor + bare SQL on a WAL file)`);

  const incident = ['openai-codex/gpt-5.5', 'openai-codex/gpt-5.4-mini', 'deepseek/deepseek-v4-pro', 'deepseek/deepseek-v4-flash', 'moonshot/kimi-k2.6'];
  const incidentStore = openSqliteStore();
  const incidentUs = await usPerOp(() => persistedRun(incidentStore, incident, quota), iterations);
  console.log(`quota incident (cooldown known)      ${fmt(incidentUs)}`);

  // Flatness: a long chain answered by its head costs what a short one does; skipping is work
  // per skipped candidate (each is a recorded decision), not per chain entry.
  const longChain = Array.from({ length: 48 }, (_, i) => `p${i % 12}/m${i}`).concat(['good/model']);
  const headStore = openSqliteStore();
  const headUs = await usPerOp(() => persistedRun(headStore, longChain, ok), iterations);
  console.log(`49-candidate chain, head answers     ${fmt(headUs)}   ${(headUs / fullUs).toFixed(2)}x the 2-candidate chain`);
  const longStore = openSqliteStore();
  for (let i = 0; i < 12; i++) await longStore.putCooldown({ provider: `p${i}`, until: Date.now() + 3_600_000, reason: 'quota_exhausted', failures: 1 });
  const longUs = await usPerOp(() => persistedRun(longStore, longChain, ok), iterations);
  console.log(`49-candidate chain, 48 skipped       ${fmt(longUs)}   ${((longUs - fullUs) / 48).toFixed(1)} µs per skip`);

  const bigStore = openSqliteStore();
  for (let i = 0; i < 10_000; i++) await bigStore.putCooldown({ provider: `other${i}`, profileId: `k${i}`, until: Date.now() + 3_600_000, reason: 'rate_limit', failures: 1 });
  const bigUs = await usPerOp(() => persistedRun(bigStore, chain, ok), iterations);
  console.log(`10 000 cooldown rows of other keys   ${fmt(bigUs)}   ${(bigUs / fullUs).toFixed(2)}x the small table`);

  const histStore = openSqliteStore();
  for (let s = 0; s < 20; s++) for (let t = 0; t < 50; t++) await persistedRun(histStore, chain, ok, `h${s}`);
  let h = 0;
  const histUs = await usPerOp(() => persistedRun(histStore, chain, ok, `h${h++ % 20}`), iterations);
  console.log(`sessions of 100+ turns (history sent) ${fmt(histUs)}\n`);

  // Memory per in-flight run: runs parked in `attempting` on a call that never answers.
  const parked = openSqliteStore();
  const inflight = 2000;
  const hang: CallFn = (req) => new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(new Error('stopped'))));
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const actors = [];
  for (let i = 0; i < inflight; i++) {
    const a = createRunActor({ sessionId: `m${i}`, messages: [{ role: 'user', content: 'hello' }], chain, call: hang, store: parked });
    a.start();
    actors.push(a);
  }
  await new Promise((r) => setTimeout(r, 50));
  global.gc?.();
  const perRun = (process.memoryUsage().heapUsed - before) / inflight;
  console.log(`memory per in-flight run             ${(perRun / 1024).toFixed(1).padStart(8)} KB (target ≤ 20 KB)${global.gc ? '' : '  (run with --expose-gc for a steadier figure)'}`);
  for (const a of actors) a.stop();

  for (const s of [mem, file, incidentStore, headStore, longStore, bigStore, histStore, parked]) await s.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
