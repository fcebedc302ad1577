import { expect, test } from 'vitest';
import { runMachine } from '../../machines/run.machine.js';
import { transitionCoverage, UNREACHABLE } from './coverage.js';

// Model-based coverage (issue 5): paths generated over the run machine with xstate/graph, replayed
// on real actors whose invoked actors are fakes (createTestModel rejects invoked actors).
test('the generated paths take every transition of the run machine, and the actor follows each path as the model says', async () => {
  const c = await transitionCoverage(runMachine);
  expect(c.paths).toBeGreaterThan(100);
  expect(c.mismatches).toEqual([]);
  // A transition added to the machine and taken by no path shows up here.
  expect(c.uncovered).toEqual(Object.keys(UNREACHABLE));
});
