import pg from 'pg';
import { checkOpenArgs, checkWait } from '../port-arguments.js';
import { ConfigError, StoreError } from '../../errors.js';
import type { CooldownEntry, CooldownKey } from '../../types.js';
import { HistoryCache } from '../history-cache.js';
import { SessionWakeups } from '../session-wakeups.js';
import { revokeAll, RunsInFlight } from '../runs-in-flight.js';
import type { OpenedRun, PruneResult, SessionStore, WaitOptions } from '../types.js';
import { createPgCooldowns } from './cooldowns.js';
import { Database, type Queryable } from './database.js';
import { toStoreError } from './errors.js';
import { createPgLeaseTaker, renewPgLease } from './lease.js';
import { migrate } from './migrate.js';
import { createPgOperations } from './operations.js';
import { resolvePostgresOptions, type PostgresStoreOptions } from './options.js';
import { ReleaseListener } from './release-listener.js';
import { createPgRunEndings } from './run-endings.js';
import { pgStatements, releaseChannel } from './statements.js';
import { checkPgText } from './text.js';
import { createArrivalOrder, waitForPgLease } from './wait-for-lease.js';

/** How long close() tries to close the rows of the runs in flight before leaving their leases to expire. */
const CLOSE_WAIT_MS = 5_000;

/** Cooldown entries written in one statement, at most. */
const COOLDOWN_BATCH = 500;

interface QueuedWrite {
  /** An entry to upsert, or keys to clear (`clear`). */
  entry: CooldownEntry | undefined;
  clear: readonly CooldownKey[] | undefined;
  maxWaitMs: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface CooldownStatements {
  put(entries: readonly CooldownEntry[], maxWaitMs: number): Promise<void>;
  clear(keys: readonly CooldownKey[], maxWaitMs: number): Promise<void>;
}

/**
 * A store's cooldown writes (puts and clears) in the order they were called, by one writer:
 * puts that queued while a statement was on its way go in the next one, together (`putMany`).
 * A run shares its failure's cooldown without waiting for the write (run-effects), so under
 * load (many runs failing over at once: an incident) writes pile up for the pool while their
 * runs go on; each one queued in the pool held its whole chain (the store call and its retry
 * loop, pg's query, its pending connection, a timer and their promises: ~2.6 KB per run in
 * flight of postgres/one-failure), and took a round trip of its own. Queued here, a write holds
 * its entry and its promise until the next statement takes it. Clears go in the same queue, so
 * that a success's clear never overtakes a put called before it. Puts of one statement share its
 * wait bound and retries (a put with another `maxWaitMs` starts the next statement); a batch the
 * server refused for a reason of its own (STORE_FAILED) is written again entry by entry, so
 * that a put fails only for itself.
 */
class CooldownWrites {
  readonly #s: CooldownStatements;
  #queue: (QueuedWrite | undefined)[] = [];
  #head = 0;
  #writing = false;

  constructor(s: CooldownStatements) {
    this.#s = s;
  }

  put(entry: CooldownEntry, maxWaitMs: number): Promise<void> {
    return this.#enqueue(entry, undefined, maxWaitMs);
  }

  clear(keys: readonly CooldownKey[], maxWaitMs: number): Promise<void> {
    return this.#enqueue(undefined, keys, maxWaitMs);
  }

