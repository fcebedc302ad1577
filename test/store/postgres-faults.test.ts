import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/index.js';
import { describePostgres } from '../postgres/describe-postgres.js';
import { runOnce } from '../postgres/run-once.js';
import { dropSchemas, freshSchemaName } from '../postgres/schemas.js';

// A connection the server drops under a running store (pg_terminate_backend of the store's own
// backends: what a failover, an idle-session killer or a network cut does to a host).
describePostgres('PostgreSQL drops the store’s connections', (url) => {
  const schemas: string[] = [];
  afterAll(() => dropSchemas(url, schemas));

  /** A store whose backends can be found (and killed) by their application name. */
  const openNamed = () => {
    const schema = freshSchemaName('faults');
    schemas.push(schema);
    const name = `llmf-${schema}`.slice(0, 60);
    const u = new URL(url);
    u.searchParams.set('application_name', name);
    u.searchParams.set('schema', schema);
    return { store: openPostgresStore({ connectionString: u.toString() }), name };
  };
  const terminate = async (name: string): Promise<number> => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query('SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) t', [name]);
      return rows[0].n as number;
    } finally {
      await admin.end();
    }
  };

  it('mid-run: the commit goes through on a fresh connection, and the pool and LISTEN recover', async () => {
    const { store, name } = openNamed();
    try {
      await store.ready;
      let killed = 0;
      const out = await runOnce(store, 'cut-run', 'chat-1', async () => {
        // the pooled connections and the LISTEN connection all go while the provider answers
        killed = await terminate(name);
        return { content: 'the answer survived' };
      });
      expect(killed).toBeGreaterThan(0);
      expect(out).toMatchObject({ status: 'succeeded', text: 'the answer survived' });
      expect((await store.listTurns('chat-1')).map((t) => t.content)).toEqual(['question of cut-run', 'the answer survived']);
      // a waiter is still served when a run of another store releases the session
      const other = openPostgresStore({ connectionString: `${url}${url.includes('?') ? '&' : '?'}schema=${schemas.at(-1)}` });
      try {
        const held = await other.openRun({ runId: 'holder', sessionId: 'chat-2', now: Date.now(), leaseTtlMs: 60_000, lockWaitMs: 0, providers: [] });
        await terminate(name);
        const waiting = store.openRun({ runId: 'waiter', sessionId: 'chat-2', now: Date.now(), leaseTtlMs: 60_000, lockWaitMs: 20_000, providers: [] });
        await new Promise((r) => setTimeout(r, 300));
        await other.commitRun(held.lease, { runId: 'holder', messages: [{ role: 'user', content: 'q' }], reply: { role: 'assistant', content: 'a' }, servedBy: { provider: 'p', model: 'm', profileId: 'k' }, attempts: [], now: Date.now() });
        await expect(waiting).resolves.toMatchObject({ lease: { runId: 'waiter', token: 2 }, history: [{ runId: 'holder' }, { runId: 'holder' }] });
      } finally {
        await other.close();
      }
    } finally {
      await store.close();
    }
  });

  it('a server that stays unreachable: STORE_UNAVAILABLE within the bound, for opening and for every call', async () => {
    const { store } = openNamed();
    await store.ready;
    const schema = schemas.at(-1)!;
    // the same schema through a port nothing listens on: every call is refused
    const dead = openPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', schema, busyWaitMs: 300, connectTimeoutMs: 200 });
    try {
      await expect(dead.ready).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(dead.listTurns('x')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      await dead.close();
      await store.close();
    }
  });
});
