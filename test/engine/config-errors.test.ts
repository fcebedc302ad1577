import { describe, expect, it } from 'vitest';
import { ConfigError, createRunActor, type RunActorOptions } from '../../src/index.js';

const valid: RunActorOptions = {
  sessionId: 's',
  messages: [{ role: 'user', content: 'hi' }],
  chain: ['openai/gpt-x', 'deepseek/v4'],
  call: async () => ({ content: 'ok' }),
};

const cases: [string, Record<string, unknown>, string][] = [
  ['an empty chain', { chain: [] }, 'chain'],
  ['a chain entry without provider/model', { chain: ['gpt-x'] }, 'chain[0]'],
  ['a chain entry with an empty model', { chain: ['openai/gpt-x', 'deepseek/'] }, 'chain[1]'],
  ['a duplicate candidate', { chain: ['openai/gpt-x', 'openai/gpt-x'] }, 'chain[1]'],
  ['an empty profile list', { profiles: { openai: [] } }, 'profiles.openai'],
  ['a duplicate profile', { profiles: { openai: ['k1', 'k1'] } }, 'profiles.openai'],
  ['profiles of a provider not in the chain', { profiles: { anthropic: ['k1'] } }, 'profiles.anthropic'],
  ['a missing call', { call: undefined }, 'call'],
  ['a negative limit', { policy: { maxRetryWaitMs: -1 } }, 'policy.maxRetryWaitMs'],
  ['a zero attempt budget', { policy: { maxAttemptsPerCandidate: 0 } }, 'policy.maxAttemptsPerCandidate'],
  ['a fractional attempt budget', { policy: { maxAttemptsPerCandidate: 1.5 } }, 'policy.maxAttemptsPerCandidate'],
  ['an unknown policy field', { policy: { maxRetries: 3 } }, 'policy.maxRetries'],
  ['a negative cooldown', { policy: { cooldownMs: { quota_exhausted: -5 } } }, 'policy.cooldownMs.quota_exhausted'],
  ['an unknown choice', { policy: { whenAllCoolingDown: 'sleep' } }, 'policy.whenAllCoolingDown'],
  ['an empty session id', { sessionId: '' }, 'sessionId'],
  ['no messages', { messages: [] }, 'messages'],
  ['a message with a bad role', { messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
  ['a store without the store methods', { store: {} }, 'store'],
];

describe('bad options throw ConfigError naming the field', () => {
  it.each(cases)('%s', (_name, patch, field) => {
    let thrown: unknown;
    try {
      createRunActor({ ...valid, ...patch } as RunActorOptions);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID', field });
    expect((thrown as Error).message).toContain(`\`${field}\``);
  });

  it('valid options create an actor', () => {
    expect(createRunActor(valid).getSnapshot().status).toBe('active');
  });
});
