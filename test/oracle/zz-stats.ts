import { fc } from '@fast-check/vitest';
import { worldArb } from '../arbitraries/worlds.js';
import { simulate } from './simulate.js';
const worlds = fc.sample(worldArb(), 5000);
const count = new Map<string, number>();
const inc = (k: string) => count.set(k, (count.get(k) ?? 0) + 1);
for (const w of worlds) {
  const e = simulate(w);
  inc(`end ${e.status} ${e.code ?? ''}`);
  for (const k of new Set(e.decisions.map((d) => d.kind))) inc(`has ${k}`);
  inc(`calls ${Math.min(e.calls.length, 6)}`);
  for (const c of e.calls) if (c.reason) inc(`reason ${c.reason}`);
  if (e.calls.some((c) => c.result === 'cut')) inc('has cut');
}
console.log([...count].sort().map(([k, v]) => `${k}: ${v}`).join('\n'));
