import { test } from '@fast-check/vitest';
import { describePostgres } from '../postgres/describe-postgres.js';
import { postgresRaceStore } from '../postgres/race-store.js';
import { POSTGRES_PROPERTY_TIMEOUT_MS, POSTGRES_RUNS } from './harness/num-runs.js';
import { runWorld, type RunWorldOptions } from './harness/run-world.js';
import { AGREES_WITH_ORACLE, agreesWithOracle, anyWorlds } from './properties/agrees-with-oracle.js';
import { NOTHING_LOST, nothingLost, sessionWorlds } from './properties/nothing-lost.js';

// The properties of records.test.ts that depend on the store, on the PostgreSQL store: the
// session a run leaves behind, and the calls and their times (cooldowns other runs left are read,
// claimed and written through the server). Each case makes a schema: a twentieth of FC_NUM_RUNS
// (at least 5, at most 60), as races-postgres.test.ts.
const runs = POSTGRES_RUNS;

describePostgres('records on PostgreSQL', (url) => {
  const openStore = postgresRaceStore(url);
  const onPostgres = (world: Parameters<typeof runWorld>[0], o: RunWorldOptions = {}) => runWorld(world, { ...o, openStore });
  test.prop({ world: sessionWorlds }, runs)(NOTHING_LOST, ({ world }) => nothingLost(world, onPostgres), POSTGRES_PROPERTY_TIMEOUT_MS);
  test.prop({ world: anyWorlds }, runs)(AGREES_WITH_ORACLE, ({ world }) => agreesWithOracle(world, onPostgres), POSTGRES_PROPERTY_TIMEOUT_MS);
});
