import type { AnyActorRef, SimulatedClock } from 'xstate';

/** Lets every promise chain that is ready run (provider answers, store calls, actor reactions). */
export async function settle(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
}

/** The earliest pending timer of a SimulatedClock (its timers map is public in xstate's build). */
export function nextDue(clock: SimulatedClock): number | undefined {
  const timers = (clock as unknown as { timeouts: Map<number, { start: number; timeout: number }> }).timeouts;
  let due: number | undefined;
  for (const t of timers.values()) if (due === undefined || t.start + t.timeout < due) due = t.start + t.timeout;
  return due;
}

export interface DriveResult {
  /** The actor did not reach a final state: simulated time ran past `giveUpAt`, no timer was left, or it ran away. */
  hung: boolean;
  steps: number;
}

/**
 * Runs an actor to its end on simulated time: let promises settle, then jump the clock to the
 * next timer only (SimulatedClock.increment would fire several timers at the final time, before
 * the promises between them settle), and again, until the actor is done. `busy` tells of work
 * the settle step cannot see finish (a statement on its way to a server).
 */
export async function driveToEnd(
  actor: AnyActorRef,
  clock: SimulatedClock,
  giveUpAt: number,
  runaway: () => boolean = () => false,
  maxSteps = 20_000,
  busy: () => boolean = () => false,
): Promise<DriveResult> {
  for (let steps = 0; steps < maxSteps; steps++) {
    await settle();
    // a store over a network (PostgreSQL) answers in real time: simulated time waits for it
    while (busy()) {
      await new Promise((r) => setTimeout(r, 1));
      await settle();
    }
    if (actor.getSnapshot().status !== 'active') return { hung: false, steps };
    // A broken engine can loop without time passing; stop it long before it gets slow.
    if (runaway()) return { hung: true, steps };
    const due = nextDue(clock);
    if (due === undefined || due > giveUpAt) return { hung: true, steps };
    clock.set(Math.max(due, clock.now()));
  }
  return { hung: true, steps: maxSteps };
}
