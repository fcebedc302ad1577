import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import { createRunActor, explainChain, openSqliteStore, type RunEvent } from '../../../src/index.js';
import { chainArb, type ChainWorld } from '../../arbitraries/chains.js';
import { cooldownsArb } from '../../arbitraries/cooldowns.js';
import type { CooldownEntry } from '../../../src/types.js';

export const EXPLAINS_FIRST_STEP =
  'explainChain names the call (or probe) a run makes first and the candidates it skips before it, or that it fails without a call';

export interface ExplainWorld {
  world: ChainWorld;
  /** Cooldowns in the store at time 0, when both the explanation and the run start. */
  cooldowns: CooldownEntry[];
  whenAllCoolingDown: 'probe' | 'fail';
}

export const explainWorlds: fc.Arbitrary<ExplainWorld> = chainArb().chain((world) =>
  fc.record({
    world: fc.constant(world),
    cooldowns: cooldownsArb(world),
    whenAllCoolingDown: fc.constantFrom('probe' as const, 'fail' as const),
  }),
);

/** Explains the chain over a store, then starts a real run on the same store at the same time, and compares. */
export async function explainsFirstStep(w: ExplainWorld): Promise<void> {
  const store = openSqliteStore();
  try {
    for (const c of w.cooldowns) await store.putCooldown(c);
    const chain = w.world.chain.map((c) => `${c.provider}/${c.model}`);
    const policy = { whenAllCoolingDown: w.whenAllCoolingDown };
    const explained = await explainChain({ store, chain, profiles: w.world.profiles, now: 0, policy });

    const events: RunEvent[] = [];
    const actor = createRunActor({
      sessionId: 's',
      messages: [{ role: 'user', content: 'hi' }],
      chain,
      profiles: w.world.profiles,
      call: async () => ({ content: 'ok' }),
      store,
      policy,
      clock: new SimulatedClock(),
    });
    actor.on('*', (e) => events.push(e));
    actor.start();
    const out = await toPromise(actor);

    const firstCall = events.findIndex((e) => e.type === 'attempt.started');
    const before = firstCall < 0 ? events : events.slice(0, firstCall);
    const skippedByRun = before.flatMap((e) => (e.type === 'candidate.skipped' ? [`${e.provider}/${e.model}`] : []));
    if (explained.outcome === 'fail') {
      expect(firstCall, 'explained as failing at once, but the run called').toBe(-1);
      expect(out.status === 'failed' && out.error.code).toBe('FALLBACK_EXHAUSTED');
      expect(skippedByRun).toEqual(chain);
      return;
    }
    const first = explained.candidates.find((c) => c.verdict === explained.outcome)!;
    expect(events[firstCall], 'the first call is not the one explained').toMatchObject({
      provider: first.provider,
      model: first.model,
      profileId: first.profileId,
      probe: explained.outcome === 'probe',
    });
    // a probe comes after every candidate was reported skipped, the probed one included
    const skippedExplained = explained.candidates.filter((c) => c.verdict === 'skip').map((c) => `${c.provider}/${c.model}`);
    expect(skippedByRun).toEqual(explained.outcome === 'probe' ? chain : skippedExplained);
  } finally {
    await store.close();
  }
}
