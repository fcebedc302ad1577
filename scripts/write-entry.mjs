// machines/ sits beside src/, so tsc emits dist/src/index.js; the package entry is dist/index.js.
import { writeFileSync } from 'node:fs';

writeFileSync(new URL('../dist/index.js', import.meta.url), "export * from './src/index.js';\n");
writeFileSync(new URL('../dist/index.d.ts', import.meta.url), "export * from './src/index.js';\n");
