import type { CooldownEntry } from '../types.js';
import { rowToCooldown, type CooldownRow } from './row-mapping.js';

/** Keys whose last entry is kept, at most: rows deleted long ago (made-up providers) must not keep theirs forever. */
const MAX_SHARED_ENTRIES = 4096;

/**
 * The cooldown entries runs open with, by key (provider, profile_id, model as stored), in either
 * store. Every run in flight holds the cooldowns of its chain to its end: during an incident each
 * held its own copy of the same rows (skipped-chain/128: 127 entries and their strings, ~15 KB a
 * run). A row read again unchanged (end, reason, count, probe claim) gives the entry the last
 * run got, frozen, as it is shared; a changed row a new one.
 */
export class CooldownEntryPool {
  /** By provider: its keys' entries (one lookup per row: a read's strings are new, each lookup hashes one). */
  readonly #byProvider = new Map<string, CooldownEntry[]>();
  #count = 0;

  /** The entry of `r`, as rowToCooldown makes it: the same object while the row is unchanged. */
  readonly entry = (r: CooldownRow): CooldownEntry => {
    const probed = r.probe_run_id != null && r.probe_until != null;
    const probeRunId = probed ? r.probe_run_id! : undefined;
    const probeUntil = probed ? r.probe_until! : undefined;
    let entries = this.#byProvider.get(r.provider);
    let at = -1;
    if (entries) {
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        if ((e.profileId ?? '') === r.profile_id && (e.model ?? '') === r.model) {
          if (e.until === r.until && e.reason === r.reason && e.failures === r.failures && e.probeRunId === probeRunId && e.probeUntil === probeUntil) return e;
          at = i;
          break;
        }
      }
    }
    const entry = Object.freeze(rowToCooldown(r));
    if (at >= 0) {
      entries![at] = entry;
      return entry;
    }
    if (this.#count >= MAX_SHARED_ENTRIES) {
      this.#byProvider.clear();
      this.#count = 0;
      entries = undefined;
    }
    if (entries) entries.push(entry);
    else this.#byProvider.set(r.provider, [entry]);
    this.#count++;
    return entry;
  };
}
