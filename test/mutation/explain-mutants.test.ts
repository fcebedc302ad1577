import { describe, it, vi } from 'vitest';
import { explainsFirstStep, explainWorlds } from '../property/properties/explains-first-step.js';
import { expectToFail, withMutant } from './expect-to-fail.js';

// explainChain must say what the engine does: an explanation that reads the store differently
// from a run has to be caught by the property.
const m = vi.hoisted(() => ({ ignoreProfileCooldowns: { on: false } }));

vi.mock('../../src/explain/explain-candidates.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/explain/explain-candidates.js')>();
  return {
    ...orig,
    explainCandidates: (view: Parameters<typeof orig.explainCandidates>[0]) =>
      orig.explainCandidates(m.ignoreProfileCooldowns.on ? { ...view, cooldowns: view.cooldowns.without((i) => view.cooldowns.keyAt(i).profileId !== undefined) } : view),
  };
});

describe('the explanation property fails against an explanation that differs from the engine', () => {
  it('explainChain names the first step ← cooldowns on a profile are not read', () =>
    withMutant(m.ignoreProfileCooldowns, () => expectToFail(explainWorlds, (w) => explainsFirstStep(w))));
});
