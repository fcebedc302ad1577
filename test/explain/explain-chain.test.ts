import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ConfigError, explainChain, openSqliteStore } from '../../src/index.js';
import { EXPLAINS_FIRST_STEP, explainsFirstStep, explainWorlds } from '../property/properties/explains-first-step.js';

describe('explainChain', () => {
  test.prop({ w: explainWorlds })(EXPLAINS_FIRST_STEP, ({ w }) => explainsFirstStep(w));

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
    // like createRunActor: one map of profiles for every chain of a host, other providers ignored
    await expect(explainChain({ store, chain: ['a/b'], profiles: { z: ['z1'] } })).resolves.toMatchObject({ outcome: 'call' });
    await expect(explainChain({ store, chain: ['a/b'], profiles: { a: [] } })).rejects.toBeInstanceOf(ConfigError);
    await expect(explainChain({ store: {} as never, chain: ['a/b'] })).rejects.toMatchObject({ field: 'store' });
    await expect(explainChain({ store, chain: ['a/b'], now: Number.NaN })).rejects.toMatchObject({ field: 'now' });
    await store.close();
  });
});
