import { test } from '@fast-check/vitest';
import { share } from './harness/num-runs.js';
import { AGREES_ON_REAL_PAYLOADS, AGREES_WITH_ORACLE, agreesWithOracle, agreesWithOracleOnRealPayloads, anyWorlds } from './properties/agrees-with-oracle.js';
import { DECISIONS_EXPLAINED, decisionsExplained, explainedWorlds } from './properties/decisions-explained.js';
import { DETERMINISTIC, deterministic, replayWorlds } from './properties/deterministic.js';
import { NOTHING_LOST, nothingLost, sessionWorlds } from './properties/nothing-lost.js';

// What a run leaves behind: its decisions, the session, and the same again on a replay; and the
// whole run checked against the reference (test/oracle). Properties live in properties/<name>.ts.
test.prop({ world: explainedWorlds })(DECISIONS_EXPLAINED, ({ world }) => decisionsExplained(world));
test.prop({ world: sessionWorlds })(NOTHING_LOST, ({ world }) => nothingLost(world));
// Two engine runs per case: half the runs of the others.
test.prop({ world: replayWorlds }, share(0.5))(DETERMINISTIC, ({ world }) => deterministic(world));
test.prop({ world: anyWorlds })(AGREES_WITH_ORACLE, ({ world }) => agreesWithOracle(world));
test.prop({ world: anyWorlds })(AGREES_ON_REAL_PAYLOADS, ({ world }) => agreesWithOracleOnRealPayloads(world));
