import { randomUUID } from 'node:crypto';
import { createActor, fromPromise, type ActorOptions, type ActorSystem } from 'xstate';
import { runMachine } from '../machines/run.machine.js';
import type {
  CallProviderInput,
  CallProviderOutput,
  OpenSessionInput,
  OpenSessionOutput,
  PersistTurnInput,
  PersistTurnOutput,
} from '../machines/run-types.js';
import { classifyError, createClassifier } from './classify/index.js';
import type { Classifier } from './classify/types.js';
import { validateRunOptions } from './config/validate-run-options.js';
import { isLlmFailoverError } from './errors.js';
import type { RunEventBus } from './events.js';
import { RunAbortedError } from './run-errors.js';
import { startHeartbeat } from './lease-heartbeat.js';
import type { PolicyOverrides } from './policy/run-policy.js';
import { bridgeRunEvents } from './run-events-bridge.js';
import { systemClock, type Logger, type RunClock } from './runtime.js';
import { defaultStore } from './default-store.js';
import type { Lease, SessionStore } from './store/types.js';
import type { CallFn, CallRequest, Message, Turn } from './types.js';

export interface RunActorOptions {
  /** The conversation this run belongs to; runs on one session are serialised by its lease. */
  sessionId: string;
  /** The run's new message(s), appended to the session with the reply. */
  messages: Message[];
  /** Candidates in order of preference, each `"provider/model"`. */
  chain: string[];
  /** Auth profile ids per provider, tried in order. Default: one profile `${provider}:default`. */
  profiles?: Record<string, string[]>;
  /** Makes one provider call. May throw anything; `{ status, headers, body }` is read as an HTTP error. */
  call: CallFn;
  /** Default: one in-memory SQLite store shared by every run of this process. */
  store?: SessionStore;
  policy?: PolicyOverrides;
  /** Default: the system clock. Pass XState's SimulatedClock in tests. */
  clock?: RunClock;
  /** A pino logger (or compatible). Decisions at info, attempts at debug. Default: silent. */
  logger?: Logger;
  /** XState inspection (e.g. `createBrowserInspector().inspect`, or any observer). Off by default. */
  inspect?: ActorOptions<typeof runMachine>['inspect'];
  /** Aborting it stops the run and its in-flight call; nothing is persisted. */
  signal?: AbortSignal;
  /** A bus that receives the events of every run it is given to. */
  events?: RunEventBus;
  /** Your classifier; return undefined to fall back to classifyError. */
  classify?: Classifier;
  /** Default: a random UUID. */
  runId?: string;
  /** Pass text deltas to the host as they arrive (`reply.delta` events). */
  stream?: boolean;
}

export type RunActor = ReturnType<typeof createRunActor>;

/** The I/O of one run, found through its actor system so the machine is provided once, not per run. */
interface RunEffects {
  openSession(signal: AbortSignal): Promise<OpenSessionOutput>;
  callProvider(input: CallProviderInput, signal: AbortSignal): Promise<CallProviderOutput>;
  persistTurn(input: PersistTurnInput): Promise<PersistTurnOutput>;
}

const effectsBySystem = new WeakMap<ActorSystem<any>, RunEffects>();
const effectsOf = (system: ActorSystem<any>): RunEffects => {
  const effects = effectsBySystem.get(system);
  if (!effects) throw new Error('run effects missing: create runs with createRunActor()');
  return effects;
};

const asMessage = (turn: Turn): Message => ({ role: turn.role, content: turn.content });

const engineMachine = runMachine.provide({
  actors: {
    openSession: fromPromise<OpenSessionOutput, OpenSessionInput>(({ system, signal }) => effectsOf(system).openSession(signal)),
    callProvider: fromPromise<CallProviderOutput, CallProviderInput>(({ input, system, signal }) => effectsOf(system).callProvider(input, signal)),
    persistTurn: fromPromise<PersistTurnOutput, PersistTurnInput>(({ input, system }) => effectsOf(system).persistTurn(input)),
  },
});

/**
 * Creates the actor of one run. Start it, then `await toPromise(actor)` for
 * `{ status: 'succeeded', reply, servedBy, attempts, decisions }` or `{ status: 'failed', error, ... }`.
 * Throws ConfigError naming the bad field when options are invalid.
 */
