import type { RunStore } from '../../../src/store/types.js';
import type { Turn } from '../../../src/types.js';

/** What happened to the session, in order: who got it, who wrote what, who let go. */
export type SessionLogEntry =
  | { type: 'acquired'; runId: string; history: readonly Turn[] }
  | { type: 'committed'; runId: string; turns: readonly Turn[] }
  | { type: 'ended'; runId: string };

/** Passes every call through, logging the session's lease and writes in the order they happen. */
export function recordingStore(inner: RunStore, log: SessionLogEntry[]): RunStore {
  return {
    ...(inner.path !== undefined ? { path: inner.path } : {}),
    async openRun(args) {
      const opened = await inner.openRun(args);
      log.push({ type: 'acquired', runId: args.runId, history: opened.history });
      return opened;
    },
    renewLease: (lease, now, ttl, w) => inner.renewLease(lease, now, ttl, w),
    async commitRun(lease, args) {
      const out = await inner.commitRun(lease, args);
      log.push({ type: 'committed', runId: args.runId, turns: out.turns });
      return out;
    },
    async failRun(lease, args) {
      await inner.failRun(lease, args);
      log.push({ type: 'ended', runId: args.runId });
    },
    activeCooldowns: (p, now, w) => inner.activeCooldowns(p, now, w),
    putCooldown: (e, w) => inner.putCooldown(e, w),
    claimProbe: (k, r, n, h, w) => inner.claimProbe!(k, r, n, h, w),
    clearCooldowns: (k, w) => inner.clearCooldowns(k, w),
  };
}
