import type { AnyStateMachine } from 'xstate';
import { getAdjacencyMap, getShortestPaths, type StatePath } from 'xstate/graph';
import { serializeRun, type GraphWalk, type RunEv, type RunSnap } from './graph-model.js';

export type RunPath = StatePath<RunSnap, RunEv>;

/** A readable name for a path: the events after the start, payload kinds included. */
export function describePath(p: RunPath): string {
  return p.steps
    .slice(1)
    .map(({ event }) => {
      const e = event as unknown as {
        type: string;
        output?: { ok?: boolean; messages?: { content: unknown }[]; failure?: { reason: string; scope: string }; cooldowns?: unknown[]; at?: number };
      };
      const short = e.type.replace(/^(\w+)\.(done|error)$/, '$2:$1').replace(/^xstate\.after\.(\w+)\..*/, 'after:$1');
      if (e.output?.failure) return `${short}(${e.output.failure.reason}/${e.output.failure.scope})`;
      if (e.output?.ok) return `${short}(${Array.isArray(e.output.messages?.[0]?.content) ? 'tool call' : 'ok'})`;
      if (e.output?.cooldowns?.length) return `${short}(all cooling)`;
      if (e.type === 'openSession.done' && (e.output?.at ?? 0) > 0) return `${short}(at the deadline)`;
      return short;
    })
    .join(' > ');
}

/**
 * Paths that together take every transition the walk can reach: the shortest path to each
 * state of the graph, and that path extended by each event the state handles (a transition
 * tour). Shortest paths alone would miss the second way into a state they already reach.
 */
export function transitionTour(machine: AnyStateMachine, { traversal }: GraphWalk): { shortest: RunPath[]; tour: RunPath[] } {
  const logic = machine as unknown as Parameters<typeof getShortestPaths>[0];
  const shortest = getShortestPaths(logic, traversal as never) as unknown as RunPath[];
  const to = new Map(shortest.map((p) => [serializeRun(p.state), p]));
  const adjacency = getAdjacencyMap(logic, traversal as never) as unknown as Record<string, { transitions: Record<string, { event: RunEv; state: RunSnap }> }>;
  const tour: RunPath[] = [];
  for (const [key, { transitions }] of Object.entries(adjacency)) {
    const head = to.get(key);
    if (!head) continue;
    for (const { event, state } of Object.values(transitions)) tour.push({ state, steps: [...head.steps, { event, state }], weight: head.weight + 1 });
  }
  return { shortest, tour };
}
