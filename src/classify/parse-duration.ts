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

const WORD_UNIT_MS: ReadonlyArray<[RegExp, number]> = [
  [/^(ms|milliseconds?)$/, 1],
  [/^(s|secs?|seconds?)$/, 1_000],
  [/^(m|mins?|minutes?)$/, 60_000],
  [/^(h|hrs?|hours?)$/, 3_600_000],
  [/^(d|days?)$/, 86_400_000],
];

/**
 * A wait named in prose after "try again in", "retry after", "reset in": `22 seconds`, `14m24s`,
 * `2 hours`, `6h`. Clock times ("after 11:34 AM") carry no zone and are ignored.
 */
export function durationFromText(text: string): number | undefined {
  const cue = /(?:try again|retry|retry-after|resets?|available again)(?: in| after)?:?\s*(\d[\d.]*\s*[a-zµ]+(?:\s*\d[\d.]*\s*[a-zµ]+){0,3})/i.exec(text);
  if (!cue?.[1]) return undefined;
  let total = 0;
  let matched = false;
  for (const m of cue[1].toLowerCase().matchAll(/(\d+(?:\.\d+)?)\s*([a-zµ]+)/g)) {
    const unit = WORD_UNIT_MS.find(([re]) => re.test(m[2] ?? ''));
    if (!unit) break;
    total += Number(m[1]) * unit[1];
    matched = true;
  }
  return matched && Number.isFinite(total) ? total : undefined;
}
