import type { RunClock } from '../../src/index.js';

const DAY_MS = 86_400_000;

/**
 * For cases whose runs write cooldowns (a quota spent, a dead chain): each call gives the next
 * run's clock offset, two days past the previous run's, beyond DEFAULT_POLICY.maxCooldownMs
 * (one day). So every run meets the incident as the first run did, the cooldowns of the runs
 * before it expired (and deleted by the store's periodic cleanup, as in a long-lived process).
 * Timers stay real. The floor of such a case takes its times from a sequence of its own.
 */
export function leapingOffsets(): () => number {
  let leap = 0;
  return () => 2 * DAY_MS * leap++;
}

/** A run clock reading a fixed offset from the system time. */
export function clockAt(offset: number): RunClock {
  return {
    now: () => Date.now() + offset,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id),
  };
}
