import type Database from 'better-sqlite3';
import { checkOpenArgs, checkWait } from './port-arguments.js';
import { ConfigError, StoreError } from '../errors.js';
import { signalAborted } from '../call-signal.js';
import type { CooldownEntry, CooldownKey, Turn } from '../types.js';
import { isRetryable, retryWhileBusy } from './busy-retry.js';
import { createCooldownTable } from './cooldown-table.js';
import { HistoryCache } from './history-cache.js';
import { createLeaseRenewer, createLeaseTaker } from './lease.js';
import { openDatabase } from './open-database.js';
import { createOperations } from './operations.js';
import { resolveStoreOptions, type ResolvedStoreOptions, type SqliteStoreOptions } from './options.js';
import { rowToAttempt, rowToOrphan, rowToRun } from './row-mapping.js';
import { createRunEndings } from './run-endings.js';
import { SessionWakeups } from './session-wakeups.js';
import { isBusy, isCorruption, sqliteCode, toStoreError } from './sqlite-errors.js';
import { prepareStatements } from './statements.js';
import { checkText } from './text-checks.js';
import { turnFromRow } from './turn-rows.js';
import { revokeAll, RunsInFlight, type InFlight } from './runs-in-flight.js';
import type { OpenedRun, OpenRunArgs, PruneResult, SessionStore, WaitOptions } from './types.js';
import { waitForLease, type FirstTry } from './wait-for-lease.js';

const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;
/** A call with no bound of its caller's: it waits the store's `busyWaitMs`. */
const STORE_WAIT = Symbol('store wait');
/** How long close() tries to close the rows of runs in flight when the database is busy. */
const CLOSE_WAIT_MS = 5_000;

export interface IntegrityReport {
  ok: boolean;
  /** What `PRAGMA integrity_check` reported; `['ok']` when healthy. */
  messages: string[];
}

