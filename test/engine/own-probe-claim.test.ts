import { describe, expect, it } from 'vitest';
import { candidateBlock } from '../../src/policy/availability.js';
import { blockingUntil, type RunView } from '../../src/policy/run-view.js';
import type { CooldownEntry } from '../../src/types.js';
import { runView } from '../helpers/run-view.js';

// An ended cooldown under a probe claim keeps the other runs off its key until the claim ends,
// but not the run that holds the claim: it is the one meant to call.
const now = 10_000;
const claimed = (probeRunId: string): CooldownEntry => ({ provider: 'openai', until: now - 1, reason: 'rate_limit', failures: 1, probeRunId, probeUntil: now + 5_000 });

function view(runId: string | undefined, cooldowns: CooldownEntry[]): RunView {
  return runView({ ...(runId ? { run: { runId } } : {}), chain: [{ provider: 'openai', model: 'gpt-x', profiles: ['openai:default'] }], now, cooldowns });
}

describe("a run's own probe claim", () => {
  it('does not block the run that holds it', () => {
    expect(blockingUntil(view('run-a', []), claimed('run-a'))).toBe(0);
    expect(candidateBlock(view('run-a', [claimed('run-a')]), 0)).toBeUndefined();
  });

  it("blocks any other run (or a view of no run) until the claim ends", () => {
    expect(blockingUntil(view('run-b', []), claimed('run-a'))).toBe(now + 5_000);
    expect(blockingUntil(view(undefined, []), claimed('run-a'))).toBe(now + 5_000);
    expect(candidateBlock(view('run-b', [claimed('run-a')]), 0)?.freeAt).toBe(now + 5_000);
  });
});
