import type {
  CallProviderInput,
  ClaimProbeInput,
  ClaimProbeOutput,
  CallProviderOutput,
  CloseRunInput,
  CloseRunOutput,
  ExecuteToolsInput,
  ExecuteToolsOutput,
  OpenSessionOutput,
  PersistTurnInput,
  PersistTurnOutput,
  EngineCommand,
  RunOutput,
} from '../machines/run-types.js';
import { classifyError, createClassifier } from './classify/index.js';
import { isLlmFailoverError } from './errors.js';
import type { RunEvent } from './events.js';
import type { RunPolicy } from './policy/run-policy.js';
import { recordRunFailure, type FailureRecordContext } from './record-run-failure.js';
import type { RunActorOptions } from './run-actor-options.js';
import { readCallResult, usageOfError } from './call-result.js';
import type { Classification, ClassifyContext } from './classify/types.js';
import { watchStream, type StreamWatchdog } from './stream-watchdog.js';
import { defineCallSignal, type SignalSource } from './call-signal.js';
import type { ParsedTools } from './config/parse-tools.js';
import { readCallError } from './host-error.js';
import { RunAbortedError } from './run-errors.js';
import { createRunLease, type RunLease } from './run-lease.js';
import type { EffectCut } from './effect-cut.js';
import { dropEffectTimer } from './effect-action.js';
import type { Logger, RunClock } from './runtime.js';
import { storeCall, storeWhere, toRunStoreError } from './store-call.js';
import type { OpenRunArgs, RunStore, UncommittedTurns, WaitOptions } from './store/types.js';
import { turnMessage } from './store/turn-rows.js';
import { createToolRunner } from './tool-execution.js';
import { forwardRunEvent } from './run-events-bridge.js';
import type { HostSafeRunActor, RunActorHooks } from './run-actor.js';
import type { AttemptRecord, CallRequest, CooldownEntry, CooldownKey, Message, ToolChoice } from './types.js';

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
  options: Pick<RunActorOptions, 'call' | 'classify' | 'stream' | 'signal' | 'events'>;
  /** The run's tools and tool choice, when it has tools. */
  tools: ParsedTools | undefined;
  toolChoice: ToolChoice | undefined;
}

const settled = (p: Promise<unknown> | undefined): Promise<unknown> => (p ?? Promise.resolve()).then(
  () => undefined,
  () => undefined,
);
/** The failed provider's cooldowns, re-read after a failure, inform the next decision; a slow database must not hold it up. */
const COOLDOWN_READ_WAIT_MS = 1_000;
const COOLDOWN_READ_WAIT: WaitOptions = Object.freeze({ maxWaitMs: COOLDOWN_READ_WAIT_MS });

/** Whatever `call` threw (a Proxy whose traps throw included) is classified, never mistaken for a store failure. */
function isConfigError(err: unknown): boolean {
  try {
    return isLlmFailoverError(err) && err.code === 'CONFIG_INVALID';
  } catch {
    return false;
  }
}

/** A cooldown write of a run (see shareCooldowns): a shared cooldown, cleared keys, or a probe claim released at `at`. */
type CooldownWrite = { set: CooldownEntry } | { clear: readonly CooldownKey[] } | { release: readonly CooldownKey[]; at: number };

/**
 * The I/O of one run: what the machine's effects do (take the session, call the
 * provider, persist, close a failed run), and letting go of the session when a host stops the
 * actor. Its lease is kept by run-lease.ts.
 *
 * Also the hooks and observer of the run's actor (host signal, listeners, the end of the run).
 * A class, not a function returning closures: a run in flight holds one object whose methods
 * are on the prototype (closures per run were about 1.7 KB of each run's heap).
 */
