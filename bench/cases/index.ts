import type { BenchCase } from '../harness/types.js';
import { asyncBoundaryCase } from './async-boundary.js';
import { deadChainCases, skippedChainCases } from './chains.js';
import { concurrentCases } from './concurrent.js';
import { coreCases } from './core.js';
import { grownTablesCase } from './grown-tables.js';
import { historyCases } from './histories.js';
import { postgresCases } from './postgres.js';
import { postgresHistoryCases } from './postgres-histories.js';

/** Every case, in the order the table shows them. */
export const ALL_CASES: readonly BenchCase[] = [
  ...coreCases(),
  ...deadChainCases(),
  ...skippedChainCases(),
  ...historyCases(),
  ...concurrentCases(),
  grownTablesCase(),
  asyncBoundaryCase(),
  ...postgresCases(),
  ...postgresHistoryCases(),
];

/** The cases a --case filter selects: those whose name starts with one of the filters (`dead-chain` selects all four). */
export function selectCases(filters: readonly string[], cases: readonly BenchCase[] = ALL_CASES): BenchCase[] {
  return filters.length === 0 ? [...cases] : cases.filter((c) => filters.some((f) => c.name.startsWith(f)));
}
