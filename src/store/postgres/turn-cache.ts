import type { Message, Turn } from '../../types.js';
import { turnMessage } from '../turn-rows.js';

/** A session's history, and the same turns as messages (without seq and run id) for providers. */
export interface History {
  turns: Turn[];
  messages: Message[];
}

const toMessage = (t: Turn): Message => Object.freeze(turnMessage(t));

/**
 * The PostgreSQL store's session histories (turns with seq and run id, and their messages): its
 * reads are asynchronous, so `openRun` hands out the turns at once rather than on demand as the
 * SQLite store's byte-bounded cache does (../history-cache.ts). Kept in memory so that opening a run reads only the turns appended since
 * the last time, instead of the whole session: without it, every run of a long session pays
 * for every turn ever written (about a microsecond per row).
 *
 * Sound because turns are append-only and seq only grows under the write lock: reading
 * `seq > last cached seq` inside the run's transaction sees every turn any process added.
 * Least recently used sessions are dropped beyond `maxSessions`; 0 disables the cache.
 */
export class PgTurnCache {
  readonly #maxSessions: number;
  readonly #sessions = new Map<string, History>();

  constructor(maxSessions: number) {
    this.#maxSessions = maxSessions;
  }

  /**
   * The full history of a session, as new arrays the caller may change. Message views are built
   * once per turn, when the turn enters the cache, not once per run.
   */
  read(sessionId: string, readAfter: (sessionId: string, afterSeq: number) => Turn[]): History {
    const cached = this.#sessions.get(sessionId);
    const fresh = readAfter(sessionId, cached?.turns.at(-1)?.seq ?? 0);
    if (this.#maxSessions === 0) return { turns: fresh, messages: fresh.map(toMessage) };
    const history = cached ?? { turns: [], messages: [] };
    // frozen: the same objects go to every run that reads this session
    for (const t of fresh) {
      history.turns.push(Object.freeze(t));
      history.messages.push(toMessage(t));
    }
    this.#touch(sessionId, history);
    return { turns: history.turns.slice(), messages: history.messages.slice() };
  }

  /** The last seq cached for a session (0 when none): an asynchronous reader fetches the turns after it, then calls `read`. */
  lastSeq(sessionId: string): number {
    return this.#sessions.get(sessionId)?.turns.at(-1)?.seq ?? 0;
  }

  /** A commit of this store landed: extend the cached history if it was up to date. */
  appended(sessionId: string, turns: readonly Turn[]): void {
    const cached = this.#sessions.get(sessionId);
    if (!cached) return;
    const next = (cached.turns.at(-1)?.seq ?? 0) + 1;
    if (turns[0]?.seq !== next) {
      this.#sessions.delete(sessionId); // another process wrote in between: re-read next time
      return;
    }
    for (const t of turns) {
      cached.turns.push(Object.freeze({ ...t }));
      cached.messages.push(toMessage(t));
    }
  }

  #touch(sessionId: string, history: History): void {
    // a Map iterates in insertion order, so re-inserting moves the session to the young end
    this.#sessions.delete(sessionId);
    this.#sessions.set(sessionId, history);
    if (this.#sessions.size > this.#maxSessions) {
      const oldest = this.#sessions.keys().next();
      if (!oldest.done) this.#sessions.delete(oldest.value);
    }
  }
}
