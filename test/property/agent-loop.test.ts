import { test } from '@fast-check/vitest';
import { AGENT_LOOP, agentLoop, agentWorlds } from './properties/agent-loop.js';

// The agent loop under failover: generated tool loops (tools that answer, throw, are left to the
// host, or abort the run) and failures before every step.
test.prop({ world: agentWorlds })(AGENT_LOOP, ({ world }) => agentLoop(world));
