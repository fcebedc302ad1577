import type { CooldownEntry } from '../../src/types.js';
import { keyText } from './keys.js';

/**
 * The shared cooldowns as a store keeps them: one entry per key; writing a key again keeps the
 * later end and takes the newer reason and failure count; reads return the entries of the
 * given providers, ended ones included for a day (they still count failures until a success).
 */
export class CooldownBook {
  readonly #entries = new Map<string, CooldownEntry>();

  constructor(initial: readonly CooldownEntry[] = []) {
    for (const e of initial) this.put(e);
  }

  put(e: CooldownEntry): void {
    const k = keyText(e);
    const old = this.#entries.get(k);
    this.#entries.set(k, { ...e, until: old ? Math.max(old.until, e.until) : e.until });
  }

  active(providers: ReadonlySet<string>, now: number): CooldownEntry[] {
    return [...this.#entries.values()].filter((e) => providers.has(e.provider) && e.until > now - 24 * 3_600_000);
  }
}
