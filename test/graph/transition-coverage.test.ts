import { test } from 'vitest';
import { runMachine } from '../../machines/run.machine.js';
import { expectFullCoverage, transitionCoverage } from './coverage.js';

// Model-based coverage (issue 5): paths generated over the run machine with xstate/graph, replayed
// on real actors whose effects are fakes answering as each path says (test/graph/replay.ts).
test('the generated paths take every transition of the run machine, and the actor follows each path as the model says', async () => {
  // A transition added to the machine and taken by no path fails this (test/mutation/graph-mutant.test.ts).
  expectFullCoverage(await transitionCoverage(runMachine));
});
