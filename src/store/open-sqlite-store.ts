import { SessionBusyError, StoreError } from '../errors.js';
import type { CooldownEntry, CooldownKey, Turn } from '../types.js';
import { createCooldownTable } from './cooldown-table.js';
import { HistoryCache } from './history-cache.js';
import { createLeaseRenewer, createLeaseTaker } from './lease.js';
import { LeaseWaitQueue } from './lease-wait-queue.js';
import { openDatabase } from './open-database.js';
import { resolveStoreOptions, type SqliteStoreOptions } from './options.js';
import { rowToAttempt, rowToOrphan, rowToRun } from './row-mapping.js';
import { createRunEndings } from './run-endings.js';
import { toStoreError } from './sqlite-errors.js';
import { prepareStatements } from './statements.js';
import type { OpenedRun, OpenRunArgs, SessionStore } from './types.js';

const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;

export interface IntegrityReport {
  ok: boolean;
  /** What `PRAGMA integrity_check` reported; `['ok']` when healthy. */
  messages: string[];
}

/** The SQLite store: the engine's SessionStore plus maintenance a host may want. */
export interface SqliteSessionStore extends SessionStore {
  /** The schema version of the open database (`PRAGMA user_version`). */
  schemaVersion(): number;
  /** Runs `PRAGMA integrity_check` (reads the whole file: not for hot paths). */
  integrityCheck(): IntegrityReport;
  /** The connection's settings as SQLite reports them (diagnostics). */
  settings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA'; busyTimeoutMs: number };
  /** Deletes every cooldown that has ended at `now`; returns how many rows went. */
  deleteExpiredCooldowns(now: number): number;
}

/**
 * Opens (creating and migrating if needed) a session store in a SQLite file.
 *
 * @example
 * const store = openSqliteStore({ path: 'sessions.db' });
 * const { lease, history } = await store.openRun({ runId, sessionId, now: Date.now(), leaseTtlMs: 30_000, lockWaitMs: 30_000, providers: ['openai'] });
 */
export function openSqliteStore(options: SqliteStoreOptions = {}): SqliteSessionStore {
  const o = resolveStoreOptions(options);
  const { db, version } = openDatabase(o);
  let closed = false;
  const closedError = () => new StoreError('STORE_FAILED', o.path, `Store ${o.path} is closed`);
  const guard = <A extends unknown[], R>(doing: string, fn: (...args: A) => R) =>
    (...args: A): R => {
      if (closed) throw closedError();
      try {
        return fn(...args);
      } catch (e) {
        throw toStoreError(e, o.path, doing);
      }
    };

  const s = prepareStatements(db);
  const cooldowns = createCooldownTable(db, o.cooldownCleanupIntervalMs);
  const queue = new LeaseWaitQueue();
  const history = new HistoryCache(o.historyCacheSessions);
  const tryLease = guard('taking a session lease', createLeaseTaker(db, s, cooldowns, history));
  const endings = createRunEndings(db, s, history, (sessionId) => queue.released(sessionId));

  const openRun = async (a: OpenRunArgs): Promise<OpenedRun> => {
    if (closed) throw closedError();
    a.signal?.throwIfAborted();
    // joining behind waiters of this process keeps arrival order, even if the lease looks free
    if (!queue.hasWaiters(a.sessionId)) {
      const first = tryLease(a, a.now);
      if (first.acquired) return first.opened;
      if (!(a.lockWaitMs > 0)) throw new SessionBusyError(a.sessionId, 0);
    }
    const started = performance.now();
    return queue.wait({
      sessionId: a.sessionId,
      lockWaitMs: a.lockWaitMs,
      ...(a.signal ? { signal: a.signal } : {}),
      now: o.now ?? (() => a.now + Math.floor(performance.now() - started)),
      tryAcquire: (now) => {
        const r = tryLease(a, now);
        return r.acquired ? { acquired: true, value: r.opened } : r;
      },
    });
  };

  return {
    path: o.path,
    openRun,
    renewLease: guard('renewing a lease', createLeaseRenewer(db, s)),
    commitRun: guard('committing a run', endings.commitRun),
    failRun: guard('recording a failed run', endings.failRun),
    listTurns: guard('listing turns', (sessionId: string): Turn[] => s.listTurns.all(sessionId)),
    getRun: guard('reading a run', (runId: string) => {
      const row = s.getRun.get(runId);
      return row && rowToRun(row, s.listAttempts.all(runId).map(rowToAttempt));
    }),
    listOrphans: guard('listing orphans', () => s.listOrphans.all().map(rowToOrphan)),
    activeCooldowns: guard('reading cooldowns', (providers: readonly string[], now: number) => cooldowns.active(providers, now)),
    putCooldown: guard('writing a cooldown', (e: CooldownEntry) => cooldowns.put(e)),
    clearCooldowns: guard('clearing cooldowns', (keys: readonly CooldownKey[]) => cooldowns.clear(keys)),
    deleteExpiredCooldowns: guard('deleting expired cooldowns', (now: number) => cooldowns.deleteExpired(now)),
    schemaVersion: () => version,
    settings: guard('reading settings', () => ({
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      synchronous: SYNCHRONOUS_NAMES[db.pragma('synchronous', { simple: true }) as number] ?? 'EXTRA',
      busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
    })),
    integrityCheck: guard('checking integrity', (): IntegrityReport => {
      const messages = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
      const texts = messages.map((m) => m.integrity_check);
      return { ok: texts.length === 1 && texts[0] === 'ok', messages: texts };
    }),
    close() {
      if (closed) return;
      closed = true;
      queue.rejectAll(new StoreError('STORE_FAILED', o.path, `Store ${o.path} was closed while a run waited for its session`));
      db.close();
    },
  };
}
