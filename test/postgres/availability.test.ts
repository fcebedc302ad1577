import { describe, expect, it } from 'vitest';
import { probePostgres } from './availability.js';

// The rule every PostgreSQL suite follows, checked without a server: a local URL on a port
// nothing listens on stands for a machine without PostgreSQL.
const NOWHERE = 'postgres://postgres@127.0.0.1:1/test';

describe('whether the PostgreSQL suites run', () => {
  it('no URL given, nothing local, not CI: skipped, with one line saying how to enable them', async () => {
    const answer = await probePostgres({}, NOWHERE);
    expect(answer).toEqual({ skip: expect.stringMatching(/^PostgreSQL suites skipped: nothing listens on 127\.0\.0\.1:1; .*LLM_FAILOVER_PG_URL=/) });
    expect('skip' in answer && answer.skip.includes('\n')).toBe(false);
  });

  it('under CI=true, nothing reachable is a failure, not a skip', async () => {
    expect(await probePostgres({ CI: 'true' }, NOWHERE)).toEqual({ failure: expect.stringContaining('CI=true') });
  });

  it('a URL given but unreachable is a failure, its password never shown', async () => {
    const answer = await probePostgres({ LLM_FAILOVER_PG_URL: 'postgres://app:pw-secret@127.0.0.1:1/test' }, NOWHERE);
    expect(answer).toEqual({ failure: expect.stringContaining('did not answer') });
    expect(JSON.stringify(answer)).not.toContain('pw-secret');
  });
});
