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
  /**
   * The run id of every turn, by seq (turn `seq` at index `seq - 1`), when the cache keeps them
   * (`keepRunIds`); only its first `lastSeq` entries belong to this read: the array only grows.
   */
  runIds?: readonly string[];
}

/**
 * What the cache counts for a turn beyond its text: the `{ role, content }` object (40 bytes on
 * Node's 64-bit heap, which does not compress pointers), its array slot (8) and the string's
 * header (16). An estimate, not a measurement: `npm run bench` reports the heap a cached turn
 * really takes (about 70 bytes beyond its text, array growth included).
 */
export const TURN_OVERHEAD_BYTES = 64;

/**
 * What a kept run id counts: its array slot per turn, and the string (header plus text) once
 * per run, since a run's turns share one string.
 */
export const RUN_ID_SLOT_BYTES = 8;
const STRING_HEADER_BYTES = 16;

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

/**
 * Appends the run ids of `of` to `runIds`, one string per run (a run's turns are consecutive),
 * and answers the bytes they add.
 */
function keepRunIds(runIds: string[], of: readonly { runId: string }[]): number {
  let bytes = RUN_ID_SLOT_BYTES * of.length;
  let last = runIds.at(-1);
  for (const { runId } of of) {
    if (runId !== last) {
      last = runId;
      bytes += STRING_HEADER_BYTES + runId.length;
    }
    runIds.push(last);
  }
  return bytes;
}

/**
 * A run's `Turn` records (frozen, in a new array), built from what the cache gave it: turn seqs
 * run from 1 without a gap (each commit appends at the last seq + 1, under the session's lock,
 * and turns are never deleted), so the message at index i is turn i + 1.
 */
export function turnRecords(history: CachedHistory): Turn[] {
  const { messages, runIds, lastSeq } = history;
  if (!runIds) throw new TypeError('turnRecords needs a cache that keeps run ids (keepRunIds)');
  const turns: Turn[] = new Array(lastSeq);
  for (let i = 0; i < lastSeq; i++) turns[i] = Object.freeze({ seq: i + 1, ...messages[i]!, runId: runIds[i]! }) as Turn;
  return turns;
}

const turnToMessage = (t: Turn): Message =>
  Object.freeze(t.providerOptions === undefined && typeof t.content === 'string' ? { role: ROLES[t.role] ?? t.role, content: t.content } : turnMessage(t)) as Message;

interface Entry {
  messages: Message[];
  /** The run id of each turn (only with `keepRunIds`): appended to in place, never changed. */
  runIds: string[] | undefined;
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
  /**
   * Keep each turn's run id too, so a run's `Turn` records can be built without a read (see
   * turnRecords): for a store whose reads are asynchronous (PostgreSQL), which cannot read them
   * when a caller asks for `OpenedRun.history`. The SQLite store reads them then instead.
   */
  keepRunIds?: boolean;
}

/**
 * Session histories kept in memory so that opening a run reads only the turns appended since
 * the last time, instead of the whole session: without it, every run of a long session pays
 * for every turn ever written (about a microsecond per row).
 *
 * Sound because turns are append-only and seq only grows under the write lock: reading
 * `seq > last cached seq` inside the run's transaction sees every turn any process added.
 * Bounded in bytes (and optionally in sessions): least recently used sessions go first, and a
 * session bigger than the whole bound is read afresh each time rather than cached (the others
 * stay). Only messages are kept (one frozen `{ role, content }` per turn), and with `keepRunIds`
 * each turn's run id: the SQLite store reads a run's `Turn` records from the database only if
 * something asks for them (open-sqlite-store.ts); the PostgreSQL store builds them from the
 * cache (turnRecords). One cache serves both: the SQLite store reads synchronously (`read`),
 * PostgreSQL inside its run's transaction, asynchronously (`readAsync`).
 */
export class HistoryCache {
  readonly #limits: HistoryCacheLimits;
  readonly #sessions = new Map<string, Entry>();
  #bytes = 0;

