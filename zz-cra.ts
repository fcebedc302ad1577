import { createRunActor, openSqliteStore } from './src/index.js';
import { validateRunOptions } from './src/config/validate-run-options.js';
const store = openSqliteStore({ path: ':memory:' } as any);
const chain = Array.from({ length: 128 }, (_, i) => `cooling${i}/model-${i}`);
const opts = { sessionId: 's1', messages: [{ role: 'user', content: 'hello' }], chain, call: async () => ({ content: 'ok' }), store } as any;
for (let k = 0; k < 3; k++) {
  let t0 = performance.now(); for (let i = 0; i < 5000; i++) validateRunOptions(opts); const v = (performance.now() - t0) / 5;
  t0 = performance.now(); for (let i = 0; i < 5000; i++) createRunActor(opts); const c = (performance.now() - t0) / 5;
  console.log(`validate ${v.toFixed(1)} µs, createRunActor ${c.toFixed(1)} µs`);
}
