import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root: the nearest directory above this file whose package.json is ours.
 * The benchmark runs compiled to a directory of its own, so paths relative to this file would
 * not reach the repository's files.
 */
export function repositoryRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'llm-failover') return dir;
    if (dirname(dir) === dir) throw new Error('the llm-failover repository was not found above the benchmark');
  }
}
