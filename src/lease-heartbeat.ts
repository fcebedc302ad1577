import type { RunClock } from './runtime.js';

/** What a beat found: renewed, a passing failure (try again soon), or the lease is gone (stop). */
export type BeatResult = 'renewed' | 'retry' | 'stop';

/** After a renewal the database refused for a passing reason, the next try comes this soon (or at the next beat, if sooner). */
const RETRY_AFTER_MS = 1_000;

/**
 * Calls `beat` every `everyMs` on the engine clock until stopped. A beat is asynchronous; the
 * next one is scheduled only once it has settled, so two renewals never overlap. A beat that
 * could not renew for a passing reason (a busy database) is tried again sooner: the lease holds
 * until it expires, and a takeover needs the same write lock the renewal waits for.
 */
export function startHeartbeat(clock: RunClock, everyMs: number, beat: () => Promise<BeatResult>) {
  let timer: unknown;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    let result: BeatResult;
    try {
      result = await beat();
    } catch {
      result = 'retry';
    }
    if (stopped || result === 'stop') {
      stopped = true;
      return;
    }
    timer = clock.setTimeout(() => void tick(), result === 'retry' ? Math.min(everyMs, RETRY_AFTER_MS) : everyMs);
  };
  timer = clock.setTimeout(() => void tick(), everyMs);
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
