import type {
  CallProviderInput,
  CallProviderOutput,
  CloseRunInput,
  CloseRunOutput,
  OpenSessionOutput,
  PersistTurnInput,
  PersistTurnOutput,
  RunCommand,
  RunOutput,
} from '../machines/run-types.js';
import { classifyError, createClassifier } from './classify/index.js';
import { isLlmFailoverError, type LlmFailoverError } from './errors.js';
import type { RunEvent } from './events.js';
import { startHeartbeat, type BeatResult } from './lease-heartbeat.js';
import type { RunPolicy } from './policy/run-policy.js';
import type { RunActorOptions } from './run-actor-options.js';
import { RunAbortedError } from './run-errors.js';
import type { Logger, RunClock } from './runtime.js';
import { storeCall } from './store-call.js';
import { wellFormed } from './store/text-checks.js';
import type { FailRunArgs, Lease, RunStore } from './store/types.js';
import type { AttemptRecord, CallRequest, Message, Turn } from './types.js';

export interface RunEffectsContext {
  runId: string;
  sessionId: string;
  messages: readonly Message[];
  policy: Readonly<RunPolicy>;
  providers: readonly string[];
  startedAt: number;
  clock: RunClock;
  store: RunStore;
  logger: Logger | undefined;
  options: Pick<RunActorOptions, 'call' | 'classify' | 'stream'>;
  /** Sends a command to the run's actor (lease lost, stream deltas). */
  send: (command: RunCommand) => void;
  /** The run's end as the actor saw it, read once when the run finishes. */
  end: () => { output: RunOutput | undefined; attempts: readonly AttemptRecord[] };
}

const asMessage = (turn: Turn): Message => ({ role: turn.role, content: turn.content });
const settled = (p: Promise<unknown> | undefined): Promise<unknown> => (p ?? Promise.resolve()).then(
  () => undefined,
  () => undefined,
);
const codeOf = (e: unknown): string | undefined => (isLlmFailoverError(e) ? e.code : undefined);
/** The cooldowns re-read after a failure inform the next decision; a slow database must not hold it up. */
const COOLDOWN_READ_WAIT_MS = 1_000;

/**
 * The I/O of one run: what the machine's invoked actors do (take the session, call the
 * provider, persist, close a failed run), and letting go of the session when a host stops the
 * actor. Holds the run's lease and renews it.
 */
