import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, StoreError } from '../errors.js';
import { openPostgresStore, openSqliteStore } from '../store/index.js';
import type { SessionStore } from '../store/types.js';

export interface OpenStoreAtOptions {
  /** Create the store when nothing is there (only the demo does): read and maintenance commands never do. */
  create?: boolean;
}

// An operator at a terminal: give up on a database another process keeps locked after 10 s, not 30.
const CLI_WAIT_MS = 10_000;

const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** Why nothing usable is at `path`, or undefined when a file is there. */
function missingStore(path: string): string | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) {
    const dir = dirname(resolve(path));
    return statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? `No store at ${path}` : `No store at ${path}: directory ${dir} does not exist`;
  }
  if (stat.isDirectory()) return `No store at ${path}: it is a directory`;
  // SQLite takes an empty file for an empty database and would write a schema into it
  if (stat.size === 0) return `No store at ${path}: the file is empty`;
  return undefined;
}

/**
 * Opens the store at `location` for the CLI: the one place that turns a `--db` value into a
 * store: a SQLite file path, or a `postgres://` URL (`?schema=` picks the schema). Unless
 * `create`, a missing file or a schema without a store is an error, never a new empty store.
 * Rejects with the store's typed errors (a damaged file, another program's, a newer schema, an
 * unreachable server) or ConfigError.
 */
export async function openStoreAt(location: string, { create = false }: OpenStoreAtOptions = {}): Promise<SessionStore> {
  if (location.trim() === '') throw new ConfigError('--db', 'must name a store: a SQLite file path or a postgres:// URL');
  if (isPostgresUrl(location)) return openPostgresAt(location, create);
  if (!create) {
    const problem = location === ':memory:' ? 'No store at :memory: (an in-memory store starts empty in every process)' : missingStore(location);
    if (problem) throw new StoreError('STORE_FAILED', location, problem);
  } else if (location !== ':memory:' && !statSync(dirname(resolve(location)), { throwIfNoEntry: false })?.isDirectory()) {
    throw new StoreError('STORE_FAILED', location, `Cannot create a store at ${location}: directory ${dirname(resolve(location))} does not exist`);
  }
  const store = openSqliteStore({ path: location, busyWaitMs: CLI_WAIT_MS, openTimeoutMs: CLI_WAIT_MS });
  return readyOrClosed(store);
}

async function openPostgresAt(url: string, create: boolean): Promise<SessionStore> {
  let store;
  try {
    store = openPostgresStore({ connectionString: url, createSchema: create, busyWaitMs: CLI_WAIT_MS, poolSize: 2 });
  } catch (e) {
    // the option's name is the library's; at the terminal it is --db
    if (e instanceof ConfigError) throw new ConfigError('--db', e.message.replace(/^Invalid option `[^`]*`: /, ''));
    throw e;
  }
  return readyOrClosed(store);
}

/** The store once it has opened; one that failed to open is closed, so nothing keeps the process alive. */
async function readyOrClosed<S extends SessionStore & { ready: Promise<unknown> }>(store: S): Promise<S> {
  try {
    await store.ready;
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
