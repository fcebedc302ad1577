import { expect, test } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import { createRunActor, openSqliteStore } from '../../src/index.js';

// Found by the race properties (races.test.ts) when an abort was scheduled before a run's start:
// openSession takes the lease synchronously inside store.openRun, and when run.abort was handled
// before openRun's promise settled, the run ended with the lease unreleased and the heartbeat
// renewing it for ever, so every later run on the session failed with SESSION_BUSY.
test('a run aborted while it takes the session lease lets go of the session', async () => {
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
