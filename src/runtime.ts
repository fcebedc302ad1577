/**
 * The slice of a pino logger the engine uses, so any pino instance (or a compatible logger)
 * fits without this package depending on pino's types at the call site.
 */
export interface Logger {
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child?(bindings: Record<string, unknown>): Logger;
}

/** The engine's clock: XState's timer pair plus `now()`. XState's `SimulatedClock` is one. */
export interface RunClock {
  now(): number;
  setTimeout(fn: (...args: any[]) => void, timeout: number): any;
  clearTimeout(id: any): void;
}

export const systemClock: RunClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
};
