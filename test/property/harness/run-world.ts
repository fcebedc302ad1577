import { SimulatedClock } from 'xstate';
import { createRunActor, openSqliteStore, type RunEvent, type RunOutput } from '../../../src/index.js';
import type { Classifier } from '../../../src/classify/types.js';
import type { RunStore } from '../../../src/store/types.js';
import type { CallFn, Message, Turn } from '../../../src/types.js';
import { classificationOf, type World } from '../../arbitraries/world-types.js';
import type { RaceStore } from './run-race.js';
import { driveToEnd } from './sim-driver.js';
import { worldCall, type ServedCall } from './world-call.js';

export interface RunWorldOptions {
  /** Wraps the store the run sees (mutants: a store that forgets, or lets go of the lease). */
  wrapStore?: (store: RunStore) => RunStore;
  /** Wraps the provider call. */
  wrapCall?: (call: CallFn) => CallFn;
  /** `pinned` (default): failures mean what the world says; `library`: the library's classifier reads the payloads. */
  classify?: 'pinned' | 'library';
  sessionId?: string;
  runId?: string;
  /** A fresh store for the run (default: in-memory SQLite); closing it disposes of it. One over a network says when a statement is on its way (`busy`). */
  openStore?: () => RaceStore;
}

/** Far more calls than any world allows (8 candidates × 4 profiles × 4 attempts = 128): the engine is looping. */
const RUNAWAY_CALLS = 1_000;

/** What one run of a world did, as seen from outside the engine. */
export interface Trace {
  calls: ServedCall[];
  events: RunEvent[];
  output: RunOutput | undefined;
  /** Simulated time at which the actor reached its final state. */
  endedAt: number | undefined;
  hung: boolean;
  turnsBefore: Turn[];
  turnsAfter: Turn[];
}

async function seedHistory(store: RunStore, sessionId: string, prior: readonly Message[]): Promise<void> {
  const last = prior.at(-1);
  if (!last) return;
  const { lease } = await store.openRun({ runId: 'seed', sessionId, now: 0, leaseTtlMs: 30_000, lockWaitMs: 0, providers: [] });
  const served = { provider: 'seed', model: 'seed', profileId: 'seed' };
  await store.commitRun(lease, { runId: 'seed', messages: prior.slice(0, -1), reply: last, servedBy: served, attempts: [], now: 0 });
}

/** Runs a world through createRunActor on a fresh store (in-memory SQLite unless `openStore`) and a simulated clock. */
export async function runWorld(world: World, o: RunWorldOptions = {}): Promise<Trace> {
  const sessionId = o.sessionId ?? 'session-1';
  const opened: RaceStore = o.openStore ? o.openStore() : openSqliteStore();
  try {
    await seedHistory(opened, sessionId, world.prior);
    for (const c of world.cooldowns) await opened.putCooldown(c);
    const store = o.wrapStore ? o.wrapStore(opened) : opened;
    const clock = new SimulatedClock();
    const provider = worldCall(world, clock);
    const controller = new AbortController();
    if (world.abortAtMs !== undefined) clock.setTimeout(() => controller.abort(), world.abortAtMs);
    const classify: Classifier | undefined =
      o.classify === 'library' ? undefined : (err, ctx) => {
        const tagged = typeof err === 'object' && err !== null ? provider.tags.get(err) : undefined;
        return tagged && classificationOf(tagged.pinned, tagged.payload, ctx.now?.() ?? 0);
      };
    const turnsBefore = await opened.listTurns(sessionId);
    const actor = createRunActor({
      sessionId,
      runId: o.runId ?? 'run-1',
      messages: [...world.messages],
      chain: world.chain.map((c) => `${c.provider}/${c.model}`),
      profiles: Object.fromEntries(Object.entries(world.profiles).map(([k, v]) => [k, [...v]])),
      call: o.wrapCall ? o.wrapCall(provider.call) : provider.call,
      store,
      policy: world.policy,
      clock,
      signal: controller.signal,
      ...(classify ? { classify } : {}),
    });
    const events: RunEvent[] = [];
    let endedAt: number | undefined;
    actor.on('*', (e) => events.push(e));
    actor.subscribe({ complete: () => (endedAt = clock.now()), error: () => (endedAt = clock.now()) });
    actor.start();
    // A run may not outlive its deadline; a margin past it tells a late end from a hang.
    const { hung } = await driveToEnd(actor, clock, world.policy.deadlineMs + world.policy.attemptTimeoutMs + 1, () => provider.calls.length > RUNAWAY_CALLS, undefined, opened.busy);
    const snap = actor.getSnapshot();
    if (hung) actor.stop();
    return { calls: provider.calls, events, output: snap.output, endedAt, hung, turnsBefore, turnsAfter: await opened.listTurns(sessionId) };
  } finally {
    await opened.close();
  }
}
