import type { Decision, Message, RunStore } from '../../src/index.js';
import { newRunId } from '../../src/run-id.js';
import type { BareWork } from './bare-machine.js';
import { BareRuns } from './bare-runs.js';
import type { FloorPlan } from './floor-plan.js';

/**
 * A floor for a store whose SQL the benchmark cannot compose itself (PostgreSQL, until its
 * statements are known here): the bare machine calling the store's own port (openRun, the
 * cooldown upsert and re-read of a failure, commitRun or failRun). It measures what the engine
 * adds over its store, not what the store adds over its SQL.
 */
export class PortFloorRuns extends BareRuns {
  readonly #store: RunStore;
  readonly #plan: FloorPlan;
  readonly #now: () => number;
  readonly #decisions: Decision[];
  lastMessages: readonly Message[] = [];

  constructor(store: RunStore, plan: FloorPlan, now: () => number) {
    super(plan.ending);
    this.#store = store;
    this.#plan = plan;
    this.#now = now;
    this.#decisions = [...plan.decisions];
  }

  work(sessionId: string): BareWork {
    const store = this.#store;
    const plan = this.#plan;
    const runId = newRunId();
    const now = this.#now();
    const gate = this.gate;
    let lease: Awaited<ReturnType<RunStore['openRun']>>['lease'];
    let history: readonly Message[] = [];
    return {
      calls: plan.calls.length,
      open: async () => {
        const opened = await store.openRun({ runId, sessionId, now, leaseTtlMs: 30_000, lockWaitMs: 30_000, providers: plan.providers });
        lease = opened.lease;
        history = opened.messages ?? opened.history;
      },
      call: async (index) => {
        const messages = [...history, ...plan.messages];
        const c = plan.calls[index]!;
        if (index === plan.calls.length - 1 && gate.closed) await gate.pass();
        this.lastMessages = messages;
        if (c.ok) return true;
        if (c.share) await store.putCooldown({ ...c.share.key, until: now + c.share.untilAfterMs, reason: c.share.reason, failures: c.share.failures });
        if (c.reread) await store.activeCooldowns([c.reread], now);
        return false;
      },
      persist: async () => {
        await store.commitRun(lease, {
          runId,
          messages: plan.messages,
          reply: plan.reply,
          servedBy: plan.servedBy!,
          attempts: plan.attempts,
          decisions: this.#decisions,
          now,
        });
      },
      close: async () => {
        const { code, message } = plan.error!;
        await store.failRun(lease, { runId, sessionId, status: 'failed', errorCode: code, errorMessage: message, attempts: plan.attempts, decisions: this.#decisions, now });
      },
    };
  }
}
