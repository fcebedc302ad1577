import pg from 'pg';

// The PostgreSQL suites share one server with each other (vitest runs files in parallel) and the
// restart test stops it: every suite holds this advisory lock shared while it runs, the restart
// test holds it exclusively, so a restart never lands in the middle of another suite.
const KEY = 0x4c4c4d46; // "LLMF"
const RETRY_MS = 60_000;

export interface ServerLock {
  release(): Promise<void>;
}

/** Takes the lock (shared or exclusive) on a connection of its own, retrying while the server is restarting. */
export async function lockServer(url: string, mode: 'shared' | 'exclusive'): Promise<ServerLock> {
  const until = Date.now() + RETRY_MS;
  for (;;) {
    const client = new pg.Client({ connectionString: url, application_name: 'llmf-test-lock' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(mode === 'shared' ? 'SELECT pg_advisory_lock_shared($1)' : 'SELECT pg_advisory_lock($1)', [KEY]);
      return { release: () => client.end().catch(() => undefined) };
    } catch (e) {
      await client.end().catch(() => undefined);
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
