import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../../src/classify/errors-doc.js';
import { FAMILY_TABLES, GENERIC_RULES } from '../../src/classify/rules/index.js';
import { corpusAccuracy } from './corpus.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('is what the classifier tables render (regenerate: npx tsx scripts/write-errors-doc.ts)', () => {
    expect(doc).toBe(renderErrorsDoc(corpusAccuracy()));
  });

  it('reports the accuracy on the corpus per provider', () => {
    expect(doc).toContain('## Accuracy on real payloads');
    for (const row of corpusAccuracy().rows) expect(doc).toContain(`| ${row.provider} | ${row.entries} |`);
  });

  it('shows every rule of every table', () => {
    for (const table of [GENERIC_RULES, ...FAMILY_TABLES]) {
      for (const rule of table.rules) expect(doc).toContain(rule.note.replace(/\|/g, '\\|'));
    }
  });
});
