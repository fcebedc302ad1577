import type { AnyStateMachine, AnyStateNode } from 'xstate';

export interface DiagramEdge {
  from: string;
  to: string;
  label: string;
}

interface TransitionLike {
  target?: readonly AnyStateNode[] | undefined;
  guard?: unknown;
  description?: string | undefined;
}

function eventLabel(type: string): string {
  const effect = /^(\w+)\.(done|error|timeout)$/.exec(type);
  if (effect) return `${effect[1]} ${effect[2]}`;
  // an invoked actor's answer, in a machine that has them
  const invoked = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  if (invoked) return `${invoked[2]} ${invoked[1]}`;
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  if (after) return `after ${after[1]}`;
  return type;
}

function guardLabel(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return ` [${guard}]`;
  if (typeof guard === 'object') {
    const { type, params } = guard as { type?: string; params?: unknown };
    const shown = params && typeof params === 'object' ? ` ${Object.values(params).join(' ')}` : '';
    return ` [${type ?? 'guard'}${shown}]`;
  }
  return ' [guard]';
}

/**
 * Every transition of a flat machine, `always` and root-level `on` included (xstate's
 * toDirectedGraph drops the first and attributes the second to the root), in definition order.
 */
export function collectEdges(machine: AnyStateMachine): DiagramEdge[] {
  const edges: DiagramEdge[] = [];
  const children = Object.values(machine.root.states) as AnyStateNode[];
  const push = (from: AnyStateNode, event: string, t: TransitionLike) => {
    for (const to of t.target ?? []) edges.push({ from: from.key, to: to.key, label: `${event}${guardLabel(t.guard)}` });
  };
  for (const node of children) {
    for (const [type, transitions] of node.transitions) {
      for (const t of transitions as TransitionLike[]) push(node, eventLabel(type), t);
    }
    for (const t of (node.always ?? []) as TransitionLike[]) push(node, 'always', t);
  }
  for (const [type, transitions] of machine.root.transitions) {
    for (const node of children) {
      // a child that handles the event itself (lockedPersist ignores run.abort) overrides the root
      if (node.type === 'final' || node.transitions.has(type)) continue;
      for (const t of transitions as TransitionLike[]) push(node, type, t);
    }
  }
  return edges;
}

export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${machine.root.initial?.target[0]?.key ?? '?'}`];
  for (const e of collectEdges(machine)) lines.push(`  ${e.from} --> ${e.to}: ${e.label}`);
  for (const node of Object.values(machine.root.states) as AnyStateNode[]) {
    if (node.type === 'final') lines.push(`  ${node.key} --> [*]`);
  }
  return `${lines.join('\n')}\n`;
}
