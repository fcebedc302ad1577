import type { Role } from '../message-types.js';
import type { Message, Turn } from '../types.js';
import { turnFromRow, turnMessage, type TurnRow } from './turn-rows.js';

/** A session's history as the cache gives it to a run. */
export interface CachedHistory {
  /**
   * The session's messages (`{ role, content }`, frozen) in seq order, in an array that every
   * run of the session shares. It never changes while a run that may still use it holds it:
   * only the commit of the one run that was given it extends it in place (that run is done);
   * otherwise the session moves to a new array.
   */
  messages: readonly Message[];
  /** Seq of the last turn read (0 for an empty session). */
  lastSeq: number;
}

/**
 * What the cache counts for a turn beyond its text: the `{ role, content }` object (40 bytes on
 * Node's 64-bit heap, which does not compress pointers), its array slot (8) and the string's
 * header (16). An estimate, not a measurement: `npm run bench` reports the heap a cached turn
 * really takes (about 70 bytes beyond its text, array growth included).
 */
export const TURN_OVERHEAD_BYTES = 64;

/** The `holder` of an array given to more than one run. */
const SHARED = '\u0000shared';

// Every cached message points at one of these four strings, not at a copy of its own per row.
const ROLES: Readonly<Record<string, Role>> = { system: 'system', user: 'user', assistant: 'assistant', tool: 'tool' };

/** The bytes a cached message is counted for: its text (UTF-16 code units) plus the overhead. */
export function cachedBytes(m: Message): number {
  // parts are objects and arrays: counted at twice their JSON, a generous estimate
  const text = typeof m.content === 'string' ? m.content.length : 2 * JSON.stringify(m.content).length;
  return TURN_OVERHEAD_BYTES + text + (m.providerOptions === undefined ? 0 : 2 * JSON.stringify(m.providerOptions).length);
}

function rowMessage(row: TurnRow, sessionId: string): Message {
  if (row.parts === null && row.providerOptions === null) return Object.freeze({ role: ROLES[row.role] ?? row.role, content: row.content }) as Message;
  return Object.freeze(turnMessage(turnFromRow(row, sessionId)));
}

const turnToMessage = (t: Turn): Message =>
  Object.freeze(t.providerOptions === undefined && typeof t.content === 'string' ? { role: ROLES[t.role] ?? t.role, content: t.content } : turnMessage(t)) as Message;

interface Entry {
  messages: Message[];
  lastSeq: number;
  bytes: number;
  /**
   * Who was given `messages` since it last changed: nobody, one run (its id), or several
   * (`SHARED`). Only the commit of a sole holder may extend the array in place.
   */
  holder: string | undefined;
  /** In the cache (its bytes counted); false for an entry being built or evicted. */
  held: boolean;
}

export interface HistoryCacheLimits {
  /** Bytes of history kept in all (see cachedBytes); 0 turns the cache off. */
  maxBytes: number;
  /** Sessions kept at most, if bounded. */
  maxSessions: number;
}

/**
 * Session histories kept in memory so that opening a run reads only the turns appended since
 * the last time, instead of the whole session: without it, every run of a long session pays
 * for every turn ever written (about a microsecond per row).
 *
 * Sound because turns are append-only and seq only grows under the write lock: reading
 * `seq > last cached seq` inside the run's transaction sees every turn any process added.
 * Bounded in bytes (and optionally in sessions): least recently used sessions go first, and a
 * session bigger than the whole bound is read afresh each time rather than cached. Only messages
 * are kept (one frozen `{ role, content }` per turn): a run's `Turn` records are read from the
 * database only if something asks for them (open-sqlite-store.ts).
 */
export class HistoryCache {
  readonly #limits: HistoryCacheLimits;
  readonly #sessions = new Map<string, Entry>();
  #bytes = 0;

  constructor(limits: HistoryCacheLimits) {
    this.#limits = limits;
  }

  /** Bytes of history held now (the sum of cachedBytes of every cached message). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Sessions held now. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** The full history of a session for run `runId`: the cached part, then the rows `readAfter` returns after it. */
  read(sessionId: string, runId: string, readAfter: (sessionId: string, afterSeq: number) => TurnRow[]): CachedHistory {
    const cached = this.#sessions.get(sessionId);
    const rows = readAfter(sessionId, cached?.lastSeq ?? 0);
    if (this.#limits.maxBytes === 0) {
      return { messages: rows.map((r) => rowMessage(r, sessionId)), lastSeq: rows.at(-1)?.seq ?? 0 };
    }
    const entry = cached ?? { messages: [], lastSeq: 0, bytes: 0, holder: undefined, held: false };
    if (rows.length > 0) {
      const added = rows.map((r) => rowMessage(r, sessionId));
      this.#extend(entry, added, undefined);
      entry.lastSeq = rows[rows.length - 1]!.seq;
    }
    this.#touch(sessionId, entry);
    entry.holder = entry.holder === undefined || entry.holder === runId ? runId : SHARED;
    return { messages: entry.messages, lastSeq: entry.lastSeq };
  }

  /** A commit of run `runId` landed: extend the cached history if it was up to date. */
  appended(sessionId: string, runId: string, turns: readonly Turn[]): void {
    const entry = this.#sessions.get(sessionId);
    if (!entry || turns.length === 0) return;
    if (turns[0]!.seq !== entry.lastSeq + 1) {
      this.#drop(sessionId, entry); // another process wrote in between: re-read next time
      return;
    }
    this.#extend(entry, turns.map(turnToMessage), runId);
    entry.lastSeq = turns[turns.length - 1]!.seq;
    this.#evict();
  }

  /**
   * Appends to the entry, for the commit of `committer` (undefined: turns another process
   * wrote). The array is extended in place when nobody was given it, or only the committing run,
   * which is done with it; otherwise the session moves to a new array, made in one copy of
   * exactly the right size, and what the holders were given stays as it was.
   */
  #extend(entry: Entry, added: Message[], committer: string | undefined): void {
    const inPlace = entry.holder === undefined || (committer !== undefined && entry.holder === committer);
    if (entry.messages.length === 0) entry.messages = added;
    else if (!inPlace) entry.messages = entry.messages.concat(added);
    else for (const m of added) entry.messages.push(m);
    entry.holder = undefined;
    let bytes = 0;
    for (const m of added) bytes += cachedBytes(m);
    this.#grow(entry, bytes);
  }

  /** The last seq cached for a session (0 when none): an asynchronous reader fetches the rows after it, then calls `read`. */
  lastSeq(sessionId: string): number {
    return this.#sessions.get(sessionId)?.lastSeq ?? 0;
  }

  #grow(entry: Entry, bytes: number): void {
    entry.bytes += bytes;
    if (entry.held) this.#bytes += bytes;
  }

  #touch(sessionId: string, entry: Entry): void {
    // a Map iterates in insertion order, so re-inserting moves the session to the young end
    if (entry.held) this.#sessions.delete(sessionId);
    else {
      entry.held = true;
      this.#bytes += entry.bytes;
    }
    this.#sessions.set(sessionId, entry);
    this.#evict();
  }

  #drop(sessionId: string, entry: Entry): void {
    this.#sessions.delete(sessionId);
    entry.held = false;
    this.#bytes -= entry.bytes;
  }

  /** Least recently used out until within the bounds (the session just used last of all). */
  #evict(): void {
    const { maxBytes, maxSessions } = this.#limits;
    while (this.#sessions.size > 0 && (this.#bytes > maxBytes || this.#sessions.size > maxSessions)) {
      const [oldest, entry] = this.#sessions.entries().next().value as [string, Entry];
      this.#drop(oldest, entry);
    }
  }
}
