import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

describe('docs/api.md', () => {
  it('names every runtime export of the public entry', () => {
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const missing = Object.keys(api).filter((name) => !doc.includes(`\`${name}`));
    expect(missing).toEqual([]);
  });
});
