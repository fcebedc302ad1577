// A worker process that carries runs through the real engine (createRunActor) against a shared
// database file. The provider call randomly answers 503 "overloaded" or takes a while.
// Usage: node --import tsx engine-runs.ts '<json options>'
import { toPromise } from 'xstate';
import { createRunActor } from '../../../src/create-run-actor.js';
import type { Logger } from '../../../src/runtime.js';
import type { CallFn } from '../../../src/types.js';
import { emit, pool, seededRandom, sleep, startWorker, type RunsOptions } from './worker-io.js';

const { o, store } = startWorker<RunsOptions>();
const random = seededRandom(o.seed);

// the engine swallows some store errors into warnings (a cooldown it could not share): those
// would hide an SQLITE_BUSY, so any such warning or error is reported as a problem. A run that
// fails (every candidate overloaded) is a warn line too, about its event: that one is expected.
const logger: Logger = {
  info: () => {},
  debug: () => {},
  warn: (obj, msg) => {
    if ('event' in obj) return;
    emit({ type: 'problem', what: `warn ${msg}: ${JSON.stringify(obj, Object.getOwnPropertyNames(obj))}` });
  },
  error: (obj, msg) => emit({ type: 'problem', what: `error ${msg}: ${String((obj as { err?: unknown }).err ?? JSON.stringify(obj))}` }),
};

const call: CallFn = async (req) => {
  await sleep(Math.floor(random() * 8));
  if (random() < 0.25) throw { status: 503, headers: {}, body: 'overloaded' };
  return { content: `answer to ${req.runId} from ${req.provider}/${req.profileId}` };
};

async function oneRun(i: number): Promise<void> {
  const runId = `w${o.worker}-r${i}`;
  const sessionId = `s${Math.floor(random() * o.sessions)}`;
  const user = `question ${runId}`;
  const actor = createRunActor({
    runId,
    sessionId,
    messages: [{ role: 'user', content: user }],
    chain: ['alpha/a1', 'beta/b1'],
    profiles: { alpha: ['alpha-1', 'alpha-2'], beta: ['beta-1'] },
    call,
    store,
    logger,
    policy: { backoffBaseMs: 2, maxRetryWaitMs: 100, maxCooldownMs: 200, cooldownMs: { overloaded: 20 }, leaseTtlMs: 5_000, lockWaitMs: 30_000 },
  });
  actor.start();
  const out = await toPromise(actor);
  if (out.status === 'succeeded') emit({ type: 'run', runId, sessionId, status: 'succeeded', user, reply: out.text });
  else emit({ type: 'run', runId, sessionId, status: 'failed', code: (out.error as { code?: string }).code ?? 'UNKNOWN', message: out.error.message });
}

await pool(o.runs, o.concurrency, oneRun);
await store.close();
emit({ type: 'done' });
