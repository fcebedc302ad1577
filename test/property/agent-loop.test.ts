import { test } from '@fast-check/vitest';
import { share } from './harness/num-runs.js';
import { AGENT_LOOP, agentLoop, agentWorlds } from './properties/agent-loop.js';

// The agent loop under failover: generated tool loops (tools that answer, throw, are left to the
// host, or abort the run) and failures before every step. A case is one run of up to five steps,
// each about as costly as a run of the other properties: half their runs.
test.prop({ world: agentWorlds }, share(0.5))(AGENT_LOOP, ({ world }) => agentLoop(world));
