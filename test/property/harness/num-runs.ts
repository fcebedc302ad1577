/** The run count of the properties (test/setup-fast-check.ts reads the same variable). */
export const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 100);

/**
 * For properties that cost several engine runs per case (two runs, or a race of runs): a share
 * of FC_NUM_RUNS, so that FC_NUM_RUNS=2000 stays within the CI budget. Documented in docs/testing.md.
 */
export const share = (fraction: number): { numRuns: number } => ({ numRuns: Math.max(10, Math.ceil(NUM_RUNS * fraction)) });
