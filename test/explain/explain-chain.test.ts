import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import { ConfigError, createRunActor, explainChain, openSqliteStore, type RunEvent } from '../../src/index.js';
import { chainArb } from '../arbitraries/chains.js';
import { cooldownsArb } from '../arbitraries/cooldowns.js';

const worlds = chainArb().chain((world) =>
  fc.record({
    world: fc.constant(world),
    cooldowns: cooldownsArb(world),
    whenAllCoolingDown: fc.constantFrom('probe' as const, 'fail' as const),
  }),
);

describe('explainChain', () => {
  test.prop({ w: worlds })(
    'property: explainChain names the call (or probe) a run makes first and the candidates it skips before it, or that it fails without a call',
    async ({ w }) => {
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
        const named = (verdicts: string[]) => explained.candidates.filter((c) => verdicts.includes(c.verdict)).map((c) => `${c.provider}/${c.model}`);

        if (explained.outcome === 'fail') {
          expect(firstCall).toBe(-1);
          expect(out.status === 'failed' && out.error.code).toBe('FALLBACK_EXHAUSTED');
          expect(skippedByRun).toEqual(chain);
          return;
        }
        const started = events[firstCall];
        const first = explained.candidates.find((c) => c.verdict === explained.outcome)!;
        expect(started).toMatchObject({ provider: first.provider, model: first.model, profileId: first.profileId, probe: explained.outcome === 'probe' });
        // a probe comes after every candidate was reported skipped, the probed one included
        expect(skippedByRun).toEqual(explained.outcome === 'probe' ? chain : named(['skip']));
      } finally {
        await store.close();
      }
    },
  );

  it('tells a candidate cooling down on its first profile, the profile it calls instead, and the fallbacks', async () => {
    const store = openSqliteStore();
    await store.putCooldown({ provider: 'openai', profileId: 'openai:main', until: 5_000, reason: 'quota_exhausted', failures: 1 });
    await store.putCooldown({ provider: 'groq', until: 9_000, reason: 'rate_limit', failures: 2 });
    const explained = await explainChain({
      store,
      chain: ['openai/gpt-5.5', 'groq/llama', 'deepseek/deepseek-v4-pro'],
      profiles: { openai: ['openai:main', 'openai:alt'] },
      now: 1_000,
    });
    await store.close();
    expect(explained.outcome).toBe('call');
    expect(explained.candidates.map((c) => [c.verdict, c.profileId])).toEqual([
      ['call', 'openai:alt'],
      ['fallback', undefined],
      ['fallback', undefined],
    ]);
    expect(explained.candidates[0]!.profiles).toEqual([
      { profileId: 'openai:main', usable: false, cooldown: { provider: 'openai', profileId: 'openai:main', until: 5_000, reason: 'quota_exhausted', failures: 1 } },
      { profileId: 'openai:alt', usable: true },
    ]);
    expect(explained.candidates[0]!.detail).toMatch(/passing over profile openai:main cooling down \(quota_exhausted\)/);
    expect(explained.candidates[1]).toMatchObject({ freeAt: 9_000 });
    expect(explained.candidates[1]!.detail).toMatch(/would be skipped too if reached now: provider groq cooling down \(rate_limit\)/);
    expect(explained.candidates[2]!.detail).toMatch(/called only if the calls before it fail/);
  });

  it('rejects a bad chain or store with a ConfigError naming the field, like createRunActor', async () => {
    const store = openSqliteStore();
    await expect(explainChain({ store, chain: ['no-slash'] })).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'chain[0]' });
    await expect(explainChain({ store, chain: ['a/b'], profiles: { z: ['z1'] } })).rejects.toBeInstanceOf(ConfigError);
    await expect(explainChain({ store: {} as never, chain: ['a/b'] })).rejects.toMatchObject({ field: 'store' });
    await expect(explainChain({ store, chain: ['a/b'], now: Number.NaN })).rejects.toMatchObject({ field: 'now' });
    await store.close();
  });
});
