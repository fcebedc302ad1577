import { SessionBusyError } from '../errors.js';

export type TryResult<T> = { acquired: true; value: T } | { acquired: false; holderExpiresAt: number };

export interface WaitRequest<T> {
  sessionId: string;
  /** Synchronous try at the lease with the given store-clock time. */
  tryAcquire: (now: number) => TryResult<T>;
  /** Store-clock time to use now (it advances while we wait). */
  now: () => number;
  lockWaitMs: number;
  signal?: AbortSignal;
}

interface Waiter {
  req: WaitRequest<unknown>;
  startedAt: number;
  pollMs: number;
  pollTimer?: ReturnType<typeof setTimeout>;
  deadlineTimer?: ReturnType<typeof setTimeout>;
  onAbort?: () => void;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

// A holder in another process cannot wake us, so the head of a queue re-reads the lease on a
// gently growing interval, never later than the holder's expiry.
const FIRST_POLL_MS = 2;
const MAX_POLL_MS = 50;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waiting for busy sessions, one FIFO queue per session. Only the head of a queue touches the
 * database; the others wait for their turn, so waiters of one process are served in arrival
 * order and a release by a run of the same store wakes the head at once.
 */
export class LeaseWaitQueue {
  readonly #queues = new Map<string, Waiter[]>();

  hasWaiters(sessionId: string): boolean {
    return (this.#queues.get(sessionId)?.length ?? 0) > 0;
  }

  wait<T>(req: WaitRequest<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: Waiter = { req, startedAt: performance.now(), pollMs: FIRST_POLL_MS, resolve: resolve as (v: unknown) => void, reject };
      const queue = this.#queues.get(req.sessionId) ?? [];
      queue.push(w);
      this.#queues.set(req.sessionId, queue);
      // beyond setTimeout's range (Infinity included) means: wait as long as it takes
      if (req.lockWaitMs <= MAX_TIMER_MS) w.deadlineTimer = setTimeout(() => this.#onDeadline(w), Math.max(0, req.lockWaitMs));
      if (req.signal) {
        const signal = req.signal;
        w.onAbort = () => this.#finish(w, () => w.reject(signal.reason));
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      if (queue[0] === w) this.#pump(w);
    });
  }

  /** A run of this store released the session: let the head try now rather than at its next poll. */
  released(sessionId: string): void {
    const head = this.#queues.get(sessionId)?.[0];
    if (!head) return;
    clearTimeout(head.pollTimer);
    head.pollMs = FIRST_POLL_MS;
    queueMicrotask(() => this.#isHead(head) && this.#pump(head));
  }

  /** Fails every waiter (the store is closing). */
  rejectAll(error: unknown): void {
    for (const queue of [...this.#queues.values()]) for (const w of [...queue]) this.#finish(w, () => w.reject(error));
  }

  #isHead(w: Waiter): boolean {
    return this.#queues.get(w.req.sessionId)?.[0] === w;
  }

  #pump(w: Waiter): void {
    let r: TryResult<unknown>;
    try {
      r = w.req.tryAcquire(w.req.now());
    } catch (e) {
      this.#finish(w, () => w.reject(e));
      return;
    }
    if (r.acquired) {
      const value = r.value;
      this.#finish(w, () => w.resolve(value));
      return;
    }
    const untilExpiry = Math.max(1, Math.ceil(r.holderExpiresAt - w.req.now()));
    const delay = Math.min(w.pollMs, untilExpiry);
    w.pollMs = Math.min(w.pollMs * 2, MAX_POLL_MS);
    w.pollTimer = setTimeout(() => this.#pump(w), delay);
  }

  #onDeadline(w: Waiter): void {
    // one last try for the head, in case the holder let go between two polls
    if (this.#isHead(w)) {
      try {
        const r = w.req.tryAcquire(w.req.now());
        if (r.acquired) {
          const value = r.value;
          this.#finish(w, () => w.resolve(value));
          return;
        }
      } catch (e) {
        this.#finish(w, () => w.reject(e));
        return;
      }
    }
    const waited = Math.round(performance.now() - w.startedAt);
    this.#finish(w, () => w.reject(new SessionBusyError(w.req.sessionId, waited)));
  }

  /** Takes the waiter out of its queue, settles it, and starts the next head if it was the head. */
  #finish(w: Waiter, settle: () => void): void {
    const queue = this.#queues.get(w.req.sessionId);
    const index = queue?.indexOf(w) ?? -1;
    if (!queue || index < 0) return;
    queue.splice(index, 1);
    if (queue.length === 0) this.#queues.delete(w.req.sessionId);
    clearTimeout(w.pollTimer);
    clearTimeout(w.deadlineTimer);
    if (w.onAbort) w.req.signal?.removeEventListener('abort', w.onAbort);
    settle();
    const next = queue[0];
    if (index === 0 && next) this.#pump(next);
  }
}
