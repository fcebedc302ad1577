import { SimulatedClock } from 'xstate';
import { createRunActor, type RunOutput, type RunStore } from '../../../src/index.js';
import { fromAiSdk } from '../../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator } from '../../../src/providers/emulator/index.js';
import { openAiCompatibleModel } from './models.js';

// The flapping-primary acceptance world, shared by the one-process test and its two-process
// worker: a primary `a` down from 0 to 60 s (a 503 "overloaded"), a healthy fallback `b`, runs every 4 s.

export const DOWN_FROM = 0;
export const DOWN_UNTIL = 60_000;
export const GAP = 4_000;
/** 4 s apart through the outage, then until 30 s after it: 23 runs. */
export const RUNS = Math.floor((DOWN_UNTIL + 30_000) / GAP) + 1;

/** An emulator whose outage window runs on the given (simulated) clock. */
export function startFlappingEmulator(clock: SimulatedClock): Promise<Emulator> {
  return startEmulator({
    now: () => clock.now(),
    scenario: [
      { provider: 'a', from: DOWN_FROM, until: DOWN_UNTIL, steps: [{ error: { status: 503, body: '{"error":{"message":"Service Unavailable","type":"server_error"}}' } }] },
      { provider: 'a', steps: [{ reply: 'primary' }] },
      { provider: 'b', steps: [{ reply: 'fallback' }] },
    ],
  });
}

/**
 * The store as the run sees it, with a count of its calls under way. A PostgreSQL round trip
 * takes real time; if the simulated clock moved meanwhile, the run's times would drift by the
 * server's latency.
 */
function counted(store: RunStore): { store: RunStore; busy: () => boolean } {
  let underWay = 0;
  const done = () => void underWay--;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const out: unknown = value.apply(target, args);
        if (out instanceof Promise) {
          underWay++;
          out.then(done, done);
        }
        return out;
      };
    },
  });
  return { store: proxy, busy: () => underWay > 0 };
}

/** Run k, started at k·GAP: the clock moves only while the run waits on a timer, never while HTTP or a store call is under way. */
export async function flappingRun(clock: SimulatedClock, emu: Emulator, shared: RunStore, k: number, runId?: string): Promise<RunOutput> {
  if (clock.now() < k * GAP) clock.increment(k * GAP - clock.now());
  const call = fromAiSdk((provider, model) => openAiCompatibleModel(emu, provider, model));
  const { store, busy } = counted(shared);
  const actor = createRunActor({ ...(runId ? { runId } : {}), sessionId: `s${k}`, messages: [{ role: 'user', content: 'hi' }], chain: ['a/m1', 'b/m2'], call, store, clock });
  let out: RunOutput | undefined;
  actor.subscribe({ complete: () => (out = actor.getSnapshot().output) });
  actor.start();
  for (let i = 0; i < 10_000 && !out; i++) {
    await new Promise((r) => setTimeout(r, 2));
    if (!out && emu.openConnections() === 0 && !busy()) clock.increment(50);
  }
  if (!out) throw new Error(`run ${k} did not end`);
  // The run shares its cooldowns without waiting for the writes (they must not fail it); runs
  // are 4 s apart, so they have landed before the next one looks, on this host or another.
  for (let i = 0; i < 5_000 && busy(); i++) await new Promise((r) => setTimeout(r, 2));
  return out;
}
