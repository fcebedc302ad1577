import type { RunClock } from './runtime.js';

/** Calls `renew` every `everyMs` on the engine clock until stopped; a throw from renew stops it. */
export function startHeartbeat(clock: RunClock, everyMs: number, renew: () => void) {
  let timer: unknown;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    try {
      renew();
    } catch {
      stopped = true;
      return;
    }
    timer = clock.setTimeout(tick, everyMs);
  };
  timer = clock.setTimeout(tick, everyMs);
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
