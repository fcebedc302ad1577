import { toPromise } from 'xstate';
import { createRunActor, type RunActorOptions, type RunOutput, type SessionStore } from '../../src/index.js';
import type { CallFn } from '../../src/types.js';

/** One run through the engine on `store`, with `call` as its only provider. */
export async function runOnce(store: SessionStore, runId: string, sessionId: string, call: CallFn, policy?: RunActorOptions['policy']): Promise<RunOutput> {
  const actor = createRunActor({
    runId,
    sessionId,
    messages: [{ role: 'user', content: `question of ${runId}` }],
    chain: ['deepseek/deepseek-v4-pro'],
    profiles: { deepseek: ['ds:main'] },
    call,
    store,
    ...(policy ? { policy } : {}),
  });
  actor.start();
  return toPromise(actor);
}