  #enqueue(entry: CooldownEntry | undefined, clear: readonly CooldownKey[] | undefined, maxWaitMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ entry, clear, maxWaitMs, resolve, reject });
      if (!this.#writing) {
        this.#writing = true;
        void this.#drain();
      }
    });
  }

  async #drain(): Promise<void> {
    for (let batch = this.#take(); batch.length > 0; batch = this.#take()) {
      const first = batch[0]!;
      try {
        if (first.clear) await this.#s.clear(first.clear, first.maxWaitMs);
        else await this.#s.put(batch.map((w) => w.entry!), first.maxWaitMs);
        for (const w of batch) w.resolve();
      } catch (err) {
        if (batch.length > 1 && (err as { code?: string }).code === 'STORE_FAILED') {
          await Promise.all(batch.map((w) => this.#s.put([w.entry!], w.maxWaitMs).then(w.resolve, w.reject)));
        } else {
          for (const w of batch) w.reject(err);
        }
      }
    }
    this.#writing = false;
  }

  /** The next statement's writes, in order: one clear, or puts of one wait bound (none when the queue is empty). */
  #take(): QueuedWrite[] {
    const batch: QueuedWrite[] = [];
    const queue = this.#queue;
    while (this.#head < queue.length && batch.length < COOLDOWN_BATCH) {
      const next = queue[this.#head]!;
      if (batch.length > 0 && (next.clear || batch[0]!.clear || next.maxWaitMs !== batch[0]!.maxWaitMs)) break;
      batch.push(next);
      queue[this.#head++] = undefined;
    }
    if (this.#head === queue.length) {
      // drained: start the queue afresh rather than keep its taken slots
      this.#queue = [];
      this.#head = 0;
    }
    return batch;
  }
}

/** The PostgreSQL store: the whole SessionStore contract, for many hosts sharing sessions, leases and cooldowns. */
export interface PostgresSessionStore extends SessionStore {
  /** Settles when the schema is in place (created or migrated); every call waits for it. Rejects as opening failed. */
  readonly ready: Promise<void>;
  /** The schema version in the database; undefined while still opening. */
  schemaVersion(): number | undefined;
  /** Deletes every cooldown that has ended at `now`; returns how many rows went. */
  deleteExpiredCooldowns(now: number): Promise<number>;
}


/**
 * Server settings of the store's own connections. A transaction of the store holds a session's
 * row lock for a few statements: one that waits 10 s for a lock meets a holder that froze
 * mid-transaction (retried as busy, then STORE_BUSY), and the server ends such a holder's
 * transaction after 60 s idle, releasing its locks. (With a `pool` of the host's, its settings.)
 */
export const SERVER_SETTINGS = '-c lock_timeout=10000 -c idle_in_transaction_session_timeout=60000';

function ownPool(connectionString: string, size: number, connectTimeoutMs: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: size, connectionTimeoutMillis: connectTimeoutMs, idleTimeoutMillis: 10_000, options: SERVER_SETTINGS });
  // an idle connection the server dropped (a restart) must not crash the host: the pool forgets it
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Opens the PostgreSQL session store: many hosts on one database share sessions, leases (with
 * fencing tokens checked in every write) and cooldowns. Returns at once; the schema is created or
 * migrated in the background (`ready`), under an advisory lock so hosts starting together do not
 * race, and every call waits for it.
 *
 * @example
 * const store = openPostgresStore({ connectionString: 'postgres://app@db.internal:5432/gateway?schema=llm' });
 * await store.ready;
 */
