import type { AnyStateMachine, AnyStateNode } from 'xstate';

interface TransitionLike {
  source: AnyStateNode;
  eventType: string;
  target?: readonly AnyStateNode[] | undefined;
}

const targets = (t: TransitionLike) => (t.target ?? []).map((n) => n.key).join(',') || '(stays)';

/**
 * Every transition of the machine, named `state --event#index--> target`: each `on` (the
 * effects' `.done` and `.error` answers included), `after` and `always` branch of each state. The index tells apart the guarded
 * branches of one event. Named the same way in any machine built from the same config, so
 * transitions taken by a provided copy of the machine can be matched against this list.
 */
export function allTransitions(machine: AnyStateMachine): string[] {
  const out: string[] = [];
  for (const node of Object.values(machine.root.states) as AnyStateNode[]) {
    for (const [type, list] of node.transitions) (list as TransitionLike[]).forEach((t, i) => out.push(`${node.key} --${type}#${i}--> ${targets(t)}`));
    ((node.always ?? []) as TransitionLike[]).forEach((t, i) => out.push(`${node.key} --always#${i}--> ${targets(t)}`));
  }
  return out;
}

/** The name (as in allTransitions) of a transition an actor just took, or undefined for the machine's start. */
export function transitionName(t: TransitionLike): string | undefined {
  const node = t.source;
  if (!node || node === node.machine.root) return undefined;
  const always = (node.always ?? []) as TransitionLike[];
  const a = always.indexOf(t);
  if (a >= 0) return `${node.key} --always#${a}--> ${targets(t)}`;
  const list = (node.transitions.get(t.eventType) ?? []) as TransitionLike[];
  const i = list.indexOf(t);
  return i >= 0 ? `${node.key} --${t.eventType}#${i}--> ${targets(t)}` : undefined;
}
