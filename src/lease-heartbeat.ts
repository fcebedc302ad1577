import type { RunClock } from './runtime.js';

/** What a beat found: renewed, a passing failure (try again soon), or the lease is gone (stop). */
export type BeatResult = 'renewed' | 'retry' | 'stop';

/** After a renewal the database refused for a passing reason, the next try comes this soon (or at the next beat, if sooner). */
const RETRY_AFTER_MS = 1_000;

/** What a heartbeat renews: its `beat` is called on it. */
export interface Beating {
  beat(): Promise<BeatResult>;
}

/**
 * Calls `owner.beat()` every `everyMs` on the engine clock until stopped. A beat is asynchronous;
 * the next one is scheduled only once it has settled, so two renewals never overlap. A beat that
 * could not renew for a passing reason (a busy database) is tried again sooner: the lease holds
 * until it expires, and a takeover needs the same write lock the renewal waits for.
 *
 * A class, its one timer callback made once: every run holding a lease has one, and the
 * closures of a function-made heartbeat (its state, its tick, a callback per beat, its stop)
 * were several objects per run.
 */
export class Heartbeat {
  readonly #clock: RunClock;
  readonly #everyMs: number;
  readonly #owner: Beating;
  #timer: unknown;
  #stopped = false;
  readonly #fire = (): void => void this.#tick();

  constructor(clock: RunClock, everyMs: number, owner: Beating) {
    this.#clock = clock;
    this.#everyMs = everyMs;
    this.#owner = owner;
    this.#timer = clock.setTimeout(this.#fire, everyMs);
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    let result: BeatResult;
    try {
      result = await this.#owner.beat();
    } catch {
      result = 'retry';
    }
    if (this.#stopped || result === 'stop') {
      this.#stopped = true;
      return;
    }
    this.#timer = this.#clock.setTimeout(this.#fire, result === 'retry' ? Math.min(this.#everyMs, RETRY_AFTER_MS) : this.#everyMs);
  }

  stop(): void {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#timer);
  }
}

/** A heartbeat calling `beat` (see Heartbeat); returns its stop. */
export function startHeartbeat(clock: RunClock, everyMs: number, beat: () => Promise<BeatResult>): () => void {
  const heartbeat = new Heartbeat(clock, everyMs, { beat });
  return () => heartbeat.stop();
}
