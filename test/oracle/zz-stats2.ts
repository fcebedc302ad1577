import { fc } from '@fast-check/vitest';
import { worldArb } from '../arbitraries/worlds.js';
const worlds = fc.sample(worldArb(), 3000);
const h = (f: (w: any) => number) => { const m = new Map<number, number>(); for (const w of worlds) m.set(f(w), (m.get(f(w)) ?? 0) + 1); return [...m].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}:${v}`).join(' '); };
console.log('chain', h((w) => w.chain.length));
console.log('providers', h((w) => Object.keys(w.profiles).length));
console.log('keys', h((w) => Math.min(20, Object.keys(w.scripts).length)));
console.log('cooldowns', h((w) => w.cooldowns.length));
