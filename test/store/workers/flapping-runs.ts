// A worker process for the flapping-primary acceptance: it carries the runs the test names on
// stdin ({"k": n} per line) through the real engine, against the shared database file, with its
// own emulator and simulated clock (the outage is a function of time, so both processes see the
// same one). Usage: node --import tsx flapping-runs.ts '<json options>'
import { createInterface } from 'node:readline';
import { SimulatedClock } from 'xstate';
import { flappingRun, startFlappingEmulator } from '../../providers/helpers/flapping.js';
import { emit, startWorker } from './worker-io.js';

const { o, store } = startWorker<{ dbPath: string; worker: number }>();
const clock = new SimulatedClock();
const emu = await startFlappingEmulator(clock);
emit({ type: 'ready' });
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { k } = JSON.parse(line) as { k: number };
  const out = await flappingRun(clock, emu, store, k, `w${o.worker}-k${k}`);
  emit({
    type: 'flap',
    k,
    status: out.status,
    servedBy: out.status === 'succeeded' ? out.servedBy.provider : '',
    attempts: out.attempts.map((a) => ({ provider: a.provider, startedAt: a.startedAt, failed: a.outcome === 'failed' })),
  });
}
await emu.close();
await store.close();
emit({ type: 'done' });
