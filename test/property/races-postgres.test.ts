import { fc, test } from '@fast-check/vitest';
import { raceArb } from '../arbitraries/races.js';
import { describePostgres } from '../postgres/describe-postgres.js';
import { postgresRaceStore } from '../postgres/race-store.js';
import { POSTGRES_PROPERTY_TIMEOUT_MS, POSTGRES_RUNS } from './harness/num-runs.js';
import { runRace } from './harness/run-race.js';
import {
  checkNoInterleavedTurns,
  checkNoLostReply,
  checkSeesEarlierTurns,
  NO_INTERLEAVED_TURNS,
  NO_LOST_REPLY,
  SEES_EARLIER_TURNS,
} from './properties/races.js';

// The races of races.test.ts on the PostgreSQL store: the same properties, the same scheduler,
// real statements on a real server. Each race makes a schema, so it costs far more than on
// SQLite: a twentieth of FC_NUM_RUNS (at least 5, at most 60).
const runs = POSTGRES_RUNS;

describePostgres('races on PostgreSQL', (url) => {
  const races = { race: raceArb(), s: fc.scheduler() };
  const store = postgresRaceStore(url);
  test.prop(races, runs)(NO_INTERLEAVED_TURNS, async ({ race, s }) => checkNoInterleavedTurns(race, await runRace(race, s, store)), POSTGRES_PROPERTY_TIMEOUT_MS);
  test.prop(races, runs)(NO_LOST_REPLY, async ({ race, s }) => checkNoLostReply(race, await runRace(race, s, store)), POSTGRES_PROPERTY_TIMEOUT_MS);
  test.prop(races, runs)(SEES_EARLIER_TURNS, async ({ race, s }) => checkSeesEarlierTurns(race, await runRace(race, s, store)), POSTGRES_PROPERTY_TIMEOUT_MS);
});
