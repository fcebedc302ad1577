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
  // Hugging Face's `estimated_time` (seconds until a cold model is loaded), quoted inside a wrapper's prose.
  const est = /['"]estimated_time['"]\s*:\s*(\d+(?:\.\d+)?)/.exec(text);
  if (est?.[1]) return Number(est[1]) * 1_000;
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

/**
 * A reset instant named in prose with an explicit zone: "regain access on 2026-10-01 at 00:00 UTC",
 * "resets at 2026-03-06T22:19:54Z". Without a zone the provider's local time is unknown: ignored.
 */
export function instantFromText(text: string): number | undefined {
  const m = /(?:regain access|resets?|available again|try again)\s+(?:on|at|after)\s+(\d{4}-\d{2}-\d{2})(?:(?:\s+at\s+|t|\s+)(\d{2}:\d{2}(?::\d{2})?))?\s*(utc|gmt|z|[+-]\d{2}:?\d{2})\b/i.exec(text);
  if (!m?.[1] || !m[3]) return undefined;
  const zone = /^(utc|gmt|z)$/i.test(m[3]) ? 'Z' : m[3];
  const t = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[2] && m[2].length === 5 ? ':00' : ''}${zone}`);
  return Number.isFinite(t) ? t : undefined;
}
