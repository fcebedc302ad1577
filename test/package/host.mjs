// A host that uses the built package exactly as an embedding gateway would.
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore, classifyError, FallbackExhaustedError } from 'llm-failover';

const store = openSqliteStore({ path: ':memory:' });
const calls = [];
const actor = createRunActor({
  sessionId: 'chat-42',
  messages: [{ role: 'user', content: 'hello' }],
  chain: ['openai-codex/gpt-5.5', 'openai-codex/gpt-5.4-mini', 'deepseek/deepseek-v4-pro'],
  profiles: { 'openai-codex': ['codex:main'] },
  store,
  call: async (req) => {
    calls.push(`${req.provider}/${req.model}`);
    if (req.provider === 'openai-codex') {
      throw { status: 429, headers: {}, body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 } } };
    }
    return { content: 'served' };
  },
});
actor.start();
const out = await toPromise(actor);
console.log(
  JSON.stringify({
    status: out.status,
    servedBy: out.servedBy,
    calls,
    turns: await store.listTurns('chat-42'),
    classified: classifyError({ status: 503, headers: {}, body: 'overloaded' }).reason,
    errorClass: typeof FallbackExhaustedError,
  }),
);
