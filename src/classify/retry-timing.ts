import type { HeaderMap } from './read-headers.js';
import { parseCompactDuration } from './parse-duration.js';
import { durationFromText, instantFromText } from './text-timing.js';

/** A wait found in a body: relative (`resets_in_seconds`, `retryDelay`) or absolute (`resets_at`). */
export type TimingHint = { relativeMs: number } | { absoluteMs: number };

export interface RetryTiming {
  retryAfterMs?: number;
  resetAt?: number;
}

const MAX_WAIT_MS = 400 * 86_400_000;

/** Epoch seconds, epoch ms, or an ISO / HTTP date. */
export function parseAbsolute(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value < 1e11 ? value * 1_000 : value;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return parseAbsolute(Number(s));
  if (s.length > 64 || !/\d{4}|\d{2}:\d{2}/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

/** Seconds as a number or numeric string, or a compact duration (`30s`). */
export function parseSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1_000 : undefined;
  if (typeof value === 'string') return parseCompactDuration(value);
  return undefined;
}

/** Google's `RetryInfo.retryDelay`: `"30s"` in JSON, `{ seconds, nanos }` from a proto client. */
export function parseProtoDuration(value: unknown): number | undefined {
  if (typeof value === 'string') return parseCompactDuration(value);
  if (value !== null && typeof value === 'object') {
    const { seconds, nanos } = value as { seconds?: unknown; nanos?: unknown };
    const s = Number(seconds ?? 0);
    const n = Number(nanos ?? 0);
    if (Number.isFinite(s) && Number.isFinite(n) && (seconds !== undefined || nanos !== undefined)) return s * 1_000 + n / 1e6;
  }
  return undefined;
}

function retryAfterHeader(value: string, now: number): TimingHint | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return { relativeMs: Number(v) * 1_000 };
  // HTTP-date: `Wed, 21 Oct 2015 07:28:00 GMT`.
  const t = /[a-z]/i.test(v) ? parseAbsolute(v) : undefined;
  return t === undefined ? undefined : { absoluteMs: Math.max(t, now) };
}

/**
 * `x-ratelimit-reset-requests` / `-tokens` (OpenAI, Groq: `6m0s`) and `anthropic-ratelimit-*-reset`
 * (RFC 3339). When a `-remaining` header says which budget is spent, only that reset counts;
 * otherwise the latest reset, since waiting for it frees every budget.
 */
function windowResets(headers: HeaderMap, now: number): TimingHint | undefined {
  const exhausted: number[] = [];
  const all: number[] = [];
  for (const [name, value] of headers) {
    let at: number | undefined;
    let stem: string | undefined;
    const openai = /^x-ratelimit-reset(-.+)?$/.exec(name);
    const anthropic = /^anthropic-ratelimit-(.+)-reset$/.exec(name);
    if (openai) {
      const rel = parseCompactDuration(value);
      // A bare number that large is an epoch time in seconds (some gateways), already in ms here.
      at = rel === undefined ? undefined : rel > 1e12 ? rel : now + rel;
      stem = `x-ratelimit-remaining${openai[1] ?? ''}`;
    } else if (anthropic) {
      at = parseAbsolute(value);
      stem = `anthropic-ratelimit-${anthropic[1] ?? ''}-remaining`;
    }
    if (at === undefined || stem === undefined) continue;
    all.push(at);
    if (headers.get(stem)?.trim() === '0') exhausted.push(at);
  }
  const pick = exhausted.length > 0 ? exhausted : all;
  return pick.length > 0 ? { absoluteMs: Math.max(...pick) } : undefined;
}

function settle(hint: TimingHint, now: number): RetryTiming | undefined {
  if ('relativeMs' in hint) {
    const ms = hint.relativeMs;
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_WAIT_MS) return undefined;
    return { retryAfterMs: Math.round(ms), resetAt: Math.round(now + ms) };
  }
  const at = hint.absoluteMs;
  if (!Number.isFinite(at) || at - now > MAX_WAIT_MS) return undefined;
  return { retryAfterMs: Math.max(0, Math.round(at - now)), resetAt: Math.round(Math.max(at, now)) };
}

/**
 * A wait named in the failure's prose: a duration and an instant, each read without the clock
 * (relative and absolute), so one reading serves every classification of the same words.
 */
export interface ProseTiming {
  relativeMs?: number;
  absoluteMs?: number;
}

export function proseTiming(text: string): ProseTiming {
  const relativeMs = durationFromText(text);
  const absoluteMs = instantFromText(text);
  if (relativeMs === undefined) return absoluteMs === undefined ? {} : { absoluteMs };
  return absoluteMs === undefined ? { relativeMs } : { relativeMs, absoluteMs };
}

/**
 * The provider's own wait, most precise source first: `retry-after-ms`, `retry-after`, body fields,
 * rate-limit window headers, then a wait named in the message (`prose`, see proseTiming). Window
 * headers ride on every response of OpenAI and Anthropic, so they only count when a limit is the
 * failure (`limited`).
 */
export function retryTiming(headers: HeaderMap, bodyHints: readonly TimingHint[], prose: ProseTiming, now: number, limited: boolean): RetryTiming {
  const ms = headers.get('retry-after-ms');
  const fromMs = ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms) ? settle({ relativeMs: Number(ms) }, now) : undefined;
  if (fromMs) return fromMs;
  const after = headers.get('retry-after');
  const afterHint = after === undefined ? undefined : retryAfterHeader(after, now);
  const fromAfter = afterHint && settle(afterHint, now);
  if (fromAfter) return fromAfter;
  for (const hint of bodyHints) {
    const fromBody = settle(hint, now);
    if (fromBody) return fromBody;
  }
  const window = limited ? windowResets(headers, now) : undefined;
  const fromWindow = window && settle(window, now);
  if (fromWindow) return fromWindow;
  const inProse = prose.relativeMs;
  const fromProse = inProse === undefined ? undefined : settle({ relativeMs: inProse }, now);
  if (fromProse) return fromProse;
  const at = prose.absoluteMs;
  return (at === undefined ? undefined : settle({ absoluteMs: at }, now)) ?? {};
}
