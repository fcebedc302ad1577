import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore, type RunEvent } from '../../src/index.js';
import { httpError, scriptedCall } from '../helpers/scripted-call.js';

const CHAIN = [
  'openai-codex/gpt-5.5',
  'openai-codex/gpt-5.4-mini',
  'deepseek/deepseek-v4-pro',
  'deepseek/deepseek-v4-flash',
  'moonshot/kimi-k2.6',
];
const USAGE_LIMIT = httpError(429, {
  error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 },
});

function run(store: ReturnType<typeof openSqliteStore>, call: ReturnType<typeof scriptedCall>['call']) {
  const actor = createRunActor({
    sessionId: 'chat-42',
    messages: [{ role: 'user', content: 'hello' }],
    chain: CHAIN,
    profiles: { 'openai-codex': ['codex:main'] },
    call,
    store,
  });
  const events: RunEvent[] = [];
  actor.on('*', (e) => events.push(e));
  actor.start();
  return { done: toPromise(actor), events };
}

describe('the quota incident', () => {
  it('recovers on deepseek-v4-pro with exactly 2 calls, skipping gpt-5.4-mini without a call', async () => {
    const store = openSqliteStore();
    const provider = scriptedCall({ 'openai-codex': [USAGE_LIMIT] });
    const { done, events } = run(store, provider.call);
    const out = await done;

    expect(out.status).toBe('succeeded');
    if (out.status !== 'succeeded') return;
    expect(provider.served()).toEqual(['openai-codex/gpt-5.5@codex:main', 'deepseek/deepseek-v4-pro@deepseek:default']);
    expect(out.servedBy).toEqual({ provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'deepseek:default' });
    expect(out.attempts.map((a) => [a.model, a.outcome, a.reason, a.scope, a.status])).toEqual([
      ['gpt-5.5', 'failed', 'quota_exhausted', 'profile', 429],
      ['deepseek-v4-pro', 'succeeded', undefined, undefined, undefined],
    ]);

    const skip = events.find((e) => e.type === 'candidate.skipped');
    expect(skip).toMatchObject({
      type: 'candidate.skipped',
      provider: 'openai-codex',
      model: 'gpt-5.4-mini',
      reason: 'cooldown',
      blockedBy: { provider: 'openai-codex', profileId: 'codex:main', reason: 'quota_exhausted' },
    });
    expect(out.decisions.some((d) => d.kind === 'skip' && d.model === 'gpt-5.4-mini' && /cooling down/.test(d.detail))).toBe(true);
    expect((await store.listTurns('chat-42')).map((t) => [t.role, t.content])).toEqual([
      ['user', 'hello'],
      ['assistant', 'reply from deepseek/deepseek-v4-pro'],
    ]);
  });

  it('a second run with the same cooldown state makes 1 call', async () => {
    const store = openSqliteStore();
    const first = scriptedCall({ 'openai-codex': [USAGE_LIMIT] });
    await run(store, first.call).done;

    const second = scriptedCall({ 'openai-codex': [USAGE_LIMIT] });
    const { done, events } = run(store, second.call);
    const out = await done;
    expect(out.status).toBe('succeeded');
    expect(second.served()).toEqual(['deepseek/deepseek-v4-pro@deepseek:default']);
    expect(events.filter((e) => e.type === 'candidate.skipped').map((e) => (e as { model: string }).model)).toEqual([
      'gpt-5.5',
      'gpt-5.4-mini',
    ]);
    // the second run sent the first run's turns as history
    expect(second.calls[0]!.messages.map((m) => m.content)).toEqual(['hello', 'reply from deepseek/deepseek-v4-pro', 'hello']);
  });
});
