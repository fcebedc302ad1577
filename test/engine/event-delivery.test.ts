import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createEventBus, createRunActor, openSqliteStore, type RunEvent } from '../../src/index.js';
import { scriptedCall } from '../helpers/scripted-call.js';

// While the host has no actor.on listener, a run gives its events to its own wiring (bus, logger,
// cooldown sharing) directly, not through XState's emit (src/run-actor.ts, machines/step-action.ts).
// Whichever way, every listener must get every event, once, in order.

const FAR = 10 * 365 * 86_400_000;

async function skippingRun(listen: (actor: ReturnType<typeof createRunActor>, onBus: RunEvent[]) => void) {
  const store = openSqliteStore();
  try {
    const now = Date.now();
    for (const p of ['c0', 'c1', 'c2']) await store.putCooldown({ provider: p, until: now + FAR, reason: 'quota_exhausted', failures: 1 });
    const bus = createEventBus();
    const onBus: RunEvent[] = [];
    for (const type of ['candidate.skipped', 'model.escalated', 'attempt.started', 'attempt.succeeded', 'session.persisted', 'run.succeeded'] as const) {
      bus.on(type, (e: RunEvent) => onBus.push(e));
    }
    const actor = createRunActor({
      sessionId: 's',
      messages: [{ role: 'user', content: 'x' }],
      chain: ['c0/m', 'c1/m', 'c2/m', 'ok/m'],
      call: scriptedCall().call,
      store,
      events: bus,
    });
    listen(actor, onBus);
    actor.start();
    expect((await toPromise(actor)).status).toBe('succeeded');
    return onBus;
  } finally {
    store.close();
  }
}

const types = (events: readonly RunEvent[]) => events.map((e) => e.type);
const EXPECTED = ['candidate.skipped', 'candidate.skipped', 'candidate.skipped', 'model.escalated', 'attempt.started', 'attempt.succeeded', 'session.persisted', 'run.succeeded'];

describe('the events of a run', () => {
  it('reach the wiring (the bus) in order when the host listens to nothing', async () => {
    const onBus = await skippingRun(() => undefined);
    expect(types(onBus)).toEqual(EXPECTED);
    expect(onBus.slice(0, 3).map((e) => (e as { provider: string }).provider)).toEqual(['c0', 'c1', 'c2']);
  });

  it('reach the wiring first and every host listener, each once and in order', async () => {
    const seen: string[] = [];
    let typed = 0;
    const onBus = await skippingRun((actor, bus) => {
      actor.on('*', (e) => seen.push(`${e.type} after ${bus.length} on the bus`));
      actor.on('candidate.skipped', () => typed++);
    });
    expect(types(onBus)).toEqual(EXPECTED);
    // the wiring (the bus) got each event before the host's wildcard listener
    expect(seen).toEqual(EXPECTED.map((t, i) => `${t} after ${i + 1} on the bus`));
    expect(typed).toBe(3);
  });

  it('a listener the host adds while events are delivered gets the events after it, as with XState', async () => {
    const late: string[] = [];
    let added = false;
    const onBus = await skippingRun((actor, bus) => {
      // added from the bus (the wiring's listener) on the first skip: the other two skips of the same step follow
      const first = bus.push.bind(bus);
      bus.push = (...e: RunEvent[]) => {
        const n = first(...e);
        if (!added) {
          added = true;
          actor.on('*', (ev) => late.push(ev.type));
        }
        return n;
      };
    });
    expect(types(onBus)).toEqual(EXPECTED);
    expect(late).toEqual(EXPECTED.slice(1));
  });
});
