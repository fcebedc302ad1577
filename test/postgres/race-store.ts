import pg from 'pg';
import { openPostgresStore } from '../../src/index.js';
import type { RaceStore, RaceStoreFactory } from '../property/harness/run-race.js';
import { dropSchemas, freshSchemaName } from './schemas.js';

/**
 * A PostgreSQL store for one race (or one world's run), in a schema of its own that closing
 * drops. Its pool tells whether a statement is still on its way (a connection in use or being made).
 */
export function postgresRaceStore(url: string): RaceStoreFactory & (() => RaceStore) {
  return () => {
    const schema = freshSchemaName('race');
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => undefined);
    const store = openPostgresStore({ pool, schema });
    const close = store.close.bind(store);
    const race: RaceStore = Object.assign(store, {
      // a connection checked out or still connecting, or a caller queued for one
      busy: () => pool.totalCount > pool.idleCount || pool.waitingCount > 0,
      async close() {
        await close();
        await pool.end();
        await dropSchemas(url, [schema]);
      },
    });
    return race;
  };
}
