import { fc, test } from '@fast-check/vitest';
import { raceArb } from '../arbitraries/races.js';
import { share } from './harness/num-runs.js';
import { runRace } from './harness/run-race.js';
import {
  checkNoInterleavedTurns,
  checkNoLostReply,
  checkSeesEarlierTurns,
  NO_INTERLEAVED_TURNS,
  NO_LOST_REPLY,
  SEES_EARLIER_TURNS,
} from './properties/races.js';

// Two or three runs on one session and one SQLite store, interleaved by fast-check's scheduler
// (run starts, every provider answer, aborts). A race costs a few runs: a quarter of FC_NUM_RUNS each.
const races = { race: raceArb(), s: fc.scheduler() };

test.prop(races, share(0.25))(NO_INTERLEAVED_TURNS, async ({ race, s }) => checkNoInterleavedTurns(race, await runRace(race, s)));
test.prop(races, share(0.25))(NO_LOST_REPLY, async ({ race, s }) => checkNoLostReply(race, await runRace(race, s)));
test.prop(races, share(0.25))(SEES_EARLIER_TURNS, async ({ race, s }) => checkSeesEarlierTurns(race, await runRace(race, s)));
