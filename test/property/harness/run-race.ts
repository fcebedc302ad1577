import type { fc } from '@fast-check/vitest';
import { SimulatedClock } from 'xstate';
import { createRunActor, openSqliteStore, type RunOutput } from '../../../src/index.js';
import type { RunStore, StoreOperations } from '../../../src/store/types.js';
import type { CallRequest, Message, Turn } from '../../../src/types.js';
import type { Race, RaceOutcome } from '../../arbitraries/races.js';
import { classificationOf, scriptKey } from '../../arbitraries/world-types.js';
import { recordingStore, type SessionLogEntry } from './recording-store.js';
import { nextDue, settle } from './sim-driver.js';

export const RACE_SESSION = 'shared-session';

/** How many 10 ms waits of real time a race on a network store gets to wake a waiter by itself (3 s). */
const NETWORK_WAKE_GRACE_STEPS = 300;

export interface RaceRunTrace {
  runId: string;
  messages: readonly Message[];
  /** The messages each provider call of this run was sent (history + the run's messages). */
  sent: (readonly Message[])[];
  output: RunOutput | undefined;
}

export interface RaceTrace {
  runs: RaceRunTrace[];
  turns: Turn[];
  log: SessionLogEntry[];
  hung: boolean;
}

/**
 * What a race needs of a store: the engine's port, the session's turns, and closing; and for a
 * store over a network (PostgreSQL), whether a statement is still on its way, which the
 * scheduler cannot see (the race only moves simulated time once nothing is in flight).
 */
export type RaceStore = RunStore & Pick<StoreOperations, 'listTurns' | 'close'> & { busy?: () => boolean };

/** Builds the store all runs of a race share; mutants get each run's messages to misbehave with. */
export type RaceStoreFactory = (messagesOf: (runId: string) => readonly Message[]) => RaceStore;

export const sqliteRaceStore: RaceStoreFactory = () => openSqliteStore();

async function seed(store: RaceStore, prior: readonly Message[]): Promise<void> {
  const last = prior.at(-1);
  if (!last) return;
  const { lease } = await store.openRun({ runId: 'seed', sessionId: RACE_SESSION, now: 0, leaseTtlMs: 30_000, lockWaitMs: 0, providers: [] });
  await store.commitRun(lease, { runId: 'seed', messages: prior.slice(0, -1), reply: last, servedBy: { provider: 'seed', model: 'seed', profileId: 'seed' }, attempts: [], now: 0 });
}

/**
 * Runs a race's runs on one session of one store. fast-check's scheduler decides the order in
 * which the runs start, each provider answer arrives and each abort lands; simulated time only
 * moves when every run waits on a timer (a backoff), never while an answer is pending.
 */
export async function runRace(race: Race, s: fc.Scheduler, makeStore: RaceStoreFactory = sqliteRaceStore): Promise<RaceTrace> {
  const byId = new Map(race.runs.map((r) => [r.runId, r]));
  const store = makeStore((runId) => byId.get(runId)?.messages ?? []);
  const log: SessionLogEntry[] = [];
  try {
    await seed(store, race.prior);
    const shared = recordingStore(store, log);
    const clock = new SimulatedClock();
    const traces: RaceRunTrace[] = [];
    const actors = race.runs.map((run) => {
      const trace: RaceRunTrace = { runId: run.runId, messages: run.messages, sent: [], output: undefined };
      traces.push(trace);
      const used = new Map<string, number>();
      const tags = new WeakMap<object, Extract<RaceOutcome, { kind: 'fail' }>>();
      const scripted = async (req: CallRequest) => {
        const key = scriptKey(req.provider, req.model, req.profileId);
        const n = used.get(key) ?? 0;
        used.set(key, n + 1);
        const script = run.scripts[key]!;
        const o = script[Math.min(n, script.length - 1)]!;
        if (o.kind === 'reply') return { content: `reply of ${run.runId} from ${key}` };
        const thrown = { ...o.payload };
        tags.set(thrown, o);
        throw thrown;
      };
      // fast-check calls `answer` at once and hands its promise over only when it triggers the
      // task: a failure would count as unhandled meanwhile, whenever the trigger waits for I/O
      const answer = (req: CallRequest) => {
        const p = scripted(req);
        p.catch(() => undefined);
        return p;
      };
      const scheduled = s.scheduleFunction(answer);
      const controller = new AbortController();
      const actor = createRunActor({
        sessionId: RACE_SESSION,
        runId: run.runId,
        messages: [...run.messages],
        chain: race.chain,
        profiles: race.profiles,
        call: (req) => {
          trace.sent.push(req.messages);
          return scheduled(req);
        },
        store: shared,
        policy: race.policy,
        clock,
        signal: controller.signal,
        classify: (err, ctx) => {
          const o = typeof err === 'object' && err !== null ? tags.get(err) : undefined;
          return o && classificationOf(o.pinned, o.payload, ctx.now?.() ?? 0);
        },
      });
      actor.subscribe({ complete: () => (trace.output = actor.getSnapshot().output), error: () => undefined });
      // Start and abort are independent tasks, so an abort may land before the start, while the
      // lease is being taken, or mid-run (test/property/abort-while-leasing.test.ts pins the first two).
      void s.schedule(Promise.resolve(), `start ${run.runId}`).then(() => actor.start());
      if (run.abort) void s.schedule(Promise.resolve(), `abort ${run.runId}`).then(() => controller.abort());
      return actor;
    });
    let hung = true;
    let idleWaits = 0;
    for (let step = 0; step < 5_000; step++) {
      await s.waitIdle();
      await settle();
      while (store.busy?.()) {
        await new Promise((r) => setTimeout(r, 1));
        await settle();
      }
      if (actors.every((a) => a.getSnapshot().status !== 'active')) {
        hung = false;
        break;
      }
      if (s.count() > 0) continue;
      const due = nextDue(clock);
      if (due === undefined) {
        // Nothing scheduled and no timer: on SQLite the race is stuck. A network store may still
        // wake a waiter on its own (a NOTIFY, a poll on the real clock): give it real time first.
        if (store.busy === undefined || idleWaits++ >= NETWORK_WAKE_GRACE_STEPS) break;
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      idleWaits = 0;
      clock.set(Math.max(due, clock.now()));
    }
    for (const a of actors) if (a.getSnapshot().status === 'active') a.stop();
    return { runs: traces, turns: await store.listTurns(RACE_SESSION), log, hung };
  } finally {
    await store.close();
  }
}
