import { ConfigError } from '../errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/**
 * The time `--before` names: a duration back from `now` (`7d`, `12h`, `30m`, `45s`) or an ISO
 * date (`2025-01-31`, midnight UTC) or date-time (`2025-01-31T12:00:00Z`).
 */
export function parseBefore(text: string, now: number): number {
  const duration = /^(\d+)([dhms])$/.exec(text.trim());
  if (duration) return now - Number(duration[1]) * UNIT_MS[duration[2]!]!;
  const at = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isFinite(at)) return at;
  throw new ConfigError('--before', `must be a duration like 7d, 12h or 30m, or an ISO date like 2025-01-31, got ${JSON.stringify(text.slice(0, 40))}`);
}
