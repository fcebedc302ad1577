import { createActor, SimulatedClock, type AnyStateMachine } from 'xstate';
import type { StatePath } from 'xstate/graph';
import type { EffectName } from '../../machines/run-types.js';
import { nextDue, settle } from '../property/harness/sim-driver.js';
import type { RunInput } from '../../machines/run-types.js';
import { serializeRun, type RunEv, type RunSnap } from './graph-model.js';
import { transitionName } from './transitions.js';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface Replay {
  /** Transitions the real actor took, named as in allTransitions. */
  taken: string[];
  /** Steps where the actor's state differed from the model's; empty when the path replays. */
  mismatches: string[];
}

/**
 * Plays a generated path on a real actor of the machine: the effects are fakes that stay
 * pending until the path says how they end (their `.done` or `.error` event), `after` events move a SimulatedClock to the next
 * timer, and commands are sent. After each step the actor must be where the model said.
 */
export async function replay(path: StatePath<RunSnap, RunEv>, machine: AnyStateMachine, input: RunInput): Promise<Replay> {
  const pending: Partial<Record<EffectName, Pending>> = {};
  const fake =
    (id: EffectName) =>
    ({ self }: { self: { send(event: unknown): void } }) => {
      pending[id] = { resolve: (output) => self.send({ type: `${id}.done`, output }), reject: (error) => self.send({ type: `${id}.error`, error }) };
    };
  const provided = machine.provide({
    actions: {
      openSession: fake('openSession'),
      callProvider: fake('callProvider'),
      claimProbe: fake('claimProbe'),
      persistTurn: fake('persistTurn'),
      closeRun: fake('closeRun'),
      executeTools: fake('executeTools'),
    },
  });
  const taken: string[] = [];
  const clock = new SimulatedClock();
  const actor = createActor(provided, {
    input,
    clock,
    inspect: (e) => {
      if (e.type !== '@xstate.microstep' || e.actorRef !== actor) return;
      for (const t of (e as unknown as { _transitions: Parameters<typeof transitionName>[0][] })._transitions) {
        const name = transitionName(t);
        if (name) taken.push(name);
      }
    },
  });
  actor.subscribe({ error: () => undefined });
  actor.start();
  const mismatches: string[] = [];
  for (const [i, step] of path.steps.entries()) {
    const e = step.event as unknown as { type: string; output?: unknown; error?: unknown };
    const done = /^(\w+)\.done$/.exec(e.type);
    const failed = /^(\w+)\.error$/.exec(e.type);
    if (done) pending[done[1] as keyof typeof pending]!.resolve(e.output);
    else if (failed) pending[failed[1] as keyof typeof pending]!.reject(e.error);
    else if (e.type.startsWith('xstate.after.')) clock.set(nextDue(clock)!);
    else if (!e.type.startsWith('xstate.')) actor.send(step.event);
    await settle();
    const want = serializeRun(step.state);
    const got = serializeRun(actor.getSnapshot() as RunSnap);
    if (got !== want) {
      mismatches.push(`step ${i} (${e.type}): model ${want}, actor ${got}`);
      break;
    }
  }
  actor.stop();
  return { taken, mismatches };
}
