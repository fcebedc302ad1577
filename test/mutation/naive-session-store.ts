import type { CooldownEntry, Message, Turn } from '../../src/types.js';
import type { Lease, OpenedRun } from '../../src/store/types.js';
import type { RaceStore } from '../property/harness/run-race.js';

/** How the naive store goes wrong; with every flag off it behaves (one lease per session, held to the end). */
export interface NaiveFlags {
  /** Lets go of the session right after reading its history, as the incident's engine did between retries. */
  releaseLease?: boolean;
  /** Appends the run's message(s) when it opens, and only the reply when it commits. */
  promptAtOpen?: boolean;
  /** Commits at the position the run read when it opened, over whatever landed since. */
  staleSeq?: boolean;
}

const keyOf = (c: { provider: string; profileId?: string; model?: string }) => `${c.provider}|${c.profileId ?? ''}|${c.model ?? ''}`;

/**
 * A SessionStore kept in memory, simple enough to break on purpose: the race properties must
 * hold on it with no flag set, and fail with each flag (test/mutation/store-mutants.test.ts).
 */
export function naiveSessionStore(messagesOf: (runId: string) => readonly Message[], flags: NaiveFlags = {}): RaceStore {
  let turns: Turn[] = [];
  let holder: string | undefined;
  let token = 0;
  const waiting: (() => void)[] = [];
  const base = new Map<string, number>();
  const cooldowns = new Map<string, CooldownEntry>();
  const renumber = () => (turns = turns.map((t, i) => ({ ...t, seq: i + 1 })));
  const append = (runId: string, ms: readonly Message[]) => {
    turns.push(...ms.map((m): Turn => ({ ...m, seq: 0, runId })));
    renumber();
  };
  const release = (runId: string) => {
    if (holder !== runId) return;
    holder = undefined;
    waiting.shift()?.();
  };

  const activeCooldowns = (providers: readonly string[], now: number) =>
    [...cooldowns.values()].filter((c) => providers.includes(c.provider) && c.until > now);

  return {
    path: ':naive:',
    async openRun(a): Promise<OpenedRun> {
      if (!flags.releaseLease) {
        while (holder !== undefined) {
          await new Promise<void>((resolve, reject) => {
            waiting.push(resolve);
            a.signal?.addEventListener(
              'abort',
              () => {
                waiting.splice(waiting.indexOf(resolve), 1);
                reject(a.signal?.reason);
              },
              { once: true },
            );
          });
        }
        holder = a.runId;
      }
      const history = turns.map((t) => ({ ...t }));
      base.set(a.runId, turns.length);
      if (flags.promptAtOpen) append(a.runId, messagesOf(a.runId));
      const lease: Lease = { sessionId: a.sessionId, runId: a.runId, token: ++token, expiresAt: a.now + a.leaseTtlMs };
      return { lease, history, cooldowns: activeCooldowns(a.providers, a.now) };
    },
    renewLease: async (lease, now, ttl) => ({ ...lease, expiresAt: now + ttl }),
    async commitRun(lease, a) {
      const mine = [...(flags.promptAtOpen ? [] : a.messages), a.reply].map((m): Turn => ({ ...m, seq: 0, runId: a.runId }));
      if (flags.staleSeq) turns.splice(base.get(a.runId)!, mine.length, ...mine);
      else turns.push(...mine);
      renumber();
      release(lease.runId);
      return { turns: turns.filter((t) => t.runId === a.runId) };
    },
    failRun: async (lease) => void (lease && release(lease.runId)),
    listTurns: async () => turns.map((t) => ({ ...t })),
    activeCooldowns: async (providers, now) => activeCooldowns(providers, now),
    async putCooldown(e) {
      const old = cooldowns.get(keyOf(e));
      cooldowns.set(keyOf(e), { ...e, until: Math.max(e.until, old?.until ?? -Infinity) });
    },
    clearCooldowns: async (keys) => keys.forEach((k) => cooldowns.delete(keyOf(k))),
    close: async () => undefined,
  };
}
