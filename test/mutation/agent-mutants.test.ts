import { describe, it, vi } from 'vitest';
import { agentLoop, agentWorlds } from '../property/properties/agent-loop.js';
import { expectToFail, withMutant } from './expect-to-fail.js';

// The agent steps, replaced by pass-through copies that a switch breaks (src is never edited).
const m = vi.hoisted(() => ({
  failoverRestarts: { on: false },
  resultsDropped: { on: false },
}));

vi.mock('../../machines/agent-steps.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../machines/agent-steps.js')>();
  type Ctx = Parameters<typeof orig.stepServed>[0];
  return {
    ...orig,
    // What the issue describes: a fallback in the middle of a tool loop starts the loop again,
    // so the steps already done (and their tools) come again.
    stepServed: (ctx: Ctx, ...rest: Parameters<typeof orig.stepServed> extends [unknown, ...infer R] ? R : never) => {
      const failedOver = ctx.attempts.length > ctx.agent.stepStart && ctx.attempts.at(-1)?.outcome === 'failed';
      const fresh = m.failoverRestarts.on && failedOver && ctx.agent.steps.length > 0;
      return orig.stepServed(fresh ? { ...ctx, agent: { ...ctx.agent, produced: [], steps: [] } } : ctx, ...rest);
    },
    // Tool results that never reach the next step (the model is asked again without them).
    toolsExecuted: (ctx: Ctx, out: Parameters<typeof orig.toolsExecuted>[1]) => {
      const step = orig.toolsExecuted(ctx, out);
      if (!m.resultsDropped.on) return step;
      return { ...step, patch: { ...step.patch, agent: { ...step.patch.agent!, produced: ctx.agent.produced }, reply: ctx.reply } };
    },
  };
});

describe('the agent-loop property fails against the loop broken in the obvious ways', () => {
  it('agent loops ← a failover restarts the tool loop from scratch', () => withMutant(m.failoverRestarts, () => expectToFail(agentWorlds, (w) => agentLoop(w))));
  it('agent loops ← tool results are executed but never reach the transcript', () => withMutant(m.resultsDropped, () => expectToFail(agentWorlds, (w) => agentLoop(w))));
});
