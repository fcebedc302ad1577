// Regenerates docs/errors.md from the classifier's tables: npx tsx scripts/write-errors-doc.ts
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from '../src/classify/errors-doc.js';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
