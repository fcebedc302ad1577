import { describe, expect, it } from 'vitest';
import { runMachine } from '../../machines/run.machine.js';
import { describePath, transitionTour } from './paths.js';
import { replay } from './replay.js';

// The shortest path to every state of the walk, as an example run: the real actor, driven by the
// same fake answers, ends where the model says, step by step.
const { shortest } = transitionTour(runMachine);

describe('example runs generated from the machine graph', () => {
  it.each(shortest.map((p) => [describePath(p) || '(start)', p] as const))('%s', async (_name, path) => {
    const r = await replay(path, runMachine);
    expect(r.mismatches).toEqual([]);
  });
});
