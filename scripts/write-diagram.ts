// Regenerates docs/run-machine.mmd and the diagram block of docs/architecture.md from the machine.
import { readFileSync, writeFileSync } from 'node:fs';
import { runMachine } from '../machines/run.machine.js';
import { toMermaid } from '../src/diagram/machine-diagram.js';
import { replaceDiagramBlock } from '../src/diagram/architecture-doc.js';

const mermaid = toMermaid(runMachine);
writeFileSync(new URL('../docs/run-machine.mmd', import.meta.url), mermaid);
const doc = new URL('../docs/architecture.md', import.meta.url);
writeFileSync(doc, replaceDiagramBlock(readFileSync(doc, 'utf8'), mermaid));
console.log('docs/run-machine.mmd and docs/architecture.md updated');
