// One host of the processes benchmark: `runs` successful runs through createRunActor, `inFlight`
// at a time, each on a session of its own, on the store named by its argument; then one JSON
// line: how many runs, how long (wall ms) from the start signal to the last commit.
// Usage: node worker.js '{"store":"postgres://…?schema=…" | "/path/file.db","runs":200,"inFlight":4,"id":"w0"}'
import { toPromise } from 'xstate';
import { createRunActor, openPostgresStore, openSqliteStore, type CallFn, type SessionStore } from '../../src/index.js';

interface Options {
  store: string;
  runs: number;
  inFlight: number;
  id: string;
}

const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const store: SessionStore & { ready: Promise<void> } = /^postgres(ql)?:\/\//.test(o.store)
  ? openPostgresStore({ connectionString: o.store, poolSize: Math.max(2, o.inFlight) })
  : openSqliteStore({ path: o.store });
await store.ready;
const call: CallFn = async () => ({ content: 'reply' });

// every host opens its store first, then all start together on the parent's signal
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const started = performance.now();
let next = 0;
let failed = 0;
const lane = async () => {
  while (next < o.runs) {
    const i = next++;
    const actor = createRunActor({ sessionId: `${o.id}-s${i}`, messages: [{ role: 'user', content: 'hello' }], chain: ['deepseek/deepseek-v4-pro'], call, store });
    actor.start();
    if ((await toPromise(actor)).status !== 'succeeded') failed++;
  }
};
await Promise.all(Array.from({ length: o.inFlight }, lane));
const ms = performance.now() - started;
await store.close();
process.stdout.write(`${JSON.stringify({ runs: o.runs, failed, ms })}\n`);
process.stdin.destroy(); // the parent's pipe would keep this process alive
