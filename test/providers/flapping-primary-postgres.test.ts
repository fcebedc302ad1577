import { afterAll, describe } from 'vitest';
import { openPostgresStore } from '../../src/index.js';
import { describePostgres } from '../postgres/describe-postgres.js';
import { dropSchemas, freshSchemaName, urlWithSchema } from '../postgres/schemas.js';
import { flappingPrimaryTests, oneProbeTest, type SharedStore } from './helpers/flapping-suites.js';

// The flapping-primary acceptance (helpers/flapping-suites.ts) with hosts on PostgreSQL: each
// worker process has its own pool on one schema (made for the test, dropped after), so the
// circuit's cooldowns and probe claims cross hosts only through the server.
describePostgres('the circuit across hosts on PostgreSQL', (url) => {
  const schemas: string[] = [];
  afterAll(() => dropSchemas(url, schemas));
  const postgres: SharedStore = {
    fresh() {
      const schema = freshSchemaName('flap');
      schemas.push(schema);
      return urlWithSchema(url, schema);
    },
    open: (connectionString) => openPostgresStore({ connectionString, poolSize: 4 }),
  };

  describe('a flapping primary across runs sharing one store', () => flappingPrimaryTests('one PostgreSQL schema', postgres));

  describe('one probe across hosts', () => oneProbeTest(6, postgres));
});
