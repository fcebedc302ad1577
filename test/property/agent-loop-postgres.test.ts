import { test } from '@fast-check/vitest';
import { describePostgres } from '../postgres/describe-postgres.js';
import { postgresRaceStore } from '../postgres/race-store.js';
import { POSTGRES_PROPERTY_TIMEOUT_MS, POSTGRES_RUNS } from './harness/num-runs.js';
import { runAgentWorld } from './harness/run-agent-world.js';
import { AGENT_LOOP, agentLoop, agentWorlds } from './properties/agent-loop.js';

// agent-loop.test.ts on the PostgreSQL store: what a run of tool steps commits (messages with
// tool-call and tool-result parts) reads back exactly from the server. A schema per case: a
// twentieth of FC_NUM_RUNS (at least 5, at most 60), as races-postgres.test.ts.
const runs = POSTGRES_RUNS;

describePostgres('the agent loop on PostgreSQL', (url) => {
  const openStore = postgresRaceStore(url);
  test.prop({ world: agentWorlds }, runs)(AGENT_LOOP, ({ world }) => agentLoop(world, (w) => runAgentWorld(w, { openStore })), POSTGRES_PROPERTY_TIMEOUT_MS);
});
