import { expect, test } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import { createRunActor, openSqliteStore } from '../../src/index.js';

// Found by the race properties (races.test.ts) when an abort was scheduled before a run's start.
// createRunActor's openSession takes the lease synchronously inside store.openRun; when run.abort
// is handled before openRun's promise settles, the run ends with `lease` still unset, so finish()
// does not release it, and the heartbeat started afterwards renews it for ever. Every later run on
// the session waits lockWaitMs and fails with SESSION_BUSY. The fix belongs in
// src/create-run-actor.ts (release the lease, and do not start the heartbeat, when the run already
// ended). `test.fails` keeps the finding executable: once fixed, this turns red; make it a `test`,
// and drop the workaround in harness/run-race.ts that schedules aborts only after a run started.
test.fails('KNOWN BUG: a run aborted while it takes the session lease lets go of the session', async () => {
  const store = openSqliteStore();
  const clock = new SimulatedClock();
  const controller = new AbortController();
  const common = { sessionId: 's', chain: ['a/m'], call: async () => ({ content: 'ok' }), store, clock, policy: { lockWaitMs: 0 } };
  try {
    const first = createRunActor({ ...common, messages: [{ role: 'user', content: 'first' }], signal: controller.signal });
    first.start();
    controller.abort();
    expect((await toPromise(first)).status).toBe('failed');
    await new Promise((r) => setImmediate(r));
    const second = createRunActor({ ...common, messages: [{ role: 'user', content: 'second' }] });
    second.start();
    expect((await toPromise(second)).status).toBe('succeeded');
  } finally {
    store.close();
  }
});
