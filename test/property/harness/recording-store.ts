import type { SessionStore } from '../../../src/store/types.js';
import type { Turn } from '../../../src/types.js';

/** What happened to the session, in order: who got it, who wrote what, who let go. */
export type SessionLogEntry =
  | { type: 'acquired'; runId: string; history: readonly Turn[] }
  | { type: 'committed'; runId: string; turns: readonly Turn[] }
  | { type: 'ended'; runId: string };

/** Passes every call through, logging the session's lease and writes in the order they happen. */
export function recordingStore(inner: SessionStore, log: SessionLogEntry[]): SessionStore {
  return {
    get path() {
      return inner.path;
    },
    async openRun(args) {
      const opened = await inner.openRun(args);
      log.push({ type: 'acquired', runId: args.runId, history: opened.history });
      return opened;
    },
    renewLease: (lease, now, ttl) => inner.renewLease(lease, now, ttl),
    commitRun(lease, args) {
      const out = inner.commitRun(lease, args);
      log.push({ type: 'committed', runId: args.runId, turns: out.turns });
      return out;
    },
    failRun(lease, args) {
      inner.failRun(lease, args);
      log.push({ type: 'ended', runId: args.runId });
    },
    listTurns: (s) => inner.listTurns(s),
    getRun: (r) => inner.getRun(r),
    listOrphans: () => inner.listOrphans(),
    activeCooldowns: (p, now) => inner.activeCooldowns(p, now),
    putCooldown: (e) => inner.putCooldown(e),
    clearCooldowns: (k) => inner.clearCooldowns(k),
    close: () => inner.close(),
  };
}
