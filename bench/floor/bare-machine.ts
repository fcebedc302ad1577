import { assign, createActor, fromPromise, setup, toPromise } from 'xstate';

/** The floor's run I/O, called by the bare machine's invoked actors. */
export interface BareWork {
  /** Provider calls the run makes; the last one ends it. */
  readonly calls: number;
  open(): Promise<void>;
  /** Call `index` (0-based): true when it answered. */
  call(index: number): Promise<boolean>;
  persist(): Promise<void>;
  close(): Promise<void>;
}

/** The engine's attempt timeout (DEFAULT_POLICY.attemptTimeoutMs): the same timer is armed per call. */
const ATTEMPT_TIMEOUT_MS = 120_000;

/**
 * The machine work of a run with nothing else: the engine machine's states and transitions for
 * the paths the cases take (opening → escalatingModel → attempting → deciding → escalatingModel
 * → … → lockedPersist or closing), one invoked promise actor per effect, the attempt timer
 * armed per call, and no policy, events, decisions or logging. The actors are provided once, as
 * the engine's are; a run finds its I/O in its input.
 */
const bareMachine = setup({
  types: {
    input: {} as BareWork,
    context: {} as { work: BareWork; callIndex: number; ok: boolean },
    output: {} as 'succeeded' | 'failed',
  },
  actors: {
    open: fromPromise<void, BareWork>(({ input }) => input.open()),
    call: fromPromise<boolean, { work: BareWork; index: number }>(({ input }) => input.work.call(input.index)),
    persist: fromPromise<void, BareWork>(({ input }) => input.persist()),
    close: fromPromise<void, BareWork>(({ input }) => input.close()),
  },
  guards: {
    hasCandidate: ({ context }) => context.callIndex < context.work.calls,
    callSucceeded: (_, params: { ok: boolean }) => params.ok,
  },
  delays: { attemptTimeout: ATTEMPT_TIMEOUT_MS },
}).createMachine({
  id: 'bare',
  context: ({ input }) => ({ work: input, callIndex: 0, ok: false }),
  initial: 'opening',
  states: {
    opening: { invoke: { src: 'open', input: ({ context }) => context.work, onDone: 'escalatingModel' } },
    escalatingModel: {
      always: [{ guard: 'hasCandidate', target: 'attempting' }, { target: 'closing' }],
    },
    attempting: {
      invoke: {
        src: 'call',
        input: ({ context }) => ({ work: context.work, index: context.callIndex }),
        onDone: [
          {
            guard: { type: 'callSucceeded', params: ({ event }) => ({ ok: event.output }) },
            target: 'lockedPersist',
            actions: assign({ ok: true }),
          },
          { target: 'deciding', actions: assign({ callIndex: ({ context }) => context.callIndex + 1 }) },
        ],
      },
      after: { attemptTimeout: 'deciding' },
    },
    deciding: { always: 'escalatingModel' },
    lockedPersist: { invoke: { src: 'persist', input: ({ context }) => context.work, onDone: 'succeeded' } },
    closing: { invoke: { src: 'close', input: ({ context }) => context.work, onDone: 'failed' } },
    succeeded: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }): 'succeeded' | 'failed' => (context.ok ? 'succeeded' : 'failed'),
});

/** Runs the bare machine over `work` to its end; resolves with how it ended. */
export function runBare(work: BareWork): Promise<'succeeded' | 'failed'> {
  const actor = createActor(bareMachine, { input: work });
  actor.start();
  return toPromise(actor);
}