export function createRunActor(options: RunActorOptions) {
  const { sessionId, messages, chain, policy } = validateRunOptions(options);
  const clock = options.clock ?? systemClock;
  const store = options.store ?? defaultStore();
  const runId = options.runId ?? randomUUID();
  const providers = [...new Set(chain.map((c) => c.provider))];
  const logger = options.logger?.child ? options.logger.child({ runId, sessionId }) : options.logger;
  let lease: Lease | undefined;
  let stopHeartbeat: (() => void) | undefined;
  let ended = false;
  const startedAt = clock.now();

  // A host classifier that throws or answers nonsense is skipped, never fatal.
  const classifier = options.classify ? createClassifier(options.classify) : classifyError;
  const now = () => clock.now();

  const openSession = async (signal: AbortSignal): Promise<OpenSessionOutput> => {
    const openedAt = clock.now();
    const opened = await store.openRun({
      runId,
      sessionId,
      now: openedAt,
      leaseTtlMs: policy.leaseTtlMs,
      // The wait for a busy session is part of the run: it never outlasts the deadline.
      lockWaitMs: Math.max(0, Math.min(policy.lockWaitMs, startedAt + policy.deadlineMs - openedAt)),
      providers,
      signal,
    });
    if (signal.aborted || ended) {
      // The run ended (an abort) while the lease was being granted: hand the session back now,
      // or it would stay leased with nobody left to release it.
      store.failRun(opened.lease, {
        runId,
        sessionId,
        status: 'aborted',
        errorCode: 'RUN_ABORTED',
        errorMessage: 'aborted while taking the session lease',
        attempts: [],
        now: clock.now(),
      });
      throw new RunAbortedError(runId, [], 'aborted while taking the session lease');
    }
    lease = opened.lease;
    stopHeartbeat = startHeartbeat(clock, Math.max(1, Math.floor(policy.leaseTtlMs / 3)), () => {
      try {
        lease = store.renewLease(lease!, clock.now(), policy.leaseTtlMs);
      } catch (error) {
        if (!(isLlmFailoverError(error) && error.code === 'LEASE_LOST')) {
          // A busy or flaky database: the lease holds until it expires, so try again next beat.
          logger?.warn({ err: error }, 'could not renew the session lease; retrying at the next beat');
          return;
        }
        actor.send({ type: 'run.leaseLost', error });
        throw error;
      }
    });
    // Providers get { role, content } only; the SQLite store keeps those views ready per session.
    return { history: opened.messages ?? opened.history.map(asMessage), cooldowns: opened.cooldowns, at: clock.now() };
  };

  const callProvider = async (input: CallProviderInput, signal: AbortSignal): Promise<CallProviderOutput> => {
    const startedAt = clock.now();
    let deltas = 0;
    const req: CallRequest = { runId, sessionId, ...input, signal };
    if (options.stream) {
      req.onDelta = (text: string) => {
        // A call already cut (timeout, abort) must not leak text into the next attempt.
        if (signal.aborted || typeof text !== 'string' || text === '') return;
        deltas++;
        actor.send({ type: 'reply.delta', text });
      };
    }
    try {
      const result = await options.call(req);
      if (typeof result?.content !== 'string') throw new TypeError('call() resolved without a string `content`');
      return { ok: true, content: result.content, at: clock.now(), durationMs: clock.now() - startedAt };
    } catch (err) {
      // The host's own wiring is wrong (e.g. no model for a chain entry): no provider state to learn, say so.
      if (isLlmFailoverError(err) && err.code === 'CONFIG_INVALID') throw err;
      let failure = classifier(err, { provider: input.provider, now });
      if (deltas > 0 && failure.reason !== 'aborted') {
        failure = { ...failure, reason: 'interrupted', scope: 'model', retryable: false, message: `stream broke after ${deltas} delta(s): ${failure.message}` };
      }
      let cooldowns;
      try {
        cooldowns = store.activeCooldowns(providers, clock.now());
      } catch (readError) {
        logger?.warn({ err: readError }, 'could not re-read cooldowns; deciding on the last known ones');
      }
      return { ok: false, failure, at: clock.now(), durationMs: clock.now() - startedAt, ...(cooldowns ? { cooldowns } : {}) };
    }
  };

  const persistTurn = async (input: PersistTurnInput): Promise<PersistTurnOutput> => {
    const { turns } = store.commitRun(lease!, {
      runId,
      messages,
      reply: { role: 'assistant', content: input.reply },
      servedBy: input.servedBy,
      attempts: input.attempts,
      now: clock.now(),
    });
    return { turns: turns.length, at: clock.now() };
  };

  const actor = createActor(engineMachine, {
    input: { runId, sessionId, chain, messages, policy, startedAt },
    clock,
    ...(options.inspect ? { inspect: options.inspect } : {}),
  });

  effectsBySystem.set(actor.system, { openSession, callProvider, persistTurn });

  const forward = bridgeRunEvents(options.events, logger);
  actor.on('*', (event) => {
    forward(event);
    try {
      if (event.type === 'cooldown.set') store.putCooldown(event.cooldown);
      else if (event.type === 'cooldown.cleared') store.clearCooldowns(event.keys);
    } catch (err) {
      // Cooldowns speed up other runs; failing to share one must not fail this run.
      logger?.warn({ err, eventType: event.type }, 'could not write cooldown');
    }
  });

  const onAbort = () => actor.send({ type: 'run.abort', reason: String(options.signal?.reason ?? 'aborted') });
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const finish = (error?: unknown) => {
    ended = true;
    stopHeartbeat?.();
    options.signal?.removeEventListener('abort', onAbort);
    const snapshot = actor.getSnapshot();
    const output = snapshot.output;
    // Succeeded: the commit released the lease. No lease: nothing was recorded to close.
    if (!lease || output?.status === 'succeeded') return;
    // No output and no error: the host stopped the actor mid-run; the session must still be let go.
    const failure = error ?? output?.error ?? new RunAbortedError(runId, snapshot.context.attempts, 'stopped by the host');
    const code = (failure as { code?: string }).code ?? 'UNKNOWN';
    // A lost lease keeps its orphaned reply on the run row; recording a failure would overwrite it.
    if (code === 'LEASE_LOST') return;
    try {
      store.failRun(lease, {
        runId,
        sessionId,
        status: code === 'RUN_ABORTED' ? 'aborted' : 'failed',
        errorCode: code,
        errorMessage: failure instanceof Error ? failure.message : String(failure),
        attempts: output?.attempts ?? snapshot.context.attempts,
        now: clock.now(),
      });
    } catch (err) {
      logger?.error({ err }, 'could not record the failed run');
    }
  };
  // Always observed: an unobserved actor error is rethrown from a timer and would crash the host.
  actor.subscribe({ complete: () => finish(), error: (err) => finish(err) });
  return actor;
}
