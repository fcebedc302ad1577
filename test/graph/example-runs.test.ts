import { describe, expect, it } from 'vitest';
import { runMachine } from '../../machines/run.machine.js';
import { GRAPH_WALKS } from './graph-model.js';
import { describePath, transitionTour } from './paths.js';
import { replay } from './replay.js';

// The shortest path to every state of each walk, as an example run: the real actor, driven by
// the same fake answers, ends where the model says, step by step.
describe.each(GRAPH_WALKS.map((walk) => [walk.name, walk] as const))('example runs generated from the machine graph (%s)', (_name, walk) => {
  const { shortest } = transitionTour(runMachine, walk);
  it.each(shortest.map((p) => [describePath(p) || '(start)', p] as const))('%s', async (_path, path) => {
    const r = await replay(path, runMachine, walk.input);
    expect(r.mismatches).toEqual([]);
  });
});
