import type { AnyStateMachine } from 'xstate';
import { expect } from 'vitest';
import { GRAPH_WALKS } from './graph-model.js';
import { describePath, transitionTour } from './paths.js';
import { replay } from './replay.js';
import { allTransitions } from './transitions.js';

export interface Coverage {
  all: string[];
  uncovered: string[];
  /** Paths the real actor did not follow as the model said (path, first difference). */
  mismatches: string[];
  paths: number;
}

/** Replays the transition tour of `machine` on real actors and collects the transitions they took. */
export async function transitionCoverage(machine: AnyStateMachine): Promise<Coverage> {
  const covered = new Set<string>();
  const mismatches: string[] = [];
  let paths = 0;
  for (const walk of GRAPH_WALKS) {
    const { tour } = transitionTour(machine, walk);
    paths += tour.length;
    for (const path of tour) {
      const r = await replay(path, machine, walk.input);
      for (const t of r.taken) covered.add(t);
      if (r.mismatches.length > 0) mismatches.push(`${walk.name}: ${describePath(path)}: ${r.mismatches[0]}`);
    }
  }
  const all = allTransitions(machine);
  return { all, uncovered: all.filter((t) => !covered.has(t)), mismatches, paths };
}

/**
 * Transitions no run can take, with why. Each is checked to stay uncovered: if a change makes
 * one reachable, the coverage test fails until it is taken off this list.
 */
export const UNREACHABLE: Readonly<Record<string, string>> = {
  // Kept so that the machine goes wherever the policy's plan says; no timeout's plan says rotate today.
  'attempting --callProvider.timeout#2--> rotatingProfile':
    "a timeout blocks its whole provider for the run (its own block names the provider only), so the policy never rotates to another profile of it after a timeout",
};

/** The coverage test's verdict: paths replay as modelled, and only the listed unreachable transitions stay untaken. */
export function expectFullCoverage(c: Coverage): void {
  expect(c.paths).toBeGreaterThan(100);
  expect(c.mismatches).toEqual([]);
  expect(c.uncovered).toEqual(Object.keys(UNREACHABLE));
}
