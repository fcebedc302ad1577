import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { ConfigError, createRunActor, openSqliteStore, type RunActorOptions } from '../../src/index.js';
import { fail, scriptedCall } from '../helpers/scripted-call.js';

const base = { sessionId: 's', messages: [{ role: 'user' as const, content: 'x' }], chain: ['a/m', 'b/m'] };
const run = async (o: Partial<RunActorOptions> & Pick<RunActorOptions, 'call'>) => {
  const actor = createRunActor({ ...base, store: openSqliteStore(), ...o });
  actor.start();
  return toPromise(actor);
};

describe("the host's hooks", () => {
  it("a host classifier overrides ours: its 'bad_request' stops the run after 1 call", async () => {
    const provider = scriptedCall({ a: [fail(new Error('house rule: refuse'))] });
    const out = await run({
      call: provider.call,
      classify: (err) =>
        err instanceof Error && err.message.startsWith('house rule')
          ? { reason: 'bad_request', scope: 'request', retryable: false, message: err.message }
          : undefined,
    });
    expect(provider.calls).toHaveLength(1);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error).toMatchObject({ code: 'REQUEST_REJECTED', reason: 'bad_request' });
  });

  it('a host classifier that throws is skipped: ours classifies and the run recovers', async () => {
    const provider = scriptedCall({ a: [fail({ status: 503, headers: {}, body: 'overloaded' })] });
    const out = await run({
      call: provider.call,
      classify: () => {
        throw new Error('classifier bug');
      },
    });
    expect(out.status).toBe('succeeded');
    expect(out.attempts[0]).toMatchObject({ reason: 'overloaded' });
  });

  it('a ConfigError thrown by call (the host wiring is wrong) fails the run with that error, not a retry', async () => {
    const provider = scriptedCall({ a: [fail(new ConfigError('models', 'no model for "a/m"'))] });
    const out = await run({ call: provider.call });
    expect(provider.calls).toHaveLength(1);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') {
      expect(out.error).toBeInstanceOf(ConfigError);
      expect(out.error).toMatchObject({ code: 'CONFIG_INVALID', field: 'models' });
    }
  });
});
