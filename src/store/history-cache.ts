import type { Role } from '../message-types.js';
import type { Message, Turn } from '../types.js';
import { RunBoundaries } from './run-boundaries.js';
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
   * Which run wrote each turn, when the cache keeps it (`keepRunIds`). Only the first `lastSeq`
   * turns belong to this read: it only grows.
   */
  runs?: RunBoundaries;
}

/**
 * What the cache counts for a text turn beyond its text: its slot in the session's array of
 * contents (8 bytes on Node's 64-bit heap, which does not compress pointers), the string's
 * header (16), its role (1 byte), and room for the string's 8-byte alignment and the arrays'
 * growth. The `{ role, content }` objects runs are given are not counted: they are a
 * collectable tier (see HistoryCache). An estimate, not a measurement: `npm run bench` reports
 * the heap a cached turn really takes.
 */
export const TURN_OVERHEAD_BYTES = 32;

/**
 * What a turn kept as its frozen message (one with parts or provider options) counts beyond
 * TURN_OVERHEAD_BYTES: the message object itself.
 */
const MESSAGE_OBJECT_BYTES = 40;

/** The `holder` of an array given to more than one run. */
const SHARED = '\u0000shared';

// The roles of text turns as one byte each; every message built points at one of these four
// strings, not at a copy of its own per row.
const ROLE_NAMES: readonly Role[] = ['system', 'user', 'assistant', 'tool'];
/** A role's index in ROLE_NAMES, -1 for any other string (no object lookup: a row's role is data). */
const roleCode = (role: string): number => (role === 'user' ? 1 : role === 'assistant' ? 2 : role === 'system' ? 0 : role === 'tool' ? 3 : -1);
/** The one string of a role, or the row's own for a role the cache does not know. */
const shared = (role: Role): Role => ROLE_NAMES[roleCode(role)] ?? role;

/** The bytes a cached message is counted for: its text (UTF-16 code units) plus the overhead. */
export function cachedBytes(m: Message): number {
  if (isText(m)) return TURN_OVERHEAD_BYTES + m.content.length;
  // parts are objects and arrays: counted at twice their JSON, a generous estimate
  const content = typeof m.content === 'string' ? m.content.length : 2 * JSON.stringify(m.content).length;
  return TURN_OVERHEAD_BYTES + MESSAGE_OBJECT_BYTES + content + (m.providerOptions === undefined ? 0 : 2 * JSON.stringify(m.providerOptions).length);
}

/** A message the compact tier keeps as its content string and a role byte. */
const isText = (m: Message): m is Message & { content: string } =>
  typeof m.content === 'string' && m.providerOptions === undefined && roleCode(m.role) >= 0;

/**
 * How the cache holds a session's messages weakly (see HistoryCache). A seam for tests, which
 * swap in a reference they clear when they choose (forcing a collection is not theirs to do);
 * nothing else sets it.
 */
export const weakHold: { of: (messages: Message[]) => { deref(): Message[] | undefined } } = {
  of: (messages) => new WeakRef(messages),
};

/**
 * A run's `Turn` records (frozen, in a new array), built from what the cache gave it: turn seqs
 * run from 1 without a gap (each commit appends at the last seq + 1, under the session's lock,
 * and turns are never deleted), so the message at index i is turn i + 1.
 */
export function turnRecords(history: CachedHistory): Turn[] {
  const { messages, runs, lastSeq } = history;
  if (!runs) throw new TypeError('turnRecords needs a cache that keeps run ids (keepRunIds)');
  const ids = runs.idsUpTo(lastSeq);
  const turns: Turn[] = new Array(lastSeq);
  for (let i = 0; i < lastSeq; i++) turns[i] = Object.freeze({ seq: i + 1, ...messages[i]!, runId: ids[i]! }) as Turn;
  return turns;
}

function rowMessage(row: TurnRow, sessionId: string): Message {
  if (row.parts === null && row.providerOptions === null) return Object.freeze({ role: shared(row.role), content: row.content }) as Message;
  return Object.freeze(turnMessage(turnFromRow(row, sessionId)));
}

const turnToMessage = (t: Turn): Message =>
  Object.freeze(t.providerOptions === undefined && typeof t.content === 'string' ? { role: shared(t.role), content: t.content } : turnMessage(t)) as Message;

interface Entry {
  /**
   * The compact tier, what the cache counts: per turn, its content string (the string read or
   * committed, not a copy) when it is plain text, else its frozen message.
   */
  items: (string | Message)[];
  /** The role code (roleCode) of each text turn in `items` (its first `items.length` bytes). */
  roles: Uint8Array;
  /** With `keepRunIds`: which run wrote each turn. Appended to, never changed. */
  runs: RunBoundaries | undefined;
  lastSeq: number;
  bytes: number;
  /**
   * The collectable tier: the messages last given to runs (or built for them), `items.length`
   * of them, held weakly. Undefined, or gone, when nobody has held them since a collection.
   */
  messages: { deref(): Message[] | undefined } | undefined;
  /**
   * Who was given `messages` since it last changed: nobody, one run (its id), or several
   * (`SHARED`). Only the commit of a sole holder may extend the array in place.
   */
  holder: string | undefined;
  /** In the cache (its bytes counted); false for an entry being built or evicted. */
  held: boolean;
}

