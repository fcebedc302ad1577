/** The run count of the properties (test/setup-fast-check.ts reads the same variable). */
export const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 100);

/**
 * For properties that cost several engine runs per case (two runs, or a race of runs): a share
 * of FC_NUM_RUNS, so that FC_NUM_RUNS=2000 stays within the CI budget. Documented in docs/testing.md.
 */
export const share = (fraction: number): { numRuns: number } => ({ numRuns: Math.max(10, Math.ceil(NUM_RUNS * fraction)) });

/**
 * For the properties run on PostgreSQL, where each case makes (and drops) a schema on a real
 * server: a twentieth of FC_NUM_RUNS, at least 5 and at most 60, so CI's FC_NUM_RUNS=3000 stays
 * within its budget; and the time such a property may take.
 */
export const POSTGRES_RUNS = { numRuns: Math.min(60, Math.max(5, Math.ceil(NUM_RUNS / 20))) };
export const POSTGRES_PROPERTY_TIMEOUT_MS = 240_000;
