import { Actor, type ActorOptions, type Observer, type Subscription } from 'xstate';
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
type EngineCommand = Parameters<EngineActor['send']>[0];

function guard<A extends unknown[]>(hooks: RunActorHooks, where: string, fn: ((...args: A) => void) | undefined) {
  return (
    fn &&
    ((...args: A) => {
      try {
        fn(...args);
      } catch (err) {
        hooks.listenerThrew(err, where);
      }
    })
  );
}

/** An event the run's actor emits, as its listeners get it. */
type EmittedEvent = Parameters<Parameters<EngineActor['on']>[1]>[0];

/**
 * The engine's actor as the host gets it: an XState `Actor` (so `toPromise`, `waitFor` and the
 * inspector see the actor they know) whose host-facing methods are overridden on the prototype.
 * A subclass rather than methods assigned per instance: a run in flight then holds no bound
 * copies and wrappers of start/send/on/subscribe (about a kilobyte per run).
 */
export class HostSafeRunActor<H extends RunActorHooks = RunActorHooks> extends Actor<RunMachine> {
  readonly #hooks: H;
  #started = false;
  /** The wiring's listener of every event (onEveryEventInternal). */
  #internal: ((event: EmittedEvent) => void) | undefined;
  /** Whether the host ever called `on`: from then on every event goes through XState's emit. */
  #hostListens = false;
  /** The wiring's listener as registered with XState, once the host listens too. */
  #registered: Subscription | undefined;

  constructor(logic: RunMachine, options: ActorOptions<RunMachine>, hooks: H) {
    super(logic, options);
    this.#hooks = hooks;
  }

  /** What the run's effects do and what this actor tells (the run's effects). */
  get hooks(): H {
    return this.#hooks;
  }

  override start(): this {
    // XState would restart an actor that has already ended; a run runs once.
    if (this.#started) return this;
    this.#started = true;
    this.#hooks.starting();
    super.start();
    return this;
  }

  override stop(): this {
    if (this.getSnapshot().status !== 'active') return this;
    if (!this.#started) {
      this.#hooks.stoppingUnstarted();
      super.send({ type: 'run.abort', reason: 'actor.stop() was called before start()' });
      this.start();
    } else {
      super.send({ type: 'run.abort', reason: 'actor.stop() was called' });
    }
    return this;
  }

  override send(command: RunCommand): void {
    if (command?.type !== 'run.abort') {
      throw new ConfigError('event', `actor.send() takes { type: 'run.abort', reason? } only, got ${JSON.stringify(command?.type ?? command)}`);
    }
    super.send(command);
  }

  /** The engine's own commands (stream deltas, a lost lease): not through the host's `send`. */
  sendInternal(command: EngineCommand): void {
    super.send(command);
  }

  override on<TType extends Parameters<EngineActor['on']>[0]>(type: TType, handler: (event: any) => void): Subscription {
    // no handler: XState refuses it (a TypeError here), as before
    if (!handler) return super.on(type, handler);
    this.#hostListens ||= this.#listenThroughXState();
    const hooks = this.#hooks;
    const where = `a listener of actor.on('${String(type)}')`;
    // one argument, as XState calls it: the generic guard's rest parameters made an array per event, and every run's events pass here
    return super.on(type, (event: unknown) => {
      try {
        handler(event);
      } catch (err) {
        hooks.listenerThrew(err, where);
      }
    });
  }

  /**
   * The wiring's own listener of every emitted event: called as given (it does not throw), not
   * wrapped, so a run holds no guard closure and label for it.
   */
  onEveryEventInternal(listener: (event: EmittedEvent) => void): Subscription {
    this.#internal = listener;
    return {
      unsubscribe: () => {
        if (this.#internal === listener) this.#internal = undefined;
        this.#registered?.unsubscribe();
      },
    };
  }

  /** The host listens too: the wiring's listener joins XState's (first, as it was given first). */
  #listenThroughXState(): true {
    if (this.#internal) this.#registered = super.on('*', this.#internal);
    return true;
  }

  /**
   * The one listener of the run's events while the host has none (most runs): the run's steps
   * give their events to it directly (machines/step-action.ts). XState's emit copies its
   * listeners into a new array for every event, to call this one listener (a run skipping 127
   * candidates emits 128 events). Undefined once the host listens: then XState's emit, in order.
   */
  get soleListener(): ((event: EmittedEvent) => void) | undefined {
    return this.#hostListens ? undefined : this.#internal;
  }

  /** The wiring's own observer: called as given (it does not throw), not wrapped. */
  observeInternal(observer: Observer<Snapshot>): Subscription {
    return super.subscribe(observer);
  }

  override subscribe(first?: Observer<Snapshot> | ((snapshot: Snapshot) => void), error?: (err: unknown) => void, complete?: () => void): Subscription {
    const o: Observer<Snapshot> = typeof first === 'object' && first !== null ? first : { next: first, error, complete };
    const hooks = this.#hooks;
    return super.subscribe({
      next: guard(hooks, 'an actor.subscribe observer (next)', o.next?.bind(o)),
      // Always present: XState rethrows an actor error from a timer when any observer has no `error`.
      error: guard(hooks, 'an actor.subscribe observer (error)', o.error?.bind(o)) ?? (() => undefined),
      complete: guard(hooks, 'an actor.subscribe observer (complete)', o.complete?.bind(o)),
    });
  }
}