  constructor(limits: HistoryCacheLimits) {
    this.#limits = limits;
  }

  /** Bytes of history held now (the sum of cachedBytes of every cached message, and of the run ids kept). */
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
    const entry = cached ?? { messages: [], runIds: this.#limits.keepRunIds ? [] : undefined, lastSeq: 0, bytes: 0, holder: undefined, held: false };
    if (rows.length > 0) {
      this.#extend(entry, rows.map((r) => rowMessage(r, sessionId)), rows, undefined);
      entry.lastSeq = rows[rows.length - 1]!.seq;
    }
    if (entry.bytes > this.#limits.maxBytes || entry.lastSeq === 0) {
      // too big to keep (or the cache is off): read whole each time, without pushing others out;
      // an empty session saves no read, and would be an entry that counts no bytes
      if (entry.held) this.#drop(sessionId, entry);
    } else {
      this.#touch(sessionId, entry);
      entry.holder = entry.holder === undefined || entry.holder === runId ? runId : SHARED;
    }
    return entry.runIds ? { messages: entry.messages, lastSeq: entry.lastSeq, runIds: entry.runIds } : { messages: entry.messages, lastSeq: entry.lastSeq };
  }

  /**
   * `read` for a reader whose reads are asynchronous (PostgreSQL, inside the run's transaction):
   * fetches the rows after the cached part, then hands them over, unless the cached part moved
   * meanwhile (a commit of this process landed, or the session was evicted): then fetches again.
   */
  async readAsync(sessionId: string, runId: string, readAfter: (sessionId: string, afterSeq: number) => Promise<TurnRow[]>): Promise<CachedHistory> {
    for (;;) {
      const after = this.lastSeq(sessionId);
      const rows = await readAfter(sessionId, after);
      if (this.lastSeq(sessionId) === after) return this.read(sessionId, runId, () => rows);
    }
  }

  /** A commit of run `runId` landed: extend the cached history if it was up to date. */
  appended(sessionId: string, runId: string, turns: readonly Turn[]): void {
    const entry = this.#sessions.get(sessionId);
    if (!entry || turns.length === 0) return;
    if (turns[0]!.seq !== entry.lastSeq + 1) {
      this.#drop(sessionId, entry); // another process wrote in between: re-read next time
      return;
    }
    this.#extend(entry, turns.map(turnToMessage), turns, runId);
    entry.lastSeq = turns[turns.length - 1]!.seq;
    if (entry.bytes > this.#limits.maxBytes) this.#drop(sessionId, entry);
    else this.#evict();
  }

  /**
   * Appends to the entry, for the commit of `committer` (undefined: turns another process
   * wrote). The array is extended in place when nobody was given it, or only the committing run,
   * which is done with it; otherwise the session moves to a new array, made in one copy of
   * exactly the right size, and what the holders were given stays as it was.
   */
  #extend(entry: Entry, added: Message[], of: readonly { runId: string }[], committer: string | undefined): void {
    const inPlace = entry.holder === undefined || (committer !== undefined && entry.holder === committer);
    if (entry.messages.length === 0) entry.messages = added;
    else if (!inPlace) entry.messages = entry.messages.concat(added);
    else for (const m of added) entry.messages.push(m);
    entry.holder = undefined;
    let bytes = 0;
    for (const m of added) bytes += cachedBytes(m);
    if (entry.runIds) bytes += keepRunIds(entry.runIds, of);
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

  /** Least recently used out until within the bounds (the session just used last of all: it fits alone, or was not kept). */
  #evict(): void {
    const { maxBytes, maxSessions } = this.#limits;
    while (this.#sessions.size > 0 && (this.#bytes > maxBytes || this.#sessions.size > maxSessions)) {
      const [oldest, entry] = this.#sessions.entries().next().value as [string, Entry];
      this.#drop(oldest, entry);
    }
  }
}
