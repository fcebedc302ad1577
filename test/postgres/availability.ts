import net from 'node:net';
import pg from 'pg';

// The one rule for every PostgreSQL suite: LLM_FAILOVER_PG_URL names the server; without it the
// local default (127.0.0.1:5432, database test, user postgres) is tried. Unreachable: the suites
// are skipped with one printed line, unless the URL was given or CI=true, where it is a failure.

export const PG_URL_VARIABLE = 'LLM_FAILOVER_PG_URL';
export const LOCAL_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export type PostgresAvailability = { url: string } | { skip: string } | { failure: string };

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresAvailability;
  }
}

const portOpen = (host: string, port: number, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/** Run once per test run (vitest globalSetup): whether, and where, the PostgreSQL suites run. */
export async function probePostgres(env: NodeJS.ProcessEnv = process.env, localUrl = LOCAL_PG_URL): Promise<PostgresAvailability> {
  const given = env[PG_URL_VARIABLE];
  const url = given || localUrl;
  const required = Boolean(given) || env.CI === 'true';
  const local = new URL(localUrl);
  if (!given && !(await portOpen(local.hostname, Number(local.port || 5432), 1_000))) {
    const how = `PostgreSQL suites skipped: nothing listens on ${local.host}; start a local PostgreSQL (trust auth, database test) or set ${PG_URL_VARIABLE}=postgres://user@host:port/db to run them`;
    return required ? { failure: `CI=true but ${how.replace('PostgreSQL suites skipped: ', '')}` } : { skip: how };
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url };
  } catch (e) {
    const why = `PostgreSQL at ${redact(url)} did not answer (${(e as Error).message})`;
    return required ? { failure: why } : { skip: `PostgreSQL suites skipped: ${why}; set ${PG_URL_VARIABLE} to a server that does` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the given URL';
  }
}
