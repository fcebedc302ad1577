import { StoreError } from '../../errors.js';
import type { Migration } from '../migrations/migration.js';
import type { Database } from './database.js';
import { PG_MIGRATIONS } from './migrations.js';
import { quoteIdent } from './statements.js';

const LOCK_NAMESPACE = 'llm-failover migrations';

/**
 * Brings the schema to the latest version in one transaction, under a transaction-scoped
 * advisory lock keyed by the schema name: hosts starting together queue on the lock, and the
 * ones after the first find the work done. (A session-level lock would outlive the transaction
 * on a pooled connection; a lock taken through `pool.query` would end with its one statement.)
 * A schema newer than this version knows is refused, nothing written; without `create`, so is
 * a schema that holds no store.
 */
export async function migrate(db: Database, schema: string, create = true, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<number> {
  const S = quoteIdent(schema);
  const latest = migrations.at(-1)?.version ?? 0;
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [LOCK_NAMESPACE, schema]);
    if (!create) {
      const { rows: found } = await tx.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`${S}.llm_failover_migrations`]);
      if (found[0]?.t == null) throw new StoreError('STORE_FAILED', db.where, `No store in schema ${schema} at ${db.where}`);
    }
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${S}.llm_failover_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${S}.llm_failover_migrations`);
    const current = rows[0]?.version ?? 0;
    if (current > latest) {
      throw new StoreError(
        'STORE_SCHEMA_TOO_NEW',
        db.where,
        `PostgreSQL schema ${schema} at ${db.where} has schema version ${current}, newer than the ${latest} this version of llm-failover knows; ` +
          'upgrade llm-failover to open it (nothing was written).',
      );
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      await tx.query(m.sql.replace(/\bS\./g, `${S}.`));
      await tx.query(`INSERT INTO ${S}.llm_failover_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    return Math.max(current, latest);
  });
}
