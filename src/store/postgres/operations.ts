import { ConfigError } from '../../errors.js';
import { rowToAttempt, rowToOrphan, rowToRun, rowToRunSummary, rowToSession, type SessionListRow } from '../row-mapping.js';
import type { AttemptRow, RunRow } from '../statements.js';
import { turnFromRow, type TurnRow } from '../turn-rows.js';
import type { ListRunsQuery, ListSessionsQuery, OrphanRun, PruneResult, RunRecord, RunSummary, SessionDetail, SessionSummary } from '../types.js';
import type { Queryable } from './database.js';
import type { PgStatements } from './statements.js';


type SummaryRow = Omit<RunRow, 'orphan_messages' | 'orphan_reply' | 'decisions'>;

const DEFAULT_LIMIT = 100;
/** Runs deleted per statement by prune: each batch is short, and other work runs between them. */
export const PG_PRUNE_BATCH = 500;


function limitOf(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ConfigError('limit', `must be a positive integer, got ${String(limit)}`);
  return limit;
}

/** The reads and maintenance of the operations tools: each call one statement (or a few reads). */
export function createPgOperations(q: PgStatements) {
  const listTurns = async (c: Queryable, sessionId: string) => (await c.query<TurnRow>(q.listTurns, [sessionId])).rows.map((t) => turnFromRow(t, sessionId));
  return {
    /** Argument checks that must fail before any I/O. */
    checkLimit: limitOf,
    listTurns,
    listSessions: async (c: Queryable, query: ListSessionsQuery = {}): Promise<SessionSummary[]> =>
      (await c.query<SessionListRow>(q.listSessions, [limitOf(query.limit)])).rows.map(rowToSession),
    async getSession(c: Queryable, sessionId: string): Promise<SessionDetail | undefined> {
      const row = (await c.query<SessionListRow>(q.getSession, [sessionId])).rows[0];
      if (!row) return undefined;
      const runs = (await c.query<SummaryRow>(q.runsOfSession, [sessionId])).rows.map(rowToRunSummary);
      return { session: rowToSession(row), turns: await listTurns(c, sessionId), runs };
    },
    listRuns: async (c: Queryable, query: ListRunsQuery = {}): Promise<RunSummary[]> =>
      (await c.query<SummaryRow>(q.listRuns, [query.sessionId ?? null, query.failed === true, limitOf(query.limit)])).rows.map(rowToRunSummary),
    async getRun(c: Queryable, runId: string): Promise<RunRecord | undefined> {
      const row = (await c.query<RunRow>(q.getRun, [runId])).rows[0];
      if (!row) return undefined;
      return rowToRun(row, (await c.query<AttemptRow>(q.listAttempts, [runId])).rows.map(rowToAttempt));
    },
    listOrphans: async (c: Queryable): Promise<OrphanRun[]> => (await c.query<RunRow>(q.listOrphans)).rows.map(rowToOrphan),
    /** One batch of prune in one statement; `more` when another batch may be left. */
    async pruneBatch(c: Queryable, before: number): Promise<PruneResult & { more: boolean }> {
      const r = (await c.query<PruneResult>(q.pruneBatch, [before, PG_PRUNE_BATCH])).rows[0]!;
      await c.query(q.deleteLapsedTickets);
      return { runs: r.runs, attempts: r.attempts, orphans: r.orphans, more: r.runs + r.orphans === PG_PRUNE_BATCH };
    },
  };
}

export type PgOperations = ReturnType<typeof createPgOperations>;
