import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/index.js';
import { PG_LATEST_SCHEMA_VERSION } from '../../src/store/postgres/index.js';
import { describePostgres } from '../postgres/describe-postgres.js';
import { dropSchemas, freshSchemaName } from '../postgres/schemas.js';

// Opening a PostgreSQL store: options, migrations raced by hosts starting together, a schema
// from a newer version, and what its messages may say.
describePostgres('opening a PostgreSQL store', (url) => {
  const schemas: string[] = [];
  const fresh = () => {
    const s = freshSchemaName('open');
    schemas.push(s);
    return s;
  };
  afterAll(() => dropSchemas(url, schemas));

  it('hosts starting together on a new schema: one migrates, every one opens', async () => {
    const schema = fresh();
    const stores = Array.from({ length: 6 }, () => openPostgresStore({ connectionString: url, schema, poolSize: 2 }));
    try {
      await Promise.all(stores.map((s) => s.ready));
      expect(stores.map((s) => s.schemaVersion())).toEqual(stores.map(() => PG_LATEST_SCHEMA_VERSION));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT version FROM ${client.escapeIdentifier(schema)}.llm_failover_migrations ORDER BY version`);
        // each migration applied exactly once
        expect(rows.map((r) => r.version)).toEqual(Array.from({ length: PG_LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
      } finally {
        await client.end();
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('a schema written by a newer version is refused, nothing written', async () => {
    const schema = fresh();
    const first = openPostgresStore({ connectionString: url, schema });
    await first.ready;
    await first.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`INSERT INTO ${client.escapeIdentifier(schema)}.llm_failover_migrations (version, name) VALUES (99, 'from the future')`);
    } finally {
      await client.end();
    }
    const store = openPostgresStore({ connectionString: url, schema });
    await expect(store.ready).rejects.toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW' });
    await expect(store.listTurns('s')).rejects.toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW' });
    await store.close();
  });

  it.each([
    [{}, 'connectionString'],
    [{ connectionString: url, pool: new pg.Pool() }, 'connectionString'],
    [{ connectionString: 'mysql://x@y/z' }, 'connectionString'],
    [{ connectionString: url, schema: 'bad-name; DROP' }, 'schema'],
    [{ connectionString: url, poolSize: 0 }, 'poolSize'],
    [{ connectionString: url, conectionTimeout: 5 }, 'conectionTimeout'],
  ])('bad options %j are refused naming the field', (options, field) => {
    expect(() => openPostgresStore(options as never)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field }));
  });

  it('its path and messages name the server, never the user or password', async () => {
    const u = new URL(url);
    u.password = 'hunter2-secret';
    const schema = fresh();
    const store = openPostgresStore({ connectionString: `${u.toString()}${u.search ? '&' : '?'}schema=${schema}`, connectTimeoutMs: 2_000 });
    const outcome = await store.ready.then(
      () => 'opened',
      (e: Error) => e.message,
    );
    expect(store.path).toMatch(new RegExp(`^postgres://${u.hostname}(:\\d+)?${u.pathname}#${schema}$`));
    expect(store.path).not.toContain('hunter2');
    expect(String(outcome)).not.toContain('hunter2');
    await store.close();
  });
});