export function openPostgresStore(options: PostgresStoreOptions): PostgresSessionStore {
  const o = resolvePostgresOptions(options);
  const where = o.where;
  const pool = o.pool ?? ownPool(o.connectionString!, o.poolSize, o.connectTimeoutMs);
  const db = new Database(pool, where);
  const q = pgStatements(o.schema);
  const channel = releaseChannel(o.schema);
  const wakeups = new SessionWakeups();
  // with run ids: a run's turn records are built from the cache, as reading them later would be asynchronous
  const history = new HistoryCache({ ...o.historyCache, keepRunIds: true });
  const cooldowns = createPgCooldowns(q, o.cooldownCleanupIntervalMs);
  const taker = createPgLeaseTaker(db, q, cooldowns, history);
  const endings = createPgRunEndings(db, q, history, channel);
  const ops = createPgOperations(q);
  const listenerConfig: pg.ClientConfig = o.connectionString
    ? { connectionString: o.connectionString, connectionTimeoutMillis: o.connectTimeoutMs }
    : { ...(pool as unknown as { options: pg.ClientConfig }).options };
  const listener = new ReleaseListener(listenerConfig, channel, wakeups);
  const inOrder = createArrivalOrder();
  const inFlight = new RunsInFlight();
  const tickets = new Set<number>();
  let closedError: StoreError | undefined;
  let closing: Promise<void> | undefined;
  let version: number | undefined;
  const stopped = () => closedError;

  const ready = (async () => {
    version = await db.retrying('opening the store', { maxWaitMs: o.busyWaitMs, stopped }, () => migrate(db, o.schema, o.createSchema));
    // not awaited: until it listens, waiters poll more often (and it wakes them all once it does)
    if (!closedError) void listener.start();
  })();
  ready.catch(() => undefined); // a failed opening is reported by every call (and by `ready` itself)

  const use = async (): Promise<void> => {
    if (closedError) throw closedError;
    await ready;
    if (closedError) throw closedError;
  };
  /** One call: waits for the schema, then runs `fn`, again on a fresh connection while the server is away (within the bound). */
  const call = async <T>(doing: string, maxWaitMs: number, fn: () => Promise<T>): Promise<T> => {
    await use();
    return db.retrying(doing, { maxWaitMs, stopped }, fn);
  };
  const bound = (w: WaitOptions | undefined) => checkWait('maxWaitMs', w?.maxWaitMs, o.busyWaitMs);
  const read = <T>(doing: string, fn: (c: Queryable) => Promise<T>): Promise<T> => call(doing, o.busyWaitMs, () => fn(db.direct));
  const released = (sessionId: string) => wakeups.wake(sessionId);
  const cooldownWrites = new CooldownWrites({
    put: (entries, maxWaitMs) => call('writing a cooldown', maxWaitMs, () => cooldowns.putMany(db.direct, entries)),
    clear: (keys, maxWaitMs) => call('clearing cooldowns', maxWaitMs, () => cooldowns.clear(db.direct, keys)),
  });

  const store: PostgresSessionStore = {
    path: where,
    ready,

    async openRun(a) {
      checkOpenArgs(a, checkPgText);
      let opened: OpenedRun;
      try {
        await use();
        opened = await waitForPgLease(
          { taker, wakeups, inOrder, listening: () => listener.listening, now: o.now, stopped, tickets, storeError: (e) => toStoreError(e, where, 'taking a session lease') },
          a,
        );
      } catch (e) {
        // A waiter stopped by close() rejects after close() has settled and its caller resumed
        // (as with SQLite, whose close is immediate), not while the caller still awaits close().
        if (e === closedError && closing) {
          await closing;
          await new Promise((resolve) => setImmediate(resolve));
        }
        throw e;
      }
      inFlight.opened(a, opened.lease);
      return opened;
    },

    async renewLease(lease, now, ttlMs, w) {
      const maxWaitMs = bound(w);
      try {
        return inFlight.renewed(await call('renewing a lease', maxWaitMs, () => renewPgLease(db, q, lease, ttlMs, now)));
      } catch (e) {
        return inFlight.failed(lease.runId, e);
      }
    },

    async commitRun(lease, a) {
      const maxWaitMs = bound(a);
      endings.checkCommit(lease, a);
      try {
        const out = await call('committing a run', maxWaitMs, () => endings.commitRun(lease, a, released));
        inFlight.ended(a.runId);
        return out;
      } catch (e) {
        return inFlight.failed(a.runId, e); // orphaned when the lease was lost
      }
    },

    async failRun(lease, a) {
      const maxWaitMs = bound(a);
      endings.checkFail(lease, a);
      await call('recording a failed run', maxWaitMs, () => endings.failRun(lease, a, released));
      inFlight.ended(a.runId);
    },

    async activeCooldowns(providers, now, w) {
      return call('reading cooldowns', bound(w), () => cooldowns.active(db.direct, providers, now));
    },
    putCooldown(e: CooldownEntry, w?: WaitOptions) {
      try {
        const maxWaitMs = bound(w);
        cooldowns.check(e);
        return cooldownWrites.put(e, maxWaitMs);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    async claimProbe(keys: readonly CooldownKey[], runId: string, now: number, holdMs: number, w?: WaitOptions) {
      return call('claiming a probe', bound(w), () => cooldowns.claimProbe(db.direct, keys, runId, now, holdMs));
    },
    async clearCooldowns(keys: readonly CooldownKey[], w?: WaitOptions) {
      // behind the puts called before it (CooldownWrites)
      await cooldownWrites.clear(keys, bound(w));
    },

    listSessions: async (query) => {
      ops.checkLimit(query?.limit);
      return read('listing sessions', (c) => ops.listSessions(c, query));
    },
    getSession: (sessionId) => read('reading a session', (c) => ops.getSession(c, sessionId)),
    listTurns: (sessionId) => read('listing turns', (c) => ops.listTurns(c, sessionId)),
    listRuns: async (query) => {
      ops.checkLimit(query?.limit);
      return read('listing runs', (c) => ops.listRuns(c, query));
    },
    getRun: (runId) => read('reading a run', (c) => ops.getRun(c, runId)),
    listOrphans: () => read('listing orphans', (c) => ops.listOrphans(c)),
    listCooldowns: (now) => read('listing cooldowns', (c) => cooldowns.all(c, now)),
    clearCooldownsMatching: (match) => read('clearing cooldowns', (c) => cooldowns.clearMatching(c, match)),
    deleteExpiredCooldowns: (now) => read('deleting expired cooldowns', (c) => cooldowns.deleteExpired(c, now)),

    async prune({ before }) {
      if (typeof before !== 'number' || Number.isNaN(before)) throw new ConfigError('before', 'must be a time in ms');
      const total: PruneResult = { runs: 0, attempts: 0, orphans: 0 };
      for (let more = true; more; ) {
        const batch = await read('pruning runs', (c) => ops.pruneBatch(c, before));
        total.runs += batch.runs;
        total.attempts += batch.attempts;
        total.orphans += batch.orphans;
        more = batch.more;
      }
      return total;
    },

    schemaVersion: () => version,

    close() {
      if (closing) return closing;
      closedError = new StoreError('STORE_CLOSED', where, `Store ${where} is closed`);
      wakeups.wakeAll();
      const runs = inFlight.takeAll();
      const waiting = [...tickets];
      tickets.clear();
      const now = o.now?.() ?? Date.now();
      const message = 'the store was closed while the run was in flight';
      const endRuns = async () => {
        if (version === undefined || (runs.length === 0 && waiting.length === 0)) return;
        await db.retrying('closing the runs in flight', { maxWaitMs: Math.min(CLOSE_WAIT_MS, o.busyWaitMs), stopped: () => undefined }, () =>
          db.transaction(async (tx) => {
            if (runs.length > 0) await tx.query(q.closeRuns, [runs.map((r) => r.lease.runId), now, message]);
            for (const { lease } of runs) {
              const payload = Buffer.byteLength(lease.sessionId) < 7_000 ? lease.sessionId : '';
              await tx.query(q.releaseLease, [lease.sessionId, lease.runId, lease.token, 0, now, channel, payload]);
            }
            if (waiting.length > 0) await tx.query(q.deleteTickets, [waiting]);
          }),
        );
      };
      const finish = async () => {
        revokeAll(runs, new StoreError('STORE_CLOSED', where, `Store ${where} was closed while the run held its session; the run was closed as failed and the session released`));
        await listener.stop();
        if (!o.pool) await pool.end().catch(() => undefined);
      };
      closing = ready
        .then(endRuns)
        .catch(() => undefined) // leases left to expire if the server is away
        .then(finish);
      return closing;
    },
  };
  return store;
}