/** The SQLite store: the whole SessionStore contract plus maintenance a host may want. */
export interface SqliteSessionStore extends SessionStore {
  /** Settles when the store is open: at once, unless opening waits for another connection's write lock. */
  readonly ready: Promise<void>;
  /** The schema version of the open database (`PRAGMA user_version`); undefined while still opening. */
  schemaVersion(): number | undefined;
  /**
   * Runs `PRAGMA integrity_check` and answers, also for a damaged file (`ok: false` with what
   * SQLite said). It reads the whole file in one statement: not for hot paths.
   */
  integrityCheck(): Promise<IntegrityReport>;
  /** The connection's settings as SQLite reports them (diagnostics). */
  settings(): Promise<{ journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA'; busyTimeoutMs: number }>;
  /** Deletes every cooldown that has ended at `now`; returns how many rows went. */
  deleteExpiredCooldowns(now: number): Promise<number>;
}

function assemble(db: Database.Database, o: ResolvedStoreOptions, wakeups: SessionWakeups, stopped: () => StoreError | undefined) {
  const s = prepareStatements(db);
  const cooldowns = createCooldownTable(db, o.cooldownCleanupIntervalMs);
  const history = new HistoryCache(o.historyCache);
  // an OpenedRun's turn records, read when asked for (lease.ts); a closed store says so, typed
  const turnsUpTo = (sessionId: string, lastSeq: number): Turn[] => {
    if (stopped() || !db.open) throw new StoreError('STORE_CLOSED', o.path, `Store ${o.path} is closed: reading the history of a run is no longer possible`);
    try {
      return s.turnsUpTo.all(sessionId, lastSeq).map((row) => Object.freeze(turnFromRow(row, sessionId)) as Turn);
    } catch (e) {
      throw toStoreError(e, o.path, 'reading the history of a run');
    }
  };
  return {
    s,
    cooldowns,
    history,
    taker: createLeaseTaker(db, s, cooldowns, history, Date.now, turnsUpTo),
    renew: createLeaseRenewer(db, s),
    endings: createRunEndings(db, s, history, (sessionId) => wakeups.wake(sessionId)),
    ops: createOperations(db, s),
    /** Closing: the runs in flight end failed and let go of their sessions; the waiters' tickets go. */
    closeRuns: db.transaction((runs: readonly InFlight[], tickets: readonly number[], now: number, message: string) => {
      for (const { lease } of runs) {
        s.endRun.run({ runId: lease.runId, status: 'failed', now, code: 'STORE_CLOSED', message, decisions: null });
        s.releaseLease.run({ session: lease.sessionId, owner: lease.runId, token: lease.token, turns: 0, now });
      }
      for (const t of tickets) s.deleteTicket.run(t);
    }),
  };
}

type Parts = ReturnType<typeof assemble>;


/**
 * Opens (creating and migrating if needed) a session store in a SQLite file. Returns at once; if
 * opening needs a write lock another connection holds, it finishes in the background (`ready`)
 * and calls wait for it. A file that cannot be ours (corrupt, another program's, newer schema)
 * throws StoreError right here.
 *
 * No call blocks the event loop longer than one statement or transaction: a busy database is
 * retried asynchronously, with backoff, within the caller's bound (`lockWaitMs` for the engine).
 *
 * @example
 * const store = openSqliteStore({ path: 'sessions.db' });
 * const { lease, history } = await store.openRun({ runId, sessionId, now: Date.now(), leaseTtlMs: 30_000, lockWaitMs: 30_000, providers: ['openai'] });
 */
export function openSqliteStore(options: SqliteStoreOptions = {}): SqliteSessionStore {
  const o = resolveStoreOptions(options);
  const path = o.path;
  const wakeups = new SessionWakeups();
  const inFlight = new RunsInFlight();
  const tickets = new Set<number>();
  let closedError: StoreError | undefined;
  let closing: Promise<void> | undefined;
  const stopped = () => closedError;

  const { db, version: opening } = openDatabase(o, stopped);
  let version: number | undefined;
  let parts: Parts | undefined;
  const start = (v: number) => {
    version = v;
    parts = assemble(db, o, wakeups, stopped);
  };
  let ready: Promise<void>;
  if (typeof opening === 'number') {
    start(opening);
    ready = Promise.resolve();
  } else {
    ready = opening.then(start);
    ready.catch(() => undefined); // a failed opening is reported by every call (and by `ready` itself)
  }

  const withoutBusyWait = <T>(fn: () => T): T => {
    db.pragma('busy_timeout = 0');
    try {
      return fn();
    } finally {
      if (db.open) db.pragma(`busy_timeout = ${o.busyTimeoutMs}`);
    }
  };

  /** The store's parts, without a tick when it is open (so the first try of a call is synchronous). */
  const use = async (): Promise<Parts> => {
    if (closedError) throw closedError;
    if (!parts) await ready;
    if (closedError) throw closedError;
    return parts!;
  };

  /** A call that could not be done in the caller's turn: the store is still opening, or the database was busy. */
  const later = async <T>(doing: string, maxWaitMs: number, attempt: (p: Parts) => T, firstError?: unknown): Promise<T> => {
    const p = await use();
    try {
      return await retryWhileBusy(() => attempt(p), { maxWaitMs, stopped, withoutBusyWait }, firstError);
    } catch (e) {
      throw toStoreError(e, path, doing);
    }
  };

  /**
   * One call: a transaction (or read), retried while the database is busy, its errors typed.
   * Not an async function on purpose: the common case (open, not busy) runs the transaction right
   * here and costs one settled promise, not a chain of them (a run makes several such calls).
   */
  const call = <T>(doing: string, wait: WaitOptions | undefined | typeof STORE_WAIT, attempt: (p: Parts) => T): Promise<T> => {
    let maxWaitMs: number;
    try {
      // the bound is checked here, inside the try: a bad one is a rejected promise, not a throw
      maxWaitMs = wait === STORE_WAIT ? o.busyWaitMs : checkWait('maxWaitMs', wait?.maxWaitMs, o.busyWaitMs);
      if (!parts || closedError) return later(doing, maxWaitMs, attempt);
      return Promise.resolve(attempt(parts));
    } catch (e) {
      if (!isRetryable(e)) return Promise.reject(toStoreError(e, path, doing));
      return later(doing, maxWaitMs!, attempt, e);
    }
  };

  const register = (a: OpenRunArgs, opened: OpenedRun): OpenedRun => {
    inFlight.opened(a, opened.lease);
    return opened;
  };
  const waitContext = () => ({
    taker: parts!.taker,
    wakeups,
    now: o.now,
    stopped,
    tickets,
    withoutBusyWait,
    storeError: (e: unknown) => toStoreError(e, path, 'taking a session lease'),
  });
  const waitThenRegister = async (a: OpenRunArgs, first?: FirstTry): Promise<OpenedRun> => {
    if (!parts || closedError) await use();
    return register(a, await waitForLease(waitContext(), a, first));
  };

  const store: SqliteSessionStore = {
    path,
    ready,

    openRun(a) {
      try {
        checkOpenArgs(a, checkText);
        if (!parts || closedError || signalAborted(a)) return waitThenRegister(a);
        // the first try right here: an uncontended run never enters the waiting loop
        const outcome = parts.taker.take(a, a.now, undefined, a.lockWaitMs > 0);
        return outcome.acquired ? Promise.resolve(register(a, outcome.opened)) : waitThenRegister(a, { outcome });
      } catch (e) {
        if (isBusy(e)) return waitThenRegister(a, { busy: e });
        return Promise.reject(toStoreError(e, path, 'taking a session lease'));
      }
    },

    renewLease: (lease, now, ttlMs, w?: WaitOptions) =>
      call('renewing a lease', w, (p) => {
        try {
          return inFlight.renewed(p.renew(lease, now, ttlMs));
        } catch (e) {
          return inFlight.failed(lease.runId, e);
        }
      }),

    commitRun: (lease, a) =>
      call('committing a run', a, (p) => {
        try {
          const out = p.endings.commitRun(lease, a);
          inFlight.ended(a.runId);
          return out;
        } catch (e) {
          return inFlight.failed(a.runId, e); // orphaned when the lease was lost
        }
      }),

    failRun: (lease, a) =>
      call('recording a failed run', a, (p) => {
        p.endings.failRun(lease, a);
        inFlight.ended(a.runId);
      }),

    activeCooldowns: (providers, now, w?: WaitOptions) => call('reading cooldowns', w, (p) => p.cooldowns.active(providers, now)),
    putCooldown: (e: CooldownEntry, w?: WaitOptions) => call('writing a cooldown', w, (p) => p.cooldowns.put(e)),
    clearCooldowns: (keys: readonly CooldownKey[], w?: WaitOptions) => call('clearing cooldowns', w, (p) => p.cooldowns.clear(keys)),
    claimProbe: (keys: readonly CooldownKey[], runId: string, now: number, holdMs: number, w?: WaitOptions) =>
      call('claiming a probe', w, (p) => p.cooldowns.claimProbe(keys, runId, now, holdMs)),

    listSessions: (query) => call('listing sessions', STORE_WAIT, (p) => p.ops.listSessions(query)),
    getSession: (sessionId) => call('reading a session', STORE_WAIT, (p) => p.ops.getSession(sessionId)),
    listTurns: (sessionId) => call('listing turns', STORE_WAIT, (p): Turn[] => p.s.listTurns.all(sessionId).map((row) => turnFromRow(row, sessionId))),
    listRuns: (query) => call('listing runs', STORE_WAIT, (p) => p.ops.listRuns(query)),
    getRun: (runId) =>
      call('reading a run', STORE_WAIT, (p) => {
        const row = p.s.getRun.get(runId);
        return row && rowToRun(row, p.s.listAttempts.all(runId).map(rowToAttempt));
      }),
    listOrphans: () => call('listing orphans', STORE_WAIT, (p) => p.s.listOrphans.all().map(rowToOrphan)),
    listCooldowns: (now) => call('listing cooldowns', STORE_WAIT, (p) => p.cooldowns.all(now)),
    clearCooldownsMatching: (match) => call('clearing cooldowns', STORE_WAIT, (p) => p.cooldowns.clearMatching(match)),

    async prune({ before }) {
      if (typeof before !== 'number' || Number.isNaN(before)) throw new ConfigError('before', 'must be a time in ms');
      const total: PruneResult = { runs: 0, attempts: 0, orphans: 0 };
      // batches of short transactions, with the event loop free between them
      for (let more = true; more; ) {
        const batch = await call('pruning runs', STORE_WAIT, (p) => p.ops.pruneBatch(before, Date.now()));
        total.runs += batch.runs;
        total.attempts += batch.attempts;
        total.orphans += batch.orphans;
        more = batch.more;
        if (more) await new Promise((r) => setImmediate(r));
      }
      return total;
    },

    deleteExpiredCooldowns: (now) => call('deleting expired cooldowns', STORE_WAIT, (p) => p.cooldowns.deleteExpired(now)),
    schemaVersion: () => version,
    settings: () =>
      call('reading settings', STORE_WAIT, () => ({
        journalMode: db.pragma('journal_mode', { simple: true }) as string,
        synchronous: SYNCHRONOUS_NAMES[db.pragma('synchronous', { simple: true }) as number] ?? 'EXTRA',
        busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
      })),
    async integrityCheck() {
      await use();
      try {
        const texts = (db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]).map((m) => m.integrity_check);
        return { ok: texts.length === 1 && texts[0] === 'ok', messages: texts };
      } catch (e) {
        // SQLite gives up on some damage with an error instead of a report: that is the answer too
        if (isCorruption(sqliteCode(e))) return { ok: false, messages: [(e as Error).message] };
        throw toStoreError(e, path, 'checking integrity');
      }
    },

    close() {
      if (closing) return closing;
      closedError = new StoreError('STORE_CLOSED', path, `Store ${path} is closed`);
      wakeups.wakeAll();
      const runs = inFlight.takeAll();
      const finish = () => {
        revokeAll(runs, new StoreError('STORE_CLOSED', path, `Store ${path} was closed while the run held its session; the run was closed as failed and the session released`));
        if (db.open) db.close();
      };
      const message = 'the store was closed while the run was in flight';
      const waiting = [...tickets];
      tickets.clear();
      const endRuns = () => parts!.closeRuns(runs, waiting, o.now?.() ?? Date.now(), message);
      if (!parts) {
        // still opening: the opening sees the store closed and gives up (closing the connection)
        closing = ready.then(finish, finish);
        return closing;
      }
      try {
        if (runs.length > 0 || waiting.length > 0) endRuns();
      } catch (e) {
        if (isBusy(e)) {
          // leases left to expire if the database stays locked
          closing = retryWhileBusy(endRuns, { maxWaitMs: Math.min(CLOSE_WAIT_MS, o.busyWaitMs), stopped: () => undefined }).then(finish, finish);
          return closing;
        }
      }
      finish();
      closing = Promise.resolve();
      return closing;
    },
  };
  return store;
}
