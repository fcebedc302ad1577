import type { EngineCommand } from '../machines/run-types.js';
import { isLlmFailoverError, type LlmFailoverError } from './errors.js';
import { startHeartbeat, type BeatResult } from './lease-heartbeat.js';
import type { EffectCut } from './effect-cut.js';
import type { Logger, RunClock } from './runtime.js';
import type { Lease, RunStore } from './store/types.js';
import type { storeCall } from './store-call.js';

export interface RunLeaseContext {
  store: RunStore;
  call: ReturnType<typeof storeCall>;
  clock: RunClock;
  leaseTtlMs: number;
  logger: Logger | undefined;
  /** The run's actor, told when the lease is gone. */
  run: { send(command: EngineCommand): void };
}

const codeOf = (e: unknown): string | undefined => (isLlmFailoverError(e) ? e.code : undefined);

/**
 * The session lease of one run once it holds it: renewed every third of its life, and, when it
 * is gone (taken over by another run, or revoked by a store that closed), the run is told to
 * end. Not while a provider call is out, though: a reply that arrives is worth keeping (the
 * commit then keeps it as an orphan), and the call is bounded by its timeout anyway.
 *
 * A class (methods on the prototype): every run in flight holds one.
 */
export class RunLease {
  readonly #c: RunLeaseContext;
  readonly #beatMs: number;
  #lease: Lease | undefined;
  #stopHeartbeat: (() => void) | undefined;
  #lost: LlmFailoverError | undefined;
  #told = false;
  #ending = false;
  /** The provider call the run is waiting for (its cut). */
  #liveCall: EffectCut | undefined;

  constructor(c: RunLeaseContext) {
    this.#c = c;
    this.#beatMs = Math.max(1, Math.floor(c.leaseTtlMs / 3));
  }

  #tellIfIdle(): void {
    if (!this.#lost || this.#told || this.#liveCall || this.#ending) return;
    this.#told = true;
    this.#c.run.send({ type: 'run.leaseLost', error: this.#lost });
  }

  /** The store revoked the lease (it was closed). A bound function: the store calls it as given. */
  readonly gone = (error: LlmFailoverError): void => {
    this.#lost ??= error;
    this.#stopHeartbeat?.();
    const out = this.#liveCall;
    // A call that answers hands its outcome to the machine (a reply goes on to the commit, a
    // failure throws the lost lease). One the machine cuts has no outcome to wait for: the run
    // ends once the transition under way is done. (Listened to only now: rare, and not free.)
    if (out && !out.aborted) {
      out.signal.addEventListener(
        'abort',
        () => {
          if (this.#liveCall === out) this.#liveCall = undefined;
          queueMicrotask(() => this.#tellIfIdle());
        },
        { once: true },
      );
    }
    this.#tellIfIdle();
  };

  async #beat(): Promise<BeatResult> {
    const c = this.#c;
    try {
      // a busy database may hold the renewal up to the next beat, not beyond: the beats never overlap
      this.#lease = await c.call('renewing a lease', () => c.store.renewLease(this.#lease!, c.clock.now(), c.leaseTtlMs, { maxWaitMs: this.#beatMs }));
      return 'renewed';
    } catch (error) {
      if (codeOf(error) === 'LEASE_LOST' || codeOf(error) === 'STORE_CLOSED') {
        this.gone(error as LlmFailoverError);
        return 'stop';
      }
      // A busy or flaky database: the lease holds until it expires, so try again soon.
      c.logger?.warn({ err: error }, 'could not renew the session lease; retrying');
      return 'retry';
    }
  }

  /** The lease as last granted or renewed (undefined until granted). */
  current(): Lease | undefined {
    return this.#lease;
  }

  /** The lease was granted: keep it alive from now on (unless the run is already ending). */
  granted(granted: Lease, renew: boolean): void {
    this.#lease = granted;
    if (renew) this.#stopHeartbeat = startHeartbeat(this.#c.clock, this.#beatMs, () => this.#beat());
  }

  /** Why the lease is gone, if it is. */
  lost(): LlmFailoverError | undefined {
    return this.#lost;
  }

  /** A provider call starts; returns what to call when it has settled. */
  calling(cut: EffectCut): void {
    this.#liveCall = cut;
  }

  /** The provider call given to `calling` has settled. */
  settled(cut: EffectCut): void {
    if (this.#liveCall === cut) this.#liveCall = undefined;
  }

  /** The run is ending (committed, closing, or stopped): no more renewals, no more commands. */
  end(): void {
    this.#ending = true;
    this.#stopHeartbeat?.();
  }
}

export function createRunLease(c: RunLeaseContext): RunLease {
  return new RunLease(c);
}
