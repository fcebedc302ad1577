import pg from 'pg';
import { ConfigError } from '../../errors.js';
import { MAX_TIMER_MS } from '../../timer-bounds.js';
import type { HistoryCacheLimits } from '../history-cache.js';
import { HISTORY_CACHE_DEFAULTS, resolveHistoryCacheLimits, type HistoryCacheOptions } from '../history-cache-options.js';

export interface PostgresStoreOptions extends HistoryCacheOptions {
  /**
   * `postgres://user:password@host:port/database`; a `schema` query parameter picks the schema
   * (`?schema=tenant_a`). Either this or `pool`.
   */
  connectionString?: string;
  /** A pool the host owns (it stays open when the store closes). Either this or `connectionString`. */
  pool?: pg.Pool;
  /** The schema the store's tables live in, created if missing. Default: the URL's `schema`, else `llm_failover`. */
  schema?: string;
  /** Connections of the store's own pool (not with `pool`). Default 10. */
  poolSize?: number;
  /** How long getting a connection may take before the try fails (own pool only). Default 5 000 ms. */
  connectTimeoutMs?: number;
  /**
   * How long a call retries an unreachable server or colliding transactions, when its caller
   * gives no bound of its own (the engine gives `lockWaitMs`). Then `STORE_UNAVAILABLE` or `STORE_BUSY`.
   */
  busyWaitMs?: number;
  /** The store clock while a run waits for a busy session (see SqliteStoreOptions.now). */
  now?: () => number;
  /** Expired cooldown rows are deleted at most once per this interval (store clock). */
  cooldownCleanupIntervalMs?: number;
  /**
   * Create the schema and tables when the schema holds no store (default true). false: opening
   * such a schema fails (`STORE_FAILED`, "No store in schema …") and writes nothing, as the
   * operations CLI wants for a mistyped URL.
   */
  createSchema?: boolean;
}

export interface ResolvedPostgresOptions {
  connectionString: string | undefined;
  pool: pg.Pool | undefined;
  schema: string;
  poolSize: number;
  connectTimeoutMs: number;
  busyWaitMs: number;
  now: (() => number) | undefined;
  cooldownCleanupIntervalMs: number;
  historyCache: HistoryCacheLimits;
  createSchema: boolean;
  /** Where the store is, for messages: host, port, database and schema, never user or password. */
  where: string;
}

const DEFAULTS = { poolSize: 10, connectTimeoutMs: 5_000, busyWaitMs: 30_000, cooldownCleanupIntervalMs: 60_000, ...HISTORY_CACHE_DEFAULTS };
const KNOWN = new Set(['connectionString', 'pool', 'schema', 'now', 'createSchema', ...Object.keys(DEFAULTS)]);
export const DEFAULT_SCHEMA = 'llm_failover';

function checkInt(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new ConfigError(field, `must be an integer from ${min} to ${max}, got ${String(v)}`);
  }
  return v;
}

/** The URL without its `schema` parameter (node-postgres would pass it on as a server setting), and that schema. */
export function splitSchema(connectionString: string): { url: string; schema: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(connectionString);
  } catch {
    // a redacted message: the string may hold a password
    throw new ConfigError('connectionString', 'is not a URL of the form postgres://user@host:port/database');
  }
  if (!/^postgres(ql)?:$/i.test(parsed.protocol)) throw new ConfigError('connectionString', `must start with postgres:// or postgresql://, got ${parsed.protocol}//`);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}

function describe(url: string | undefined, pool: pg.Pool | undefined, schema: string): string {
  if (url) {
    const u = new URL(url);
    return `postgres://${u.hostname || 'localhost'}${u.port ? `:${u.port}` : ''}${u.pathname}#${schema}`;
  }
  const o = (pool as unknown as { options?: { host?: string; port?: number; database?: string } }).options ?? {};
  return `postgres://${o.host ?? 'localhost'}${o.port ? `:${o.port}` : ''}/${o.database ?? ''}#${schema}`;
}

export function resolvePostgresOptions(options: PostgresStoreOptions): ResolvedPostgresOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'must be an object');
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) throw new ConfigError(key, 'is not an option of openPostgresStore');
  const hasUrl = options.connectionString !== undefined;
  if (hasUrl === (options.pool !== undefined)) throw new ConfigError('connectionString', 'give either `connectionString` or `pool`, not both, not neither');
  let url: string | undefined;
  let urlSchema: string | undefined;
  if (hasUrl) {
    if (typeof options.connectionString !== 'string') throw new ConfigError('connectionString', 'must be a string');
    ({ url, schema: urlSchema } = splitSchema(options.connectionString));
  } else if (typeof (options.pool as { connect?: unknown }).connect !== 'function') {
    throw new ConfigError('pool', 'must be a pg.Pool');
  }
  const schema = options.schema ?? urlSchema ?? DEFAULT_SCHEMA;
  // a name we can quote safely and that PostgreSQL keeps whole (63 bytes)
  if (typeof schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError('schema', 'must be a PostgreSQL name: letters, digits and _, not starting with a digit, at most 63 characters');
  }
  if (options.now !== undefined && typeof options.now !== 'function') throw new ConfigError('now', 'must be a function returning the current time in ms');
  if (options.createSchema !== undefined && typeof options.createSchema !== 'boolean') throw new ConfigError('createSchema', 'must be a boolean');
  const o = { ...DEFAULTS, ...options };
  return {
    connectionString: url,
    pool: options.pool,
    schema,
    poolSize: checkInt('poolSize', o.poolSize, 1, 1_000),
    connectTimeoutMs: checkInt('connectTimeoutMs', o.connectTimeoutMs, 1, MAX_TIMER_MS),
    busyWaitMs: checkInt('busyWaitMs', o.busyWaitMs, 0, MAX_TIMER_MS),
    now: options.now,
    cooldownCleanupIntervalMs: checkInt('cooldownCleanupIntervalMs', o.cooldownCleanupIntervalMs, 0, Number.MAX_SAFE_INTEGER),
    historyCache: resolveHistoryCacheLimits(o),
    createSchema: options.createSchema ?? true,
    where: describe(url, options.pool, schema),
  };
}
