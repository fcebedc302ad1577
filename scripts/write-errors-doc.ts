// Regenerates docs/errors.md from the classifier's tables and its accuracy on the corpus:
// npx tsx scripts/write-errors-doc.ts
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from '../src/classify/errors-doc.js';
import { corpusAccuracy } from '../test/classify/corpus.js';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc(corpusAccuracy()));