const NO_ROLES = new Uint8Array(0);
/** The runs of an empty session (never added to). */
const NO_RUNS = new RunBoundaries();

/** The messages of an entry's compact tier, built afresh: objects only, the strings are shared. */
function buildMessages(entry: Entry): Message[] {
  const { items, roles } = entry;
  const messages: Message[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    messages.push(typeof item === 'string' ? (Object.freeze({ role: ROLE_NAMES[roles[i]!]!, content: item }) as Message) : item);
  }
  return messages;
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
 * stay).
 *
 * Two tiers. The compact one is what the cache keeps and counts (cachedBytes): per session, the
 * turns' content strings in one array (the frozen message itself for the rare turn that is not
 * plain text: parts, provider options), their roles as one byte each, and with `keepRunIds`
 * the runs' boundaries and ids (one entry per run). The collectable one is the array of frozen
 * `{ role, content }` messages runs are given: built from the compact tier when a run needs
 * it, shared by the runs of the session, and held by the cache only through a weak reference,
 * so a collection drops it once no run holds it; the next read builds it again (objects only:
 * the strings are the compact tier's). Its heap is not counted in the bound.
 *
 * The SQLite store reads a run's `Turn` records from the database only if something asks for
 * them (open-sqlite-store.ts); the PostgreSQL store builds them from the cache (turnRecords).
 * One cache serves both: the SQLite store reads synchronously (`read`), PostgreSQL inside its
 * run's transaction, asynchronously (`readAsync`).
 */
export class HistoryCache {
  readonly #limits: HistoryCacheLimits;
  readonly #sessions = new Map<string, Entry>();
  #bytes = 0;

  constructor(limits: HistoryCacheLimits) {
    this.#limits = limits;
  }

  /** Bytes of history held now (the sum of cachedBytes of every cached turn, and of the runs kept). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Sessions held now. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** The full history of a session for run `runId`: the cached part, then the rows `readAfter` returns after it. */
  read(sessionId: string, runId: string, readAfter: (sessionId: string, afterSeq: number) => readonly TurnRow[]): CachedHistory {
    const cached = this.#sessions.get(sessionId);
    const rows = readAfter(sessionId, cached?.lastSeq ?? 0);
    // an empty session: nothing to keep (an entry would count no bytes, and save no read)
    if (cached === undefined && rows.length === 0) return this.#limits.keepRunIds ? { messages: [], lastSeq: 0, runs: NO_RUNS } : { messages: [], lastSeq: 0 };
    const entry: Entry = cached ?? {
      items: [],
      roles: NO_ROLES,
      runs: this.#limits.keepRunIds ? new RunBoundaries() : undefined,
      lastSeq: 0,
      bytes: 0,
      messages: undefined,
      holder: undefined,
      held: false,
    };
    if (rows.length > 0) {
      this.#extend(entry, rows.map((r) => rowMessage(r, sessionId)), rows, undefined);
      entry.lastSeq = rows[rows.length - 1]!.seq;
    }
    let messages = entry.messages?.deref();
    if (messages === undefined) {
      // never built, or collected since no run held it: build it again from the compact tier
      messages = buildMessages(entry);
      entry.messages = weakHold.of(messages);
      entry.holder = undefined;
    }
    if (entry.bytes > this.#limits.maxBytes) {
      // too big to keep (or the cache is off): read whole each time, without pushing others out
      if (entry.held) this.#drop(sessionId, entry);
    } else {
      this.#touch(sessionId, entry);
      entry.holder = entry.holder === undefined || entry.holder === runId ? runId : SHARED;
    }
    return entry.runs ? { messages, lastSeq: entry.lastSeq, runs: entry.runs } : { messages, lastSeq: entry.lastSeq };
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
   * wrote). The compact tier only grows. The messages, when still built, are extended in place
   * when nobody was given them, or only the committing run, which is done with them; otherwise
   * the session moves to a new array, made in one copy of exactly the right size, and what the
   * holders were given stays as it was. Messages no longer built are built on the next read.
   */
  #extend(entry: Entry, added: Message[], of: readonly { runId: string }[], committer: string | undefined): void {
    const messages = entry.messages?.deref();
    // a new entry's messages are the ones just made (not built a second time)
    if (messages === undefined) entry.messages = entry.items.length === 0 ? weakHold.of(added) : undefined;
    else if (entry.holder === undefined || (committer !== undefined && entry.holder === committer)) for (const m of added) messages.push(m);
    else entry.messages = weakHold.of(messages.concat(added));
    entry.holder = undefined;

    const { items, runs } = entry;
    const start = items.length;
    if (entry.roles.length < start + added.length) {
      // a quarter more: a session read whole then grown by a few turns a run does not pay for
      // twice its length (copying bytes is cheap)
      const roles = new Uint8Array(Math.max(entry.roles.length + (entry.roles.length >> 2), start + added.length) + 16);
      roles.set(entry.roles);
      entry.roles = roles;
    }
    let bytes = 0;
    for (let i = 0; i < added.length; i++) {
      const m = added[i]!;
      if (isText(m)) {
        entry.roles[start + i] = roleCode(m.role);
        items.push(m.content);
      } else items.push(m);
      bytes += cachedBytes(m);
    }
    if (runs) for (let i = 0; i < of.length; i++) bytes += runs.add(start + i, of[i]!.runId);
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
