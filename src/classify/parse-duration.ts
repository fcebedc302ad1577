const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000,
};

/**
 * Go-style durations as OpenAI sends in `x-ratelimit-reset-*` (`6m0s`, `1.5s`, `20ms`) and Google
 * in `RetryInfo.retryDelay` (`30s`); a bare number is seconds. Undefined when unreadable.
 */
export function parseCompactDuration(input: string): number | undefined {
  const s = input.trim().toLowerCase();
  if (s.length === 0 || s.length > 64) return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1_000;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g)) total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  return Number.isFinite(total) ? total : undefined;
}
