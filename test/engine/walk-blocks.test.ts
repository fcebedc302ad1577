import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { candidateBlock, nextCandidate } from '../../src/policy/availability.js';
import { chainArb } from '../arbitraries/chains.js';
import { cooldownsArb } from '../arbitraries/cooldowns.js';
import { runView } from '../helpers/run-view.js';

// The skip report takes the blocks of the candidates it passes over from the chain walk itself
// (machines/skip-report.ts): they must be exactly what candidateBlock says of each.
const views = chainArb().chain((world) =>
  fc.record({
    cooldowns: cooldownsArb(world),
    now: fc.integer({ min: 0, max: 10_000 }),
    from: fc.integer({ min: -1, max: world.chain.length - 1 }),
  }).map(({ cooldowns, now, from }) => {
    const view = runView({
      chain: world.chain.map((c) => ({ provider: c.provider, model: c.model, profiles: world.profiles[c.provider]! })),
      now,
      cooldowns,
    });
    return { view, from };
  }),
);

describe('the chain walk', () => {
  test.prop([views])('property: the block it gives each skipped candidate is candidateBlock of that candidate', ({ view, from }) => {
    const walk = nextCandidate(view, from);
    expect(walk.blocks).toHaveLength(walk.skipped.length);
    walk.skipped.forEach((i, k) => expect(walk.blocks[k]).toEqual(candidateBlock(view, i)));
  });
});
