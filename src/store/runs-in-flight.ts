import type { StoreError } from '../errors.js';
import type { Lease, OpenRunArgs } from './types.js';

/** A run that holds a session of this store: what close() must end, and whom it tells. */
export interface InFlight {
  lease: Lease;
  onRevoked: ((error: StoreError) => void) | undefined;
}

const leaseLost = (e: unknown): boolean => (e as { code?: string } | null)?.code === 'LEASE_LOST';

/**
 * The runs that hold a session of one store (SQLite or PostgreSQL): their latest lease, so that
 * close() ends their rows and releases their sessions with the right fencing token. A run leaves
 * when it ends, or when a call finds its lease lost (the store no longer holds the session for it).
 */
export class RunsInFlight {
  readonly #runs = new Map<string, InFlight>();

  opened(a: OpenRunArgs, lease: Lease): void {
    this.#runs.set(a.runId, { lease, onRevoked: a.onRevoked });
  }

  /** A renewal landed: the run's lease is now `renewed` (answered, for the caller). */
  renewed(renewed: Lease): Lease {
    const run = this.#runs.get(renewed.runId);
    if (run) run.lease = renewed;
    return renewed;
  }

  /** The run ended (committed or failed): its session is no longer this store's to release. */
  ended(runId: string): void {
    this.#runs.delete(runId);
  }

  /**
   * A call of the run threw `e`: a lost lease means the run no longer holds its session; any
   * other failure leaves it to failRun (or close). Rethrows `e`.
   */
  failed(runId: string, e: unknown): never {
    if (leaseLost(e)) this.#runs.delete(runId);
    throw e;
  }

  /** Every run in flight, now no longer tracked: closing takes them over. */
  takeAll(): InFlight[] {
    const runs = [...this.#runs.values()];
    this.#runs.clear();
    return runs;
  }
}

/** Tells each run that the store ended its lease without it; one caller's throwing handler does not stop the others. */
export function revokeAll(runs: readonly InFlight[], reason: StoreError): void {
  for (const r of runs) {
    try {
      r.onRevoked?.(reason);
    } catch {
      // the caller's own bug must not stop the others from learning it
    }
  }
}