export class RunEffects implements RunActorHooks {
  readonly #c: RunEffectsContext;
  readonly #executeTools: ReturnType<typeof createToolRunner> | undefined;
  readonly #call: ReturnType<typeof storeCall>;
  readonly #lease: RunLease;
  readonly #failures: FailureRecordContext;
  // A host classifier that throws or answers nonsense is skipped, never fatal.
  readonly #classifier: typeof classifyError;
  /** The machine is closing the run (or the host stopped it): no lease is kept past the grant. */
  #ending = false;
  /** The run's rows are closed (committed, or the failure recorded). */
  #closed = false;
  /** closeRun (or finish) has taken on closing the run. */
  #closer = false;
  /** The lease being taken, if it is: a run ending meanwhile hands it back once granted. */
  #opening: Promise<unknown> | undefined;
  /** The commit under way, if any: a run stopped meanwhile waits for it before closing its rows. */
  #committing: Promise<unknown> | undefined;
  /** A cooldown write of this run is on its way (#writeInOrder). */
  #sharing = false;
  /**
   * Settles when this run's cooldown writes have all landed (or been given up on): made only
   * when something waits for them (#cooldownsShared). On an embedded store the write has landed
   * before anything does, and a promise per failing run was made for nothing.
   */
  #landed: Promise<void> | undefined;
  /** The cooldown writes waiting for the one on its way, in order (made on the run's first write). */
  #writes: CooldownWrite[] | undefined;
  /** The reply of a commit under way (or failed): kept as an orphan if the run is stopped. */
  #pendingReply: UncommittedTurns | undefined;
  /** The keys this run holds the probe of, until its probe call ends. */
  #probeClaims: readonly CooldownKey[] = [];
  /** The run was stopped or aborted before it started: it ends without opening a session. */
  #abortedBeforeStart = false;
  #actor: HostSafeRunActor | undefined;
  /** The run's clock as the classifier's `now`, made at the run's first failure. */
  #now: (() => number) | undefined;
  /** The effect under way, cut when the machine leaves its state (src/effect-action.ts). */
  effectCut: EffectCut | undefined = undefined;
  /** The time limit of the effect under way, if it has one (src/effect-action.ts). */
  effectTimer: unknown = undefined;
  readonly clock: RunClock;

  constructor(c: RunEffectsContext) {
    this.#c = c;
    const { runId, sessionId, policy, clock, store, logger, tools, options } = c;
    this.clock = clock;
    this.#executeTools = tools ? createToolRunner({ runId, sessionId, tools: tools.byName, clock, logger, send: (command) => this.send(command) }) : undefined;
    const call = storeCall(store);
    this.#call = call;
    this.#lease = createRunLease({ store, call, clock, leaseTtlMs: policy.leaseTtlMs, logger, run: this });
    this.#failures = { runId, sessionId, store, call, clock, maxWaitMs: policy.lockWaitMs, logger };
    this.#classifier = options.classify ? createClassifier(options.classify) : classifyError;
  }

  /** The actor these effects serve (it is made with them as its hooks, so it comes after). */
  attach(actor: HostSafeRunActor): void {
    this.#actor = actor;
  }

  /** Sends a command to the run's actor (lease lost, stream deltas, an abort). */
  send(command: EngineCommand): void {
    this.#actor!.sendInternal(command);
  }

  /** Only a started run listens to the host's signal: actors created and never started hold nothing. */
  starting(): void {
    const signal = this.#c.options.signal;
    if (signal?.aborted) {
      this.#abortedBeforeStart = true;
      this.handleEvent();
    } else signal?.addEventListener('abort', this, { once: true });
  }

  /** `stop()` before `start()`: the run ends without opening a session. */
  stoppingUnstarted(): void {
    this.#abortedBeforeStart = true;
  }

