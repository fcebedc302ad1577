import type { Actor, Observer, Subscription } from 'xstate';
import type { RunMachine } from '../machines/run.machine.js';
import type { RunCommand } from '../machines/run-types.js';
import { ConfigError } from './errors.js';

type EngineActor = Actor<RunMachine>;

/**
 * The actor of one run, as `createRunActor()` returns it: an XState actor (`start`, `subscribe`,
 * `on`, `getSnapshot`, `toPromise(actor)`, `waitFor(actor, ...)`) with three differences that keep
 * a host safe:
 *
 * - `send` takes the host's commands only (`{ type: 'run.abort', reason? }`); the engine's own
 *   events (stream deltas, a lost lease) stay internal.
 * - `stop()` ends the run the way `run.abort` does, so `await toPromise(actor)` still gives a
 *   `RunOutput` (failed, `RUN_ABORTED`) and the session lease is let go. Like an abort, it does not
 *   cut a commit already under way: the output then says what became of the reply.
 * - A listener given to `on` or `subscribe` that throws is reported (to `logger`, else as a
 *   process warning) and ignored, instead of being rethrown from a timer by XState, which would
 *   crash the host process.
 */
export interface RunActor extends Omit<EngineActor, 'send' | 'start' | 'stop'> {
  send(command: RunCommand): void;
  start(): RunActor;
  stop(): RunActor;
}

export interface RunActorHooks {
  /** Called once, by the first `start()`. */
  starting(): void;
  /** `stop()` before `start()`: the run must end without touching the store. */
  stoppingUnstarted(): void;
  /** A host listener or observer threw. */
  listenerThrew(err: unknown, where: string): void;
}

type Snapshot = ReturnType<EngineActor['getSnapshot']>;

/**
 * Turns the engine's actor into the host's RunActor, in place (it stays the same object, so
 * XState's `toPromise`, `waitFor` and the inspector see the actor they know). Returns the
 * original `send`, which the wiring keeps for the engine's own commands.
 */
export function toRunActor(actor: EngineActor, hooks: RunActorHooks): { runActor: RunActor; sendInternal: EngineActor['send'] } {
  const start = actor.start.bind(actor);
  const send = actor.send.bind(actor);
  const on = actor.on.bind(actor);
  const subscribe = actor.subscribe.bind(actor);
  let started = false;

  const guard = <A extends unknown[]>(where: string, fn: ((...args: A) => void) | undefined) =>
    fn &&
    ((...args: A) => {
      try {
        fn(...args);
      } catch (err) {
        hooks.listenerThrew(err, where);
      }
    });

  const runActor = actor as unknown as RunActor;
  Object.assign(actor, {
    start(): RunActor {
      // XState would restart an actor that has already ended; a run runs once.
      if (started) return runActor;
      started = true;
      hooks.starting();
      start();
      return runActor;
    },
    stop(): RunActor {
      if (actor.getSnapshot().status !== 'active') return runActor;
      if (!started) {
        hooks.stoppingUnstarted();
        send({ type: 'run.abort', reason: 'actor.stop() was called before start()' });
        runActor.start();
      } else {
        send({ type: 'run.abort', reason: 'actor.stop() was called' });
      }
      return runActor;
    },
    send(command: RunCommand): void {
      if (command?.type !== 'run.abort') {
        throw new ConfigError('event', `actor.send() takes { type: 'run.abort', reason? } only, got ${JSON.stringify(command?.type ?? command)}`);
      }
      send(command);
    },
    on(type: string, handler: (event: unknown) => void): Subscription {
      return on(type as '*', guard(`a listener of actor.on('${type}')`, handler)!);
    },
    subscribe(
      first?: Observer<Snapshot> | ((snapshot: Snapshot) => void),
      error?: (err: unknown) => void,
      complete?: () => void,
    ): Subscription {
      const o: Observer<Snapshot> = typeof first === 'object' && first !== null ? first : { next: first, error, complete };
      return subscribe({
        next: guard('an actor.subscribe observer (next)', o.next?.bind(o)),
        // Always present: XState rethrows an actor error from a timer when any observer has no `error`.
        error: guard('an actor.subscribe observer (error)', o.error?.bind(o)) ?? (() => undefined),
        complete: guard('an actor.subscribe observer (complete)', o.complete?.bind(o)),
      });
    },
  });
  return { runActor, sendInternal: send };
}
