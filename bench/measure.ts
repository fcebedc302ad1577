/** Runs `op` sequentially for warmup + measured iterations; returns µs per op (median of 5 rounds). */
export async function usPerOp(op: () => Promise<unknown> | unknown, iterations = 2000, rounds = 5): Promise<number> {
  for (let i = 0; i < Math.min(500, iterations); i++) await op();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await op();
    samples.push(((performance.now() - start) * 1000) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export const fmt = (us: number) => `${us.toFixed(1).padStart(8)} µs/run  ${Math.round(1e6 / us).toString().padStart(7)} runs/s`;
