import pg from 'pg';
import { isRetryable, isUnavailable, toStoreError } from './errors.js';

/** int8 (tokens, ticket ids, counts) as a number: every value we store stays far below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** A connection to run statements on: the pool (one statement each) or a transaction's client. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

const FIRST_DELAY_MS = 5;
const MAX_DELAY_MS = 250;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface CallBounds {
  /** Real ms the retries may take in all; 0 means one try. */
  maxWaitMs: number;
  /** Checked before each try: a closed store stops the retries with its error. */
  stopped: () => Error | undefined;
}

/**
 * The store's way to the server. Statements go through the pool with our type parsers; a
 * transaction runs on one checked-out client, and a client whose connection broke is destroyed
 * rather than handed back (it would poison the next checkout). Calls are retried, as a whole
 * transaction on a fresh connection, while the server is unreachable or two transactions
 * collide, within the caller's bound; then the typed error.
 */
export class Database {
  readonly pool: pg.Pool;
  readonly where: string;

  constructor(pool: pg.Pool, where: string) {
    this.pool = pool;
    this.where = where;
  }

  /** Statements through the pool: each may land on another connection, so never BEGIN here. */
  readonly direct: Queryable = {
    query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => this.pool.query<R>({ text, values, types: TYPES }),
  };

  /** One transaction on one client: BEGIN, `fn`, COMMIT; ROLLBACK (or the connection destroyed) on failure. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: Queryable = { query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => client.query<R>({ text, values, types: TYPES }) };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const out = await fn(tx);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      if (isUnavailable(e)) broken = e as Error;
      else {
        try {
          await client.query('ROLLBACK');
        } catch (rollback) {
          broken = rollback as Error;
        }
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /** Runs `attempt` again while its error is passing (see isRetryable) and the bound lasts; throws typed. */
  async retrying<T>(doing: string, bounds: CallBounds, attempt: () => Promise<T>): Promise<T> {
    let started: number | undefined;
    let delay = FIRST_DELAY_MS;
    for (;;) {
      const stop = bounds.stopped();
      if (stop) throw stop;
      try {
        return await attempt();
      } catch (e) {
        const stopNow = bounds.stopped();
        if (stopNow) throw stopNow;
        if (!isRetryable(e)) throw toStoreError(e, this.where, doing);
        started ??= performance.now();
        const left = bounds.maxWaitMs - (performance.now() - started);
        if (left <= 0) throw toStoreError(e, this.where, doing);
        // jitter keeps hosts that lost the server together from coming back in lockstep
        await sleep(Math.max(1, Math.min(left, delay * (0.5 + Math.random()))));
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      }
    }
  }
}
