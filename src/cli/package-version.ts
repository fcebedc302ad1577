import { readFileSync } from 'node:fs';

/**
 * The version in our package.json: two levels up from src/cli/ when run from source, three from
 * dist/src/cli/ when built (and installed); the first package.json named llm-failover wins.
 */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'llm-failover' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not there: try the next level
    }
  }
  return 'unknown';
}
