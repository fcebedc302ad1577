import type { CooldownEntry, Message, Turn } from '../types.js';
import type { Lease, OpenedRun } from './types.js';

/**
 * What openRun gives: `history` (seq and run id of every turn) is built the first time something
 * asks for it: the engine never does (it sends `messages`), so a run of a long session builds no
 * turn records. Building later is exact: turns are append-only, and `turns` stops at the last
 * turn the run's transaction saw (the SQLite store reads them then, the PostgreSQL store builds
 * them from its history cache).
 */
export function openedRun(lease: Lease, messages: readonly Message[], cooldowns: CooldownEntry[], turns: () => Turn[]): OpenedRun {
  let records: Turn[] | undefined;
  const opened = { lease, messages, cooldowns } as OpenedRun;
  // added to the built object: a getter in the literal makes V8 hold the object as a dictionary
  Object.defineProperty(opened, 'history', { get: () => (records ??= turns()), enumerable: true, configurable: true });
  return opened;
}
