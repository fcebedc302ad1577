import { toPromise } from 'xstate';
import { openSqliteStore, type SessionStore } from '../../src/index.js';
import type { FloorCall, FloorPlan, SharedCooldown } from '../floor/floor-plan.js';
import { REPLY } from './scripted-call.js';
import { EngineRuns, type Scenario } from './engine-runs.js';

/**
 * Runs the scenario once on a scratch store and writes down what the floor must do the same:
 * the calls and their outcomes, the cooldowns each failure shared, the attempts and decisions
 * the run recorded, how it ended. `seed` puts the case's state in the scratch store first, as
 * in the case's own: a run that skips candidates cooling down records its skips, and the floor
 * must write the same decisions (without it, the plan of a skipped chain held one decision
 * where the run writes one per skipped candidate).
 */
export async function floorPlanOf(sc: Scenario, seed?: (store: SessionStore) => Promise<void>): Promise<FloorPlan> {
  const store = openSqliteStore();
  try {
    await seed?.(store);
    const runs = new EngineRuns(store, sc);
    const actor = runs.start('floor-plan');
    const shared = new Map<number, SharedCooldown>();
    let failedAttempt = 0;
    actor.on('*', (e) => {
      if (e.type === 'attempt.failed') failedAttempt = e.attempt;
      if (e.type === 'cooldown.set') {
        const { until, reason, failures, ...key } = e.cooldown;
        shared.set(failedAttempt, { key, reason, failures, untilAfterMs: until - e.at });
      }
    });
    const out = await toPromise(actor);
    if (out.status !== sc.expect.status || runs.calls !== sc.expect.calls) {
      throw new Error(`the scenario's first run ended ${out.status} after ${runs.calls} calls, expected ${sc.expect.status} after ${sc.expect.calls}`);
    }
    const calls: FloorCall[] = out.attempts.map((a, i) =>
      // after a failure the engine re-reads the failed call's provider's cooldowns (one statement)
      a.outcome === 'succeeded' ? { ok: true } : { ok: false, share: shared.get(a.n), reread: a.provider },
    );
    return {
      providers: [...new Set(sc.chain.map((c) => c.split('/')[0]!))],
      calls,
      ending: out.status,
      messages: sc.messages,
      reply: { role: 'assistant', content: REPLY },
      attempts: out.attempts,
      decisions: out.decisions,
      servedBy: out.status === 'succeeded' ? out.servedBy : undefined,
      error: out.status === 'failed' ? { code: out.error.code, message: out.error.message } : undefined,
    };
  } finally {
    await store.close();
  }
}
