import type { ActorSystem, AnyActorRef, PromiseActorLogic } from 'xstate';

/**
 * The cut of one invoked effect: aborted when the machine stops the effect's actor (it left the
 * state: a timeout, an abort, the deadline). Its AbortSignal is made only when something reads
 * `signal`: Node's AbortController is costly to make and to collect (several µs, mostly GC),
 * XState's `fromPromise` made one per invoked actor, and most effects (an answered call whose
 * host never looks at `req.signal`, a commit, a close) end without anyone using it.
 */
export class EffectCut {
  #controller: AbortController | undefined;
  #stopped = false;

  /** Whether the effect was cut, without making a signal to say so. */
  get aborted(): boolean {
    return this.#stopped;
  }

  /** The signal aborted when the effect is cut: already aborted if it was before it is first read. */
  get signal(): AbortSignal {
    let controller = this.#controller;
    if (controller === undefined) {
      controller = this.#controller = new AbortController();
      if (this.#stopped) controller.abort();
    }
    return controller.signal;
  }

  /** The actor was stopped (called once, by the logic below). */
  cut(): void {
    this.#stopped = true;
    this.#controller?.abort();
  }
}

const RESOLVE = 'xstate.promise.resolve';
const REJECT = 'xstate.promise.reject';
const STOP = 'xstate.stop';

/** The cuts of effects under way, by actor, as `fromPromise` keeps its controllers. */
const cuts = new WeakMap<AnyActorRef, EffectCut>();

/** The system's relay, as `fromPromise` sends its outcome (internal to XState, absent from its types). */
type Relay = { _relay(source: AnyActorRef, target: AnyActorRef, event: { type: string; data: unknown }): void };

/**
 * XState's `fromPromise`, with an EffectCut instead of an AbortController: the same snapshots,
 * events and stop behaviour (a stopped actor's signal aborts, its promise's outcome is dropped).
 */
export function fromEffect<TOutput, TInput>(
  run: (args: { input: TInput; system: ActorSystem<any>; self: AnyActorRef; cut: EffectCut }) => PromiseLike<TOutput>,
): PromiseActorLogic<TOutput, TInput> {
  const logic: PromiseActorLogic<TOutput, TInput> = {
    transition: (state, event, scope) => {
      if (state.status !== 'active') return state;
      switch (event.type) {
        case RESOLVE:
          return { ...state, status: 'done', output: event.data as TOutput, input: undefined };
        case REJECT:
          return { ...state, status: 'error', error: event.data, input: undefined };
        case STOP: {
          cuts.get(scope.self)?.cut();
          cuts.delete(scope.self);
          return { ...state, status: 'stopped', input: undefined };
        }
        default:
          return state;
      }
    },
    start: (state, { self, system }) => {
      if (state.status !== 'active') return;
      const cut = new EffectCut();
      cuts.set(self, cut);
      Promise.resolve(run({ input: state.input as TInput, system, self, cut })).then(
        (data) => {
          if (self.getSnapshot().status !== 'active') return;
          cuts.delete(self);
          (system as unknown as Relay)._relay(self, self, { type: RESOLVE, data });
        },
        (data) => {
          if (self.getSnapshot().status !== 'active') return;
          cuts.delete(self);
          (system as unknown as Relay)._relay(self, self, { type: REJECT, data });
        },
      );
    },
    getInitialSnapshot: (_, input) => ({ status: 'active', output: undefined, error: undefined, input }),
    getPersistedSnapshot: (snapshot) => snapshot,
    restoreSnapshot: (snapshot: any) => snapshot,
  };
  return logic;
}
