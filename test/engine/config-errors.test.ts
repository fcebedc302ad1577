import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { ConfigError, createRunActor, openSqliteStore, type RunActorOptions } from '../../src/index.js';
import { scriptedCall } from '../helpers/scripted-call.js';

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
  ['an empty profile list of a provider not in the chain', { profiles: { anthropic: [] } }, 'profiles.anthropic'],
  ['an unknown top-level option', { retries: 3 }, 'retries'],
  ['a misspelt top-level option', { sesionId: 's' }, 'sesionId'],
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

  it('a misspelt option is named with the option it resembles', () => {
    expect(() => createRunActor({ ...valid, sesionId: 's' } as RunActorOptions)).toThrow(/`sesionId`.*did you mean `sessionId`/);
    expect(() => createRunActor({ ...valid, Stream: true } as RunActorOptions)).toThrow(/did you mean `stream`/);
  });
});

describe('one profile map for every chain of a host', () => {
  it('profiles of providers outside this chain are accepted and unused', async () => {
    const provider = scriptedCall();
    const actor = createRunActor({
      ...valid,
      chain: ['deepseek/v4'],
      profiles: { openai: ['openai:main', 'openai:alt'], deepseek: ['deepseek:team'], anthropic: ['claude:main'] },
      call: provider.call,
      store: openSqliteStore(),
    });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    expect(provider.served()).toEqual(['deepseek/v4@deepseek:team']);
  });

  it('a provider named like an Object property ("constructor", "toString") gets its default profile', async () => {
    const served: string[] = [];
    const call: RunActorOptions['call'] = async (req) => (served.push(`${req.provider}/${req.model}@${req.profileId}`), { content: 'ok' });
    for (const profiles of [undefined, { openai: ['openai:main'] }]) {
      const actor = createRunActor({ ...valid, chain: ['constructor/m1', 'toString/m2'], ...(profiles ? { profiles } : {}), call, store: openSqliteStore() });
      actor.start();
      const out = await toPromise(actor);
      expect(out.status).toBe('succeeded');
    }
    expect(served).toEqual(['constructor/m1@constructor:default', 'constructor/m1@constructor:default']);
  });
});
