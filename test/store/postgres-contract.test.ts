import { openPostgresStore } from '../../src/store/index.js';
import type { SessionStore } from '../../src/store/types.js';
import { describePostgres } from '../postgres/describe-postgres.js';
import { dropSchemas, freshSchemaName } from '../postgres/schemas.js';
import { cooldownsContract } from './contract/cooldowns.contract.js';
import { historyContract } from './contract/history.contract.js';
import { leasesContract } from './contract/leases.contract.js';
import { operationsContract } from './contract/operations.contract.js';
import { runsContract } from './contract/runs.contract.js';
import type { StoreFactory } from './contract/store-factory.js';
import { turnsContract } from './contract/turns.contract.js';
import { waitingContract } from './contract/waiting.contract.js';

// The store contract (test/store/contract/) on PostgreSQL: each test gets its own schema, dropped
// after it, and a second store with its own pool on that schema stands for a second host.
describePostgres('PostgreSQL store contract', (url) => {
  const schemas: string[] = [];
  const schemaOf = new WeakMap<SessionStore, string>();

  const open = async (schema: string, options = {}) => {
    const store = openPostgresStore({ connectionString: url, schema, poolSize: 4, ...options });
    await store.ready;
    schemaOf.set(store, schema);
    return store;
  };

  const postgres: StoreFactory = {
    name: 'PostgreSQL',
    async open(options = {}) {
      const schema = freshSchemaName('contract');
      schemas.push(schema);
      return open(schema, options);
    },
    async connect(store, options = {}) {
      const schema = schemaOf.get(store);
      if (!schema) throw new Error('connect() takes a store this factory opened');
      return open(schema, options);
    },
    async cleanup() {
      await dropSchemas(url, schemas.splice(0));
    },
  };

  runsContract(postgres);
  leasesContract(postgres);
  waitingContract(postgres);
  cooldownsContract(postgres);
  operationsContract(postgres);
  turnsContract(postgres);
  historyContract(postgres);
});
