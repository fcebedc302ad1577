/**
 * The longest delay `setTimeout` honours (2^31 − 1 ms, about 24.8 days): a longer one, Infinity
 * included, fires after 1 ms. Every option that ends up as a timer is bounded by it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The shortest session lease: renewed every third of its life, a shorter one would be lost to
 * one slow statement or a garbage-collection pause and make the run fail LEASE_LOST.
 */
export const MIN_LEASE_TTL_MS = 1_000;
