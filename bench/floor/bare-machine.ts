import { assign, createActor, setup, toPromise } from 'xstate';

/** The floor's run I/O, started by the bare machine's entry actions. */
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

type BareEvent = { type: 'open.done' } | { type: 'call.done'; ok: boolean } | { type: 'call.timeout' } | { type: 'persist.done' } | { type: 'close.done' };

/**
 * The machine work of a run with nothing else: the engine machine's states and transitions for
 * the paths the cases take (opening → escalatingModel → attempting → escalatingModel → … →
 * lockedPersist or closing: a failed answer goes straight on, as the engine's does), each effect
 * started by an entry action and answered by an event (as the engine's, src/effect-action.ts),
 * the attempt's time limit armed per call on a timer and disarmed by its answer (as the engine's
 * effect arms it, instead of an XState `after`), and no policy, events, decisions, logging, or
 * cutting of an effect whose state is left. A run finds its I/O in its input.
 */
const bareMachine = setup({
  types: {
    input: {} as BareWork,
    context: {} as { work: BareWork; callIndex: number; ok: boolean },
    events: {} as BareEvent,
    output: {} as 'succeeded' | 'failed',
  },
  actions: {
    open: ({ context, self }) => void context.work.open().then(() => self.send({ type: 'open.done' })),
    call: ({ context, self }) => {
      const timer = setTimeout(() => self.send({ type: 'call.timeout' }), ATTEMPT_TIMEOUT_MS);
      void context.work.call(context.callIndex).then((ok) => {
        clearTimeout(timer);
        self.send({ type: 'call.done', ok });
      });
    },
    persist: ({ context, self }) => void context.work.persist().then(() => self.send({ type: 'persist.done' })),
    close: ({ context, self }) => void context.work.close().then(() => self.send({ type: 'close.done' })),
  },
  guards: {
    hasCandidate: ({ context }) => context.callIndex < context.work.calls,
    callSucceeded: (_, params: { ok: boolean }) => params.ok,
  },
}).createMachine({
  id: 'bare',
  context: ({ input }) => ({ work: input, callIndex: 0, ok: false }),
  initial: 'opening',
  states: {
    opening: { entry: 'open', on: { 'open.done': 'escalatingModel' } },
    escalatingModel: {
      always: [{ guard: 'hasCandidate', target: 'attempting' }, { target: 'closing' }],
    },
    attempting: {
      entry: 'call',
      on: {
        'call.done': [
          {
            guard: { type: 'callSucceeded', params: ({ event }) => ({ ok: event.ok }) },
            target: 'lockedPersist',
            actions: assign({ ok: true }),
          },
          { target: 'escalatingModel', actions: assign({ callIndex: ({ context }) => context.callIndex + 1 }) },
        ],
        'call.timeout': { target: 'escalatingModel', actions: assign({ callIndex: ({ context }) => context.callIndex + 1 }) },
      },
    },
    lockedPersist: { entry: 'persist', on: { 'persist.done': 'succeeded' } },
    closing: { entry: 'close', on: { 'close.done': 'failed' } },
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