  /** The host's signal aborted (these effects are its listener object: no closure per run). */
  handleEvent(): void {
    this.send({ type: 'run.abort', reason: String(this.#c.options.signal?.reason ?? 'aborted') });
  }

  listenerThrew(err: unknown, where: string): void {
    const message = `${where} threw (${err instanceof Error ? err.message : String(err)}); the run ignored it`;
    const logger = this.#c.logger;
    if (logger) logger.error({ err }, message);
    else process.emitWarning(message, { code: 'LLM_FAILOVER_LISTENER_THREW' });
  }

  /**
   * An event the machine emitted: to the host's logger and bus; cooldowns to the store. Never
   * throws: XState would rethrow from a timer and crash the host.
   */
  emitted(event: RunEvent): void {
    try {
      forwardRunEvent(event, this.#c.options.events, this.#c.logger, this);
    } catch (err) {
      this.listenerThrew(err, `the logger (on '${event.type}')`);
    }
    this.shareCooldowns(event);
  }

  /** The actor completed (as its observer). */
  complete(): void {
    this.#done();
  }

  /** The actor crashed (as its observer). */
  error(err: unknown): void {
    this.#done(err);
  }

  #done(error?: unknown): void {
    const { options, logger, runId } = this.#c;
    options.signal?.removeEventListener('abort', this);
    // a crashed actor leaves its state without the transition that would cut: its time limit must not keep the process up
    dropEffectTimer(this);
    if (error !== undefined) logger?.error({ err: error }, `run ${runId} crashed: ${error instanceof Error ? error.message : String(error)}`);
    this.finish(error);
  }

  async openSession(cut: EffectCut): Promise<OpenSessionOutput> {
    const { runId, sessionId, policy, providers, startedAt, clock, store } = this.#c;
    if (this.#abortedBeforeStart) throw new RunAbortedError(runId, [], 'aborted before it started');
    const lease = this.#lease;
    const openedAt = clock.now();
    const pending = this.#call('taking the session lease', () =>
      store.openRun(openRunArgs(cut, {
        runId,
        sessionId,
        now: openedAt,
        leaseTtlMs: policy.leaseTtlMs,
        // The wait for a busy session is part of the run: it never outlasts the deadline.
        lockWaitMs: Math.max(0, Math.min(policy.lockWaitMs, startedAt + policy.deadlineMs - openedAt)),
        providers,
        // the store was closed under the run: its row is closed and the session let go already
        onRevoked: lease.gone,
      })),
    );
    this.#opening = pending;
    let opened;
    try {
      opened = await pending;
    } finally {
      this.#opening = undefined;
    }
    // The run ended (an abort) while the lease was being granted: closeRun (or finish) hands it back.
    const aborted = cut.aborted || this.#ending;
    lease.granted(opened.lease, !aborted);
    if (aborted) throw new RunAbortedError(runId, [], 'aborted while taking the session lease');
    // Providers get { role, content } only; both stores' history caches give those views ready, one array per session.
    return { history: opened.messages ?? opened.history.map(turnMessage), cooldowns: opened.cooldowns, at: clock.now() };
  }

  /**
   * The probe call failed: its claims end now (a claim held to zero), so the next run may probe
   * once the cooldown this failure set (if any) is over. A success clears the keys instead.
   */
  #releaseProbe(): void {
    const keys = this.#probeClaims;
    this.#probeClaims = [];
    const { store, clock } = this.#c;
    if (keys.length === 0 || !store.claimProbe) return;
    this.#writeInOrder({ release: keys, at: clock.now() });
  }

  /*
   * A run in flight is parked here, awaiting the host's answer, and everything this async
   * function holds is kept meanwhile (its generator's register file: one slot per local and
   * temporary of the whole function, 312 bytes when the failure's handling was written in it).
   * So it holds little: the request's hooks and the failure's handling are functions of their own.
   */
  async callProvider(input: CallProviderInput, cut: EffectCut): Promise<CallProviderOutput> {
    const c = this.#c;
    const lease = this.#lease;
    // The lease went while the run waited (a backoff): no new call for a session it no longer holds.
    const gone = lease.lost();
    if (gone) throw gone;
    const startedAt = c.clock.now();
    // A streamed call has its own limits (first token, idle), on the run's clock.
    const watchdog = c.options.stream ? this.#watchdog(cut) : undefined;
    const req = callRequest(c, input, watchdog ?? cut);
    if (c.tools) req.tools = await c.tools.definitions();
    if (c.toolChoice !== undefined) req.toolChoice = c.toolChoice;
    const stream = watchdog ? this.#streamHooks(req, watchdog) : undefined;
    lease.calling(cut);
    try {
      const answer = c.options.call(req);
      // Checked and made canonical here (a lone surrogate made well-formed, as SQLite would store
      // it), so the output, the session and every history cache hold the same messages.
      const output = readCallResult(await (watchdog ? watchdog.race(answer) : answer));
      this.#probeClaims = [];
      // an answer of only messages (the usual) as a literal of its shape: a spread after `ok` is copied the generic way
      if (output.usage === undefined && output.finishReason === undefined && output.responseModel === undefined) {
        return { ok: true, messages: output.messages, at: c.clock.now(), durationMs: c.clock.now() - startedAt };
      }
      return { ok: true, ...output, at: c.clock.now(), durationMs: c.clock.now() - startedAt };
    } catch (err) {
      return await this.#callFailed(err, input, cut, startedAt, stream);
    } finally {
      watchdog?.stop();
      lease.settled(cut);
    }
  }

  #watchdog(cut: EffectCut): StreamWatchdog {
    const { clock, policy } = this.#c;
    return watchStream(clock, cut.signal, policy.firstTokenTimeoutMs, policy.streamIdleTimeoutMs);
  }

  /** A streamed call's hooks on its request; the deltas it let through are counted on what it returns. */
  #streamHooks(req: CallRequest, watchdog: StreamWatchdog): StreamCall {
    const clock = this.#c.clock;
    const stream = { watchdog, deltas: 0 };
    const callSignal = watchdog.signal;
    req.onActivity = () => watchdog.activity();
    req.onDelta = (text: string) => {
      // A call already cut (timeout, abort) must not leak text into the next attempt.
      if (callSignal.aborted || typeof text !== 'string' || text === '') return;
      watchdog.activity();
      stream.deltas++;
      this.send({ type: 'reply.delta', text, at: clock.now() });
    };
    return stream;
  }