export function createRunEffects(c: RunEffectsContext) {
  const { runId, sessionId, messages, policy, providers, startedAt, clock, store, logger, options, send, end } = c;
  const call = storeCall(store);
  let lease: Lease | undefined;
  let stopHeartbeat: (() => void) | undefined;
  /** The machine is closing the run (or the host stopped it): no new lease, no new call. */
  let ending = false;
  /** The run's rows are closed (committed, or closeRun/finish recorded the failure). */
  let closed = false;
  let opening: Promise<unknown> | undefined;
  /** The commit under way, if any: a run stopped meanwhile waits for it before closing its rows. */
  let committing: Promise<unknown> | undefined;
  /** closeRun (or finish) has taken on closing the run. */
  let closer = false;
  /** The reply of a commit under way (or failed): kept as an orphan if the run is stopped. */
  let pendingReply: FailRunArgs['uncommitted'];
  /** The lease is gone (taken over, or the store was closed): the run ends at its next step. */
  let lostLease: LlmFailoverError | undefined;
  let lostSent = false;
  /** The provider call the run is waiting for: a lease lost meanwhile lets it answer first. */
  let liveCall: AbortSignal | undefined;

  // A host classifier that throws or answers nonsense is skipped, never fatal.
  const classifier = options.classify ? createClassifier(options.classify) : classifyError;
  const now = () => clock.now();
  const beatMs = Math.max(1, Math.floor(policy.leaseTtlMs / 3));

  /**
   * Ends the run for a lost lease, but not while a provider call is in flight: a reply that
   * arrives is worth keeping (the commit then keeps it as an orphan), and the call is bounded by
   * its timeout anyway.
   */
  const sendLostIfIdle = () => {
    if (!lostLease || lostSent || liveCall || ending) return;
    lostSent = true;
    send({ type: 'run.leaseLost', error: lostLease });
  };
  const leaseGone = (error: LlmFailoverError) => {
    lostLease ??= error;
    stopHeartbeat?.();
    const call = liveCall;
    // A call that answers hands its outcome to the machine (a reply goes on to the commit, a
    // failure throws the lost lease). One the machine cuts has no outcome to wait for: the run
    // ends once the transition under way is done. (Listened to only now: rare, and not free.)
    if (call && !call.aborted) {
      call.addEventListener(
        'abort',
        () => {
          if (liveCall === call) liveCall = undefined;
          queueMicrotask(sendLostIfIdle);
        },
        { once: true },
      );
    }
    sendLostIfIdle();
  };

  const beat = async (): Promise<BeatResult> => {
    try {
      // a busy database may hold the renewal up to the next beat, not beyond: the beats never overlap
      lease = await call('renewing a lease', () => store.renewLease(lease!, clock.now(), policy.leaseTtlMs, { maxWaitMs: beatMs }));
      return 'renewed';
    } catch (error) {
      if (codeOf(error) === 'LEASE_LOST' || codeOf(error) === 'STORE_CLOSED') {
        leaseGone(error as LlmFailoverError);
        return 'stop';
      }
      // A busy or flaky database: the lease holds until it expires, so try again soon.
      logger?.warn({ err: error }, 'could not renew the session lease; retrying');
      return 'retry';
    }
  };

  const openSession = async (signal: AbortSignal): Promise<OpenSessionOutput> => {
    const openedAt = clock.now();
    const pending = call('taking the session lease', () =>
      store.openRun({
        runId,
        sessionId,
        now: openedAt,
        leaseTtlMs: policy.leaseTtlMs,
        // The wait for a busy session is part of the run: it never outlasts the deadline.
        lockWaitMs: Math.max(0, Math.min(policy.lockWaitMs, startedAt + policy.deadlineMs - openedAt)),
        providers,
        signal,
        // the store was closed under the run: its row is closed and the session let go already
        onRevoked: leaseGone,
      }),
    );
    opening = pending;
    let opened;
    try {
      opened = await pending;
    } finally {
      opening = undefined;
    }
    lease = opened.lease;
    // The run ended (an abort) while the lease was being granted: closeRun (or finish) hands it back.
    if (signal.aborted || ending) throw new RunAbortedError(runId, [], 'aborted while taking the session lease');
    stopHeartbeat = startHeartbeat(clock, beatMs, beat);
    // Providers get { role, content } only; the SQLite store keeps those views ready per session.
    return { history: opened.messages ?? opened.history.map(asMessage), cooldowns: opened.cooldowns, at: clock.now() };
  };

  const callProvider = async (input: CallProviderInput, signal: AbortSignal): Promise<CallProviderOutput> => {
    // The lease went while the run waited (a backoff): no new call for a session it no longer holds.
    if (lostLease) throw lostLease;
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
    liveCall = signal;
    try {
      const result = await options.call(req);
      if (typeof result?.content !== 'string') throw new TypeError('call() resolved without a string `content`');
      // SQLite cannot store a lone surrogate: the reply is made well-formed here, so the output,
      // the session and every history cache hold the same text.
      return { ok: true, content: wellFormed(result.content), at: clock.now(), durationMs: clock.now() - startedAt };
    } catch (err) {
      // The host's own wiring is wrong (e.g. no model for a chain entry): no provider state to learn, say so.
      if (isLlmFailoverError(err) && err.code === 'CONFIG_INVALID') throw err;
      // The lease went during the call, which failed: nothing to keep, the run ends.
      if (lostLease) throw lostLease;
      let failure = classifier(err, { provider: input.provider, now });
      // Only this wiring knows text already reached the host, so it (not the classifier) says 'interrupted'.
      if (deltas > 0 && failure.reason !== 'aborted') {
        failure = { ...failure, reason: 'interrupted', scope: 'model', retryable: false, message: `stream broke after ${deltas} delta(s): ${failure.message}` };
      }
      let cooldowns;
      try {
        cooldowns = await call('reading cooldowns', () => store.activeCooldowns(providers, clock.now(), { maxWaitMs: COOLDOWN_READ_WAIT_MS }));
      } catch (readError) {
        logger?.warn({ err: readError }, 'could not re-read cooldowns; deciding on the last known ones');
      }
      return { ok: false, failure, at: clock.now(), durationMs: clock.now() - startedAt, ...(cooldowns ? { cooldowns } : {}) };
    } finally {
      if (liveCall === signal) liveCall = undefined;
    }
  };

  const persistTurn = async (input: PersistTurnInput): Promise<PersistTurnOutput> => {
    const at = clock.now();
    pendingReply = { messages, reply: { role: 'assistant', content: input.reply }, servedBy: input.servedBy };
    const pending = call('committing the run', () =>
      store.commitRun(lease!, {
        runId,
        messages,
        reply: { role: 'assistant', content: input.reply },
        servedBy: input.servedBy,
        attempts: input.attempts,
        decisions: input.decisions,
        now: at,
        // The commit carries a reply the provider already gave: it may wait for a busy
        // database as long as a run may wait for its session, deadline or not.
        maxWaitMs: policy.lockWaitMs,
      }),
    );
    committing = pending;
    let turns;
    try {
      ({ turns } = await pending);
    } finally {
      committing = undefined;
    }
    closed = true;
    pendingReply = undefined;
    stopHeartbeat?.();
    return { turns: turns.length, at };
  };

  /** One transaction closing the failed run; with a reply that is not committed, kept as an orphan when the store can. */
  const recordFailure = async (error: unknown, attempts: readonly AttemptRecord[], decisions: CloseRunInput['decisions'], uncommitted?: FailRunArgs['uncommitted']) => {
    const code = codeOf(error) ?? 'UNKNOWN';
    const args: FailRunArgs = {
      runId,
      sessionId,
      status: code === 'RUN_ABORTED' ? 'aborted' : 'failed',
      errorCode: code,
      errorMessage: error instanceof Error ? error.message : String(error),
      attempts,
      decisions,
      now: clock.now(),
      maxWaitMs: policy.lockWaitMs,
      ...(uncommitted ? { uncommitted } : {}),
    };
    try {
      await call('recording the failed run', () => store.failRun(lease, args));
      return uncommitted ? 'orphan' : undefined;
    } catch (err) {
      logger?.error({ err }, uncommitted ? 'could not keep the uncommitted reply in the store; it is in the output' : 'could not record the failed run');
      const retryable = uncommitted && codeOf(err) !== 'STORE_BUSY' && codeOf(err) !== 'STORE_CLOSED';
      // A full disk may refuse the reply yet take the much smaller row update that frees the session.
      if (retryable) {
        try {
          await call('recording the failed run', () => store.failRun(lease, { ...args, uncommitted: undefined }));
        } catch (again) {
          logger?.error({ err: again }, 'could not record the failed run; its lease is left to expire');
        }
      }
      return uncommitted ? 'output' : undefined;
    }
  };

  const closeRun = async (input: CloseRunInput): Promise<CloseRunOutput> => {
    ending = true;
    closer = true;
    stopHeartbeat?.();
    // A lease being granted right now is handed back here, not left behind.
    await settled(opening);
    if (!lease || closed) return { at: clock.now() };
    closed = true;
    const uncommitted = input.uncommitted && { messages, reply: { role: 'assistant' as const, content: input.uncommitted.reply }, servedBy: input.uncommitted.servedBy };
    // A commit that found the lease taken over already kept the reply as an orphan.
    const keptByCommit = codeOf(input.error) === 'LEASE_LOST' && input.uncommitted !== undefined;
    const kept = await recordFailure(input.error, input.attempts, input.decisions, uncommitted);
    return { at: clock.now(), ...(input.uncommitted ? { replyKeptIn: keptByCommit ? 'orphan' : (kept ?? 'output') } : {}) };
  };

  /**
   * The actor is done. Normally closeRun or the commit closed the run already; a host's stop()
   * mid-run skipped both, so the session is let go here, in the background (and a commit still
   * under way is let finish, its reply kept as an orphan if it fails).
   */
  const finish = (error?: unknown) => {
    ending = true;
    stopHeartbeat?.();
    if (closed || closer) return;
    closer = true;
    const release = () => {
      if (!lease || closed) return;
      closed = true;
      const { output, attempts } = end();
      const failure = error ?? (output?.status === 'failed' ? output.error : new RunAbortedError(runId, attempts, 'stopped by the host'));
      void recordFailure(failure, output?.attempts ?? attempts, output?.decisions ?? [], pendingReply);
    };
    // Nothing under way: release in this very turn, so a run started right after finds the session free.
    const underWay = opening ?? committing;
    if (!underWay) release();
    else void Promise.all([settled(opening), settled(committing)]).then(release);
  };

  /** The machine declares cooldowns as events; every run and process learns them from the store. */
  const shareCooldowns = (event: RunEvent): void => {
    const write =
      event.type === 'cooldown.set'
        ? call('writing a cooldown', () => store.putCooldown(event.cooldown, { maxWaitMs: policy.lockWaitMs }))
        : event.type === 'cooldown.cleared'
          ? call('clearing cooldowns', () => store.clearCooldowns(event.keys, { maxWaitMs: policy.lockWaitMs }))
          : undefined;
    // Cooldowns speed up other runs; failing to share one must not fail this run.
    write?.catch((err: unknown) => logger?.warn({ err, eventType: event.type }, 'could not write cooldown'));
  };

  return { openSession, callProvider, persistTurn, closeRun, shareCooldowns, finish };
}

export type RunEffects = ReturnType<typeof createRunEffects>;
