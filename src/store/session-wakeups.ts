/**
 * The pauses of runs waiting for busy sessions in this process. A release by a run of the same
 * store wakes that session's waiters at once; a holder in another process cannot, so a pause
 * also ends on its own timer (the waiter then re-reads the lease).
 */
export class SessionWakeups {
  readonly #sleepers = new Map<string, Set<() => void>>();

  /** Resolves after `ms`, or earlier at a wake-up of the session; rejects with the signal's reason on abort. */
  sleep(sessionId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let sleepers = this.#sleepers.get(sessionId);
      if (!sleepers) this.#sleepers.set(sessionId, (sleepers = new Set()));
      const set = sleepers;
      const done = () => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.#sleepers.get(sessionId) === set) this.#sleepers.delete(sessionId);
        signal?.removeEventListener('abort', onAbort);
      };
      const wake = () => {
        done();
        resolve();
      };
      const onAbort = () => {
        done();
        reject(signal!.reason);
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A run of this store let go of the session: its waiters look again now. */
  wake(sessionId: string): void {
    const sleepers = this.#sleepers.get(sessionId);
    if (sleepers) for (const wake of [...sleepers]) wake();
  }

  /** The store is closing: every waiter looks again (and finds it closed). */
  wakeAll(): void {
    for (const id of [...this.#sleepers.keys()]) this.wake(id);
  }
}