  /** The call failed (`err`, as the host's call threw it): what the run learns from it, or a throw when the run must end. */
  async #callFailed(
    err: unknown,
    input: CallProviderInput,
    cut: EffectCut,
    startedAt: number,
    stream: StreamCall | undefined,
  ): Promise<Extract<CallProviderOutput, { ok: false }>> {
    const { clock, store, logger } = this.#c;
    this.#releaseProbe();
    // The host's own wiring is wrong (e.g. no model for a chain entry): no provider state to learn, say so.
    if (isConfigError(err)) throw err;
    // The lease went during the call, which failed: nothing to keep, the run ends.
    const lostMeanwhile = this.#lease.lost();
    if (lostMeanwhile) throw lostMeanwhile;
    let failure: Classification;
    const silence = stream?.watchdog.silence;
    const deltas = stream?.deltas ?? 0;
    if (silence !== undefined && err === silence) {
      // A silent stream is a timeout whether or not text came first: the provider hangs, it did not break.
      failure = { reason: 'timeout', scope: 'request', retryable: true, message: deltas > 0 ? `${silence.message} after ${deltas} delta(s)` : silence.message };
    } else {
      // The attempt's signal tells an AbortError of the host's own timeout (signal not aborted) from a cancel;
      // a bug in the host's own code is a host_error, named as such, not an outage to retry.
      failure = readCallError(err, this.#classifier, classifyContext(input.provider, (this.#now ??= () => clock.now()), cut));
      // Only this wiring knows text already reached the host, so it (not the classifier) says 'interrupted'.
      if (deltas > 0 && failure.reason !== 'aborted') {
        failure = { ...failure, reason: 'interrupted', scope: 'model', retryable: false, message: `stream broke after ${deltas} delta(s): ${failure.message}` };
      }
    }
    // Only the failed provider's rows: what other runs recorded on the key that just failed (its
    // failure count) is what this decision needs. Re-reading the whole chain after every failure
    // made a dead chain quadratic; the other providers' cooldowns are the ones read at open.
    let cooldowns;
    try {
      // no await when nothing is on its way: the common case, and each await is a turn of the microtask queue
      if (this.#sharing) await this.#cooldownsShared();
      // the store called directly, its error typed only when there is one (#call would make a closure and a promise per read)
      cooldowns = await store.activeCooldowns([input.provider], clock.now(), COOLDOWN_READ_WAIT);
    } catch (readError) {
      logger?.warn({ err: toRunStoreError(readError, storeWhere(store), 'reading cooldowns') }, 'could not re-read cooldowns; deciding on the last known ones');
    }
    const usage = usageOfError(err);
    const at = clock.now();
    // one literal of the usual shape; the rare fields are added after (no spreads of conditional literals)
    const failed: Extract<CallProviderOutput, { ok: false }> = cooldowns ? { ok: false, failure, at, durationMs: clock.now() - startedAt, cooldowns } : { ok: false, failure, at, durationMs: clock.now() - startedAt };
    if ((stream?.deltas ?? 0) > 0) failed.streamed = true;
    if (usage) failed.usage = usage;
    return failed;
  }

  /** Takes the probe of ended cooldowns for this run; a store that cannot say lets the run call. */
  async claimProbe(input: ClaimProbeInput): Promise<ClaimProbeOutput> {
    const { store, runId, clock, policy, logger, providers } = this.#c;
    if (!store.claimProbe) return { claimed: true, at: clock.now() };
    const wait = { maxWaitMs: COOLDOWN_READ_WAIT_MS };
    try {
      await this.#cooldownsShared();
      // held for one call's length: a prober that dies frees the key for the next run after it
      const claimed = await this.#call('claiming a probe', () => store.claimProbe!(input.keys, runId, clock.now(), policy.attemptTimeoutMs, wait));
      if (claimed) {
        this.#probeClaims = input.keys;
        return { claimed, at: clock.now() };
      }
    } catch (err) {
      logger?.warn({ err }, 'could not claim a probe; calling anyway');
      return { claimed: true, at: clock.now() };
    }
    try {
      return { claimed: false, at: clock.now(), cooldowns: await this.#call('reading cooldowns', () => store.activeCooldowns(providers, clock.now(), wait)) };
    } catch {
      return { claimed: false, at: clock.now() };
    }
  }

  async persistTurn(input: PersistTurnInput): Promise<PersistTurnOutput> {
    const { runId, messages, policy, clock, store } = this.#c;
    const lease = this.#lease;
    const at = clock.now();
    const reply = input.reply;
    // concat, not a spread of both: one fast copy, without the iteration protocol
    const appended = messages.concat(input.produced);
    this.#pendingReply = { messages: appended, reply, servedBy: input.servedBy };
    const pending = this.#commitAfterCooldowns(() =>
      store.commitRun(lease.current()!, {
        runId,
        messages: appended,
        reply,
        servedBy: input.servedBy,
        attempts: input.attempts,
        decisions: input.decisions,
        now: at,
        // The commit carries a reply the provider already gave: it may wait for a busy
        // database as long as a run may wait for its session, deadline or not.
        maxWaitMs: policy.lockWaitMs,
      }),
    );
    this.#committing = pending;
    let turns;
    try {
      ({ turns } = await pending);
    } finally {
      this.#committing = undefined;
    }
    this.#closed = true;
    this.#pendingReply = undefined;
    lease.end();
    return { turns: turns.length, at };
  }

  async closeRun(input: CloseRunInput): Promise<CloseRunOutput> {
    const { messages, clock } = this.#c;
    const lease = this.#lease;
    this.#ending = true;
    this.#closer = true;
    lease.end();
    // A lease being granted right now is handed back here, not left behind.
    await settled(this.#opening);
    const held = lease.current();
    if (!held || this.#closed) return { at: clock.now() };
    this.#closed = true;
    const uncommitted = input.uncommitted && { messages: [...messages, ...input.uncommitted.produced], reply: input.uncommitted.reply, servedBy: input.uncommitted.servedBy };
    // A commit that found the lease taken over already kept the reply as an orphan.
    const keptByCommit = input.error.code === 'LEASE_LOST' && uncommitted !== undefined;
    await this.#cooldownsShared();
    const kept = await recordRunFailure(this.#failures, held, { error: input.error, attempts: input.attempts, decisions: input.decisions, uncommitted });
    return { at: clock.now(), ...(uncommitted ? { replyKeptIn: keptByCommit ? 'orphan' : (kept ?? 'output') } : {}) };
  }

  /**
   * The actor is done. Normally closeRun or the commit closed the run already; a host's stop()
   * mid-run skipped both, so the session is let go here, in the background (and a commit still
   * under way is let finish, its reply kept as an orphan if it fails).
   */
  finish(error?: unknown): void {
    this.#ending = true;
    this.#lease.end();
    if (this.#closed || this.#closer) return;
    this.#closer = true;
    // Nothing under way: release in this very turn, so a run started right after finds the session free.
    if (!this.#opening && !this.#committing) this.#release(error);
    else void Promise.all([settled(this.#opening), settled(this.#committing)]).then(() => this.#release(error));
  }

  #release(error: unknown): void {
    const held = this.#lease.current();
    if (!held || this.#closed) return;
    this.#closed = true;
    const snapshot = this.#actor!.getSnapshot();
    const output: RunOutput | undefined = snapshot.output;
    const attempts: readonly AttemptRecord[] = snapshot.context.attempts.toArray();
    const failure = error ?? (output?.status === 'failed' ? output.error : new RunAbortedError(this.#c.runId, attempts, 'stopped by the host'));
    void recordRunFailure(this.#failures, held, { error: failure, attempts: output?.attempts ?? attempts, decisions: output?.decisions ?? [], uncommitted: this.#pendingReply });
  }

  /**
   * The machine declares cooldowns as events; every run and process learns them from the store.
   * The writes (and the release of a probe claim) go one after another (on a store over a network, a set and a clear of one key sent
   * on two connections could land the wrong way round), and this run's own reads, claims and its
   * end wait for them (`#cooldownsShared`): it sees what it wrote, and what it wrote is in the
   * store when its output is.
   */
  shareCooldowns(event: RunEvent): void {
    // every event of the run comes here: most are not about cooldowns, and cost nothing more
    if (event.type === 'cooldown.set') this.#writeInOrder({ set: event.cooldown });
    else if (event.type === 'cooldown.cleared') this.#writeInOrder({ clear: event.keys });
  }

  /**
   * Queues a cooldown write behind this run's others (see shareCooldowns); a failure is only
   * logged. They are made one after another, each started when the one before settles: a write
   * on its way holds the store's promise and one reaction to it, not an async function or a
   * chain of promises and closures per write (on a store over a network, writes wait for a
   * connection while their run goes on: during an incident every run in flight holds one).
   */
  #writeInOrder(write: CooldownWrite): void {
    (this.#writes ??= []).push(write);
    if (this.#sharing) return;
    this.#sharing = true;
    this.#writeNext();
  }

  /** The write that is on its way (its failure is logged as that write's). */
  #writing: CooldownWrite | undefined;
  #allWritten: (() => void) | undefined;
  /**
   * The reactions to a write, made when the run writes and let go once its writes have landed
   * (most runs make none; a run that failed over is then parked at its next call without them).
   */
  #written: (() => void) | undefined;
  #notWritten: ((e: unknown) => void) | undefined;

  #writeNext(): void {
    const w = (this.#writing = this.#writes!.shift());
    if (!w) {
      const done = this.#allWritten;
      this.#sharing = false;
      this.#landed = this.#allWritten = this.#written = this.#notWritten = undefined;
      done?.();
      return;
    }
    const { store, policy, runId } = this.#c;
    let pending: Promise<unknown>;
    try {
      if ('set' in w) pending = store.putCooldown(w.set, { maxWaitMs: policy.lockWaitMs });
      else if ('clear' in w) pending = store.clearCooldowns(w.clear, { maxWaitMs: policy.lockWaitMs });
      else pending = store.claimProbe!(w.release, runId, w.at, 0, { maxWaitMs: COOLDOWN_READ_WAIT_MS });
    } catch (e) {
      pending = Promise.reject(e);
    }
    Promise.resolve(pending).then((this.#written ??= () => this.#writeNext()), (this.#notWritten ??= (e) => this.#writeFailed(e)));
  }

  /** Cooldowns speed up other runs; failing to share one must not fail this run. */
  #writeFailed(e: unknown): void {
    const w = this.#writing!;
    const { store, logger } = this.#c;
    const doing = 'set' in w ? 'writing a cooldown' : 'clear' in w ? 'clearing cooldowns' : 'releasing a probe';
    const err = toRunStoreError(e, storeWhere(store), doing);
    try {
      if ('release' in w) logger?.warn({ err }, 'could not release a probe; it lapses on its own');
      else logger?.warn({ err, eventType: 'set' in w ? 'cooldown.set' : 'cooldown.cleared' }, 'could not write cooldown');
    } finally {
      this.#writeNext();
    }
  }

  /** The commit, once this run's cooldown writes have landed (at once when none is on its way). */
  #commitAfterCooldowns<T>(commit: () => Promise<T>): Promise<T> {
    const commitNow = () => this.#call('committing the run', commit);
    return this.#sharing ? this.#cooldownsShared().then(commitNow) : commitNow();
  }

  /** This run's cooldown writes, landed (or given up on). */
  async #cooldownsShared(): Promise<void> {
    while (this.#sharing) await (this.#landed ??= new Promise<void>((resolve) => (this.#allWritten = resolve)));
  }

  /** Between steps: the tools the step asked for (the machine goes here only for a run with tools). */
  executeTools(input: ExecuteToolsInput, signal: AbortSignal): Promise<ExecuteToolsOutput> {
    if (!this.#executeTools) return Promise.reject(new Error('executeTools: the run has no tools'));
    return this.#executeTools(input, signal);
  }
}

export function createRunEffects(c: RunEffectsContext): RunEffects {
  return new RunEffects(c);
}

/** A streamed call: its watchdog, and the deltas it let through so far. */
interface StreamCall {
  readonly watchdog: StreamWatchdog;
  deltas: number;
}

/**
 * What a failure's classifier is told. Its `signal` is the call's cut, made only if read (only an
 * AbortError asks whether the caller aborted): an own enumerable property, as it was in the
 * literal with a getter this replaces, without making each context a dictionary-mode object.
 */
function classifyContext(provider: string, now: () => number, cut: EffectCut): ClassifyContext {
  return defineCallSignal({ provider, now }, cut);
}

/**
 * The arguments of openRun, their `signal` the open's cut, made only when read (see
 * src/call-signal.ts): the store listens to it only when the session is busy, and its first try
 * asks `signalAborted`, which the cut answers without making one. Most runs make none.
 */
function openRunArgs(cut: EffectCut, args: Omit<OpenRunArgs, 'signal'>): OpenRunArgs {
  return defineCallSignal(args, cut);
}

/**
 * The request of one call, its own `signal` read from `source` (see src/call-signal.ts). The
 * attempt's signal is made when the host reads it (see EffectCut): a host that never aborts its
 * call makes none. An own property, so a host's spread of `req` keeps it.
 */
function callRequest(c: RunEffectsContext, input: CallProviderInput, source: SignalSource): CallRequest {
  const fields: Omit<CallRequest, 'signal'> = {
    runId: c.runId,
    sessionId: c.sessionId,
    provider: input.provider,
    model: input.model,
    profileId: input.profileId,
    attempt: input.attempt,
    step: input.step,
    // one copy of exactly the right size: the history of a long session is most of it
    messages: input.history.concat(input.messages, input.produced),
  };
  return defineCallSignal(fields, source);
}
