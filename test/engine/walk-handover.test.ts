import { describe, expect, it, vi } from 'vitest';
import { createRunActor, openSqliteStore, type CallRequest } from '../../src/index.js';
import { toPromise } from 'xstate';

// The policy walks the chain to decide an escalation after a failure; the step that then enters
// the candidate takes that walk rather than walking again (machines/run-steps.ts). Counted with a
// pass-through spy on the policy's walk; the runs themselves use the real policy and SQLite.
const walks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/policy/availability.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/policy/availability.js')>();
  return {
    ...orig,
    nextCandidate: (...args: Parameters<typeof orig.nextCandidate>) => {
      walks.count++;
      return orig.nextCandidate(...args);
    },
  };
});

const QUOTA = { status: 429, body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 } } };

describe('the walk of an escalation', () => {
  it.each([2, 5, 12])('a dead chain of %i walks the chain once to start and once per failure, and calls every candidate once', async (length) => {
    const called: string[] = [];
    const call = async (req: CallRequest): Promise<never> => {
      called.push(req.provider);
      throw QUOTA;
    };
    const chain = Array.from({ length }, (_, i) => `p${i}/m${i}`);
    walks.count = 0;
    const out = await toPromise(createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain, call, store: openSqliteStore() }).start());
    expect(out.status).toBe('failed');
    expect(called).toEqual(chain.map((c) => c.split('/')[0]));
    expect(walks.count).toBe(1 + length);
  });

  it('a walk handed over from another run is not taken: two runs failing in turn each call their own chain', async () => {
    const called: string[] = [];
    const call = async (req: CallRequest) => {
      called.push(`${req.sessionId}:${req.provider}`);
      if (req.provider.startsWith('dead')) throw QUOTA;
      return { content: 'ok' };
    };
    const store = openSqliteStore();
    const a = createRunActor({ sessionId: 'a', messages: [{ role: 'user', content: 'hi' }], chain: ['dead-a/m', 'live-a/m'], call, store }).start();
    const b = createRunActor({ sessionId: 'b', messages: [{ role: 'user', content: 'hi' }], chain: ['dead-b/m', 'live-b/m'], call, store }).start();
    const [oa, ob] = await Promise.all([toPromise(a), toPromise(b)]);
    expect([oa.status, ob.status]).toEqual(['succeeded', 'succeeded']);
    expect(called.filter((c) => c.startsWith('a:'))).toEqual(['a:dead-a', 'a:live-a']);
    expect(called.filter((c) => c.startsWith('b:'))).toEqual(['b:dead-b', 'b:live-b']);
  });
});
