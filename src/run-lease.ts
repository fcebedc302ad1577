import type { EngineCommand } from '../machines/run-types.js';
import { isLlmFailoverError, type LlmFailoverError } from './errors.js';
import { startHeartbeat, type BeatResult } from './lease-heartbeat.js';
import type { Logger, RunClock } from './runtime.js';
import type { Lease, RunStore } from './store/types.js';
import type { storeCall } from './store-call.js';

export interface RunLeaseContext {
  store: RunStore;
  call: ReturnType<typeof storeCall>;
  clock: RunClock;
  leaseTtlMs: number;
  logger: Logger | undefined;
  send: (command: EngineCommand) => void;
}

const codeOf = (e: unknown): string | undefined => (isLlmFailoverError(e) ? e.code : undefined);

/**
 * The session lease of one run once it holds it: renewed every third of its life, and, when it
 * is gone (taken over by another run, or revoked by a store that closed), the run is told to
 * end. Not while a provider call is out, though: a reply that arrives is worth keeping (the
 * commit then keeps it as an orphan), and the call is bounded by its timeout anyway.
 */
export function createRunLease(c: RunLeaseContext) {
  let lease: Lease | undefined;
  let stopHeartbeat: (() => void) | undefined;
  let lost: LlmFailoverError | undefined;
  let told = false;
  let ending = false;
  /** The provider call the run is waiting for. */
  let liveCall: AbortSignal | undefined;
  const beatMs = Math.max(1, Math.floor(c.leaseTtlMs / 3));

  const tellIfIdle = () => {
    if (!lost || told || liveCall || ending) return;
    told = true;
    c.send({ type: 'run.leaseLost', error: lost });
  };

  const gone = (error: LlmFailoverError) => {
    lost ??= error;
    stopHeartbeat?.();
    const out = liveCall;
    // A call that answers hands its outcome to the machine (a reply goes on to the commit, a
    // failure throws the lost lease). One the machine cuts has no outcome to wait for: the run
    // ends once the transition under way is done. (Listened to only now: rare, and not free.)
    if (out && !out.aborted) {
      out.addEventListener(
        'abort',
        () => {
          if (liveCall === out) liveCall = undefined;
          queueMicrotask(tellIfIdle);
        },
        { once: true },
      );
    }
    tellIfIdle();
  };

  const beat = async (): Promise<BeatResult> => {
    try {
      // a busy database may hold the renewal up to the next beat, not beyond: the beats never overlap
      lease = await c.call('renewing a lease', () => c.store.renewLease(lease!, c.clock.now(), c.leaseTtlMs, { maxWaitMs: beatMs }));
      return 'renewed';
    } catch (error) {
      if (codeOf(error) === 'LEASE_LOST' || codeOf(error) === 'STORE_CLOSED') {
        gone(error as LlmFailoverError);
        return 'stop';
      }
      // A busy or flaky database: the lease holds until it expires, so try again soon.
      c.logger?.warn({ err: error }, 'could not renew the session lease; retrying');
      return 'retry';
    }
  };

  return {
    /** The lease as last granted or renewed (undefined until granted). */
    current: (): Lease | undefined => lease,
    /** The lease was granted: keep it alive from now on (unless the run is already ending). */
    granted(granted: Lease, renew: boolean): void {
      lease = granted;
      if (renew) stopHeartbeat = startHeartbeat(c.clock, beatMs, beat);
    },
    /** The store revoked the lease (it was closed). */
    gone,
    /** Why the lease is gone, if it is. */
    lost: (): LlmFailoverError | undefined => lost,
    /** A provider call starts; returns what to call when it has settled. */
    calling(signal: AbortSignal): () => void {
      liveCall = signal;
      return () => {
        if (liveCall === signal) liveCall = undefined;
      };
    },
    /** The run is ending (committed, closing, or stopped): no more renewals, no more commands. */
    end(): void {
      ending = true;
      stopHeartbeat?.();
    },
  };
}

export type RunLease = ReturnType<typeof createRunLease>;
