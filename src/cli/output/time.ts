/** An ISO time, or `-` when there is none (JSON keeps the ms numbers). */
export function iso(t: number | undefined): string {
  return t === undefined || !Number.isFinite(t) ? '-' : new Date(t).toISOString();
}

/** `1d 2h`, `59m 58s`, `12s`: the two largest units of a duration. */
export function span(ms: number): string {
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]];
  const parts: string[] = [];
  let left = Math.abs(ms);
  for (const [name, size] of units) {
    const n = Math.floor(left / size);
    if (n > 0 || (parts.length > 0 && parts.length < 2)) parts.push(`${n}${name}`);
    left -= n * size;
    if (parts.length === 2) break;
  }
  return parts.length > 0 ? parts.join(' ') : `${Math.round(Math.abs(ms))}ms`;
}

/** An ISO time with how far it is from `now`: `… (in 59m 58s)` or `… (3m 2s ago)`. */
export function isoFrom(t: number, now: number): string {
  if (!Number.isFinite(t)) return '-';
  return `${iso(t)} (${t >= now ? `in ${span(t - now)}` : `${span(now - t)} ago`})`;
}
