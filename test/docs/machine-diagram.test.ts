import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMachine } from '../../machines/run.machine.js';
import { diagramBlockOf } from '../../src/diagram/architecture-doc.js';
import { collectEdges, toMermaid } from '../../src/diagram/machine-diagram.js';

const doc = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

describe('the machine diagram in docs/', () => {
  it('docs/run-machine.mmd is what the machine generates (run `npm run diagram` after a change)', () => {
    expect(doc('run-machine.mmd')).toBe(toMermaid(runMachine));
  });

  it('docs/architecture.md embeds the same diagram', () => {
    expect(diagramBlockOf(doc('architecture.md'))).toBe(toMermaid(runMachine));
  });

  it('shows every state of the machine and the eventless decisions', () => {
    const edges = collectEdges(runMachine);
    const states = new Set(edges.flatMap((e) => [e.from, e.to]));
    expect([...states].sort()).toEqual(Object.keys(runMachine.root.states).sort());
    expect(edges).toContainEqual({ from: 'escalatingModel', to: 'attempting', label: 'always [hasCandidate]' });
  });
});
