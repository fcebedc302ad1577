import fc from 'fast-check';

// FC_NUM_RUNS scales every property (CI sets it high); FC_SEED / FC_PATH replay a failure.
const env = process.env;
fc.configureGlobal({
  numRuns: Number(env.FC_NUM_RUNS ?? 100),
  ...(env.FC_SEED ? { seed: Number(env.FC_SEED) } : {}),
  ...(env.FC_PATH ? { path: env.FC_PATH, endOnFailure: true } : {}),
});
