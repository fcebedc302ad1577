import type {
  CallProviderInput,
  CallProviderOutput,
  OpenSessionOutput,
  PersistTurnInput,
  PersistTurnOutput,
  EngineCommand,
  RunOutput,
} from '../machines/run-types.js';
import { classifyError, createClassifier } from './classify/index.js';
import { isLlmFailoverError } from './errors.js';
import type { RunEvent } from './events.js';
import { startHeartbeat } from './lease-heartbeat.js';
import type { RunPolicy } from './policy/run-policy.js';
import type { RunActorOptions } from './run-actor-options.js';
import { readCallError, WrongCallResult } from './host-error.js';
import { RunAbortedError } from './run-errors.js';
import type { Logger, RunClock } from './runtime.js';
import type { Lease, SessionStore } from './store/types.js';
import type { AttemptRecord, CallRequest, Message, Turn } from './types.js';

export interface RunEffectsContext {
  runId: string;
  sessionId: string;
  messages: readonly Message[];
  policy: Readonly<RunPolicy>;
  providers: readonly string[];
  startedAt: number;
  clock: RunClock;
  store: SessionStore;
  logger: Logger | undefined;
  options: Pick<RunActorOptions, 'call' | 'classify' | 'stream'>;
  /** Sends a command to the run's actor (lease lost, stream deltas). */
  send: (command: EngineCommand) => void;
  /** The run's end as the actor saw it, read once when the run finishes. */
  end: () => { output: RunOutput | undefined; attempts: readonly AttemptRecord[] };
}

const asMessage = (turn: Turn): Message => ({ role: turn.role, content: turn.content });

/** Whatever `call` threw (a Proxy whose traps throw included) is classified, never mistaken for a store failure. */
function isConfigError(err: unknown): boolean {
  try {
    return isLlmFailoverError(err) && err.code === 'CONFIG_INVALID';
  } catch {
    return false;
  }
}

/**
 * The I/O of one run: what the machine's invoked actors do (take the session, call the
 * provider, persist), and closing the run's records when it ends. Holds the run's lease.
 */
export function createRunEffects(c: RunEffectsContext) {
  const { runId, sessionId, messages, policy, providers, startedAt, clock, store, logger, options, send, end } = c;
  let lease: Lease | undefined;
  let stopHeartbeat: (() => void) | undefined;
  let ended = false;

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
        send({ type: 'run.leaseLost', error });
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
        send({ type: 'reply.delta', text });
      };
    }
    try {
      const result = await options.call(req);
      if (typeof result?.content !== 'string') throw new WrongCallResult(result);
      return { ok: true, content: result.content, at: clock.now(), durationMs: clock.now() - startedAt };
    } catch (err) {
      // The host's own wiring is wrong (e.g. no model for a chain entry): no provider state to learn, say so.
      if (isConfigError(err)) throw err;
      // The attempt's signal tells an AbortError of the host's own timeout (signal not aborted) from a cancel;
      // a bug in the host's own code is a host_error, named as such, not an outage to retry.
      let failure = readCallError(err, () => classifier(err, { provider: input.provider, now, signal }));
      // Only this wiring knows text already reached the host, so it (not the classifier) says 'interrupted'.
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

  const finish = (error?: unknown) => {
    ended = true;
    stopHeartbeat?.();
    const { output, attempts } = end();
    // Succeeded: the commit released the lease. No lease: nothing was recorded to close.
    if (!lease || output?.status === 'succeeded') return;
    // No output and no error: the host stopped the actor mid-run; the session must still be let go.
    const failure = error ?? output?.error ?? new RunAbortedError(runId, attempts, 'stopped by the host');
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
        attempts: output?.attempts ?? attempts,
        now: clock.now(),
      });
    } catch (err) {
      logger?.error({ err }, 'could not record the failed run');
    }
  };

  /** The machine declares cooldowns as events; every run and process learns them from the store. */
  const shareCooldowns = (event: RunEvent): void => {
    try {
      if (event.type === 'cooldown.set') store.putCooldown(event.cooldown);
      else if (event.type === 'cooldown.cleared') store.clearCooldowns(event.keys);
    } catch (err) {
      // Cooldowns speed up other runs; failing to share one must not fail this run.
      logger?.warn({ err, eventType: event.type }, 'could not write cooldown');
    }
  };

  return { openSession, callProvider, persistTurn, shareCooldowns, finish };
}

export type RunEffects = ReturnType<typeof createRunEffects>;
