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
export class SharedCooldowns {
  readonly #byKey = new Map<string, Map<string, Map<string, CooldownEntry>>>();
  #count = 0;

  /** The entry of `r`, as rowToCooldown makes it: the same object while the row is unchanged. */
  readonly entry = (r: CooldownRow): CooldownEntry => {
    const probed = r.probe_run_id != null && r.probe_until != null;
    const probeRunId = probed ? r.probe_run_id! : undefined;
    const probeUntil = probed ? r.probe_until! : undefined;
    let profiles = this.#byKey.get(r.provider);
    let models = profiles?.get(r.profile_id);
    const known = models?.get(r.model);
    if (known && known.until === r.until && known.reason === r.reason && known.failures === r.failures && known.probeRunId === probeRunId && known.probeUntil === probeUntil) {
      return known;
    }
    const entry = Object.freeze(rowToCooldown(r));
    if (!known) {
      if (this.#count >= MAX_SHARED_ENTRIES) {
        this.#byKey.clear();
        this.#count = 0;
        profiles = models = undefined;
      }
      if (!profiles) this.#byKey.set(r.provider, (profiles = new Map()));
      if (!models) profiles.set(r.profile_id, (models = new Map()));
      this.#count++;
    }
    models!.set(r.model, entry);
    return entry;
  };
}
