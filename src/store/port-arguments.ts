import { ConfigError } from '../errors.js';
import { MAX_TIMER_MS } from '../timer-bounds.js';
import type { OpenRunArgs } from './types.js';

/** A wait bound given to a store call: a non-negative number of ms, capped at what a timer can hold. */
export function checkWait(field: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new ConfigError(field, `must be a non-negative number of ms, got ${String(v)}`);
  return Math.min(v, MAX_TIMER_MS);
}

function checkId(field: 'runId' | 'sessionId', v: unknown, checkText: (field: string, text: string) => void): void {
  if (typeof v !== 'string' || v === '') throw new ConfigError(field, 'must be a non-empty string');
  checkText(field, v);
}

/**
 * The arguments of openRun, checked before any I/O so that a bad one is a ConfigError naming the
 * field. `checkText` is the store's own rule for text it must read back exactly.
 */
export function checkOpenArgs(a: OpenRunArgs, checkText: (field: string, text: string) => void): void {
  // the two ids in turn, unrolled: no list of the fields and keyed reads per run
  checkId('runId', a.runId, checkText);
  checkId('sessionId', a.sessionId, checkText);
  if (typeof a.leaseTtlMs !== 'number' || !(a.leaseTtlMs > 0) || a.leaseTtlMs > MAX_TIMER_MS) {
    throw new ConfigError('leaseTtlMs', `must be a positive number of ms, at most ${MAX_TIMER_MS}, got ${String(a.leaseTtlMs)}`);
  }
  checkWait('lockWaitMs', a.lockWaitMs, 0);
  if (!Array.isArray(a.providers)) throw new ConfigError('providers', 'must be an array of provider names');
}
