import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { parseProfiles } from '../../src/cli/commands/health.js';
import { exitCodeOf } from '../../src/cli/exit-codes.js';
import { clean, table } from '../../src/cli/output/text.js';
import { isoFrom, span } from '../../src/cli/output/time.js';
import { parseBefore } from '../../src/cli/parse-before.js';
import { runTimeline } from '../../src/cli/run-timeline.js';
import { ConfigError, createRunActor, openSqliteStore, StoreError } from '../../src/index.js';
import type { RunRecord } from '../../src/index.js';
import { httpError, reply, scriptedCall } from '../helpers/scripted-call.js';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);

describe('parseBefore', () => {
  it.each([
    ['7d', NOW - 7 * 86_400_000],
    ['12h', NOW - 12 * 3_600_000],
    ['30m', NOW - 30 * 60_000],
    ['45s', NOW - 45_000],
    ['2025-01-31', Date.UTC(2025, 0, 31)],
    ['2025-01-31T12:30:00Z', Date.UTC(2025, 0, 31, 12, 30)],
  ])('%s', (text, expected) => {
    expect(parseBefore(text, NOW)).toBe(expected);
  });

  it.each(['', '7', 'd', '-7d', '7 days', '1w', 'yesterday', '2025-13-45'])('refuses %j with a ConfigError naming --before', (text) => {
    expect(() => parseBefore(text, NOW)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: '--before' }));
  });
});

describe('parseProfiles', () => {
  it('reads provider=ids from repeated values and ;-separated ones', () => {
    expect(parseProfiles(['openai=a,b;groq=g', ' deepseek = d '])).toEqual({ openai: ['a', 'b'], groq: ['g'], deepseek: ['d'] });
    expect(parseProfiles([])).toEqual({});
  });

  it('takes providers named like Object properties as providers', () => {
    const out = parseProfiles(['constructor=c1;__proto__=p1']);
    expect(Object.keys(out)).toEqual(['constructor', '__proto__']);
    expect([out['constructor'], Object.getOwnPropertyDescriptor(out, '__proto__')?.value]).toEqual([['c1'], ['p1']]);
  });

  it.each([['nobody'], ['=x'], ['a=x', 'a=y']])('refuses %j', (...specs) => {
    expect(() => parseProfiles(specs)).toThrow(ConfigError);
  });
});

describe('terminal text', () => {
  it('escapes control characters from the store, so stored text cannot drive the terminal', () => {
    expect(clean('a\nb\tc\u001b[31mred\u0007\u009b')).toBe('a\\nb\\tc\\x1b[31mred\\x07\\x9b');
  });

  it('pads table columns to the widest cell, the last one unpadded', () => {
    expect(table(['A', 'BB'], [['long cell', 'x'], ['y', '\u001b']])).toEqual(['A          BB', 'long cell  x', 'y          \\x1b']);
  });

  it('says how far a time is from now', () => {
    expect(span(3_600_000 + 2 * 60_000 + 5_000)).toBe('1h 2m');
    expect(span(59_000)).toBe('59s');
    expect(span(250)).toBe('250ms');
    expect(isoFrom(NOW + 90_000, NOW)).toBe('2025-06-15T12:01:30.000Z (in 1m 30s)');
    expect(isoFrom(NOW - 90_000, NOW)).toBe('2025-06-15T11:58:30.000Z (1m 30s ago)');
  });
});

describe('exit codes', () => {
  it('2 for a bad value or a store that cannot be used, 1 for any other failure', () => {
    expect(exitCodeOf(new ConfigError('--before', 'bad'))).toBe(2);
    expect(exitCodeOf(new StoreError('STORE_SCHEMA_TOO_NEW', 'x.db', 'newer'))).toBe(2);
    expect(exitCodeOf(new StoreError('STORE_CORRUPT', 'x.db', 'damaged'))).toBe(2);
    expect(exitCodeOf(new StoreError('STORE_BUSY', 'x.db', 'locked'))).toBe(1);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
  });
});

describe('runTimeline', () => {
  it('places every call after the decision that led to it, even when they share a millisecond', () => {
    const at = 1_000;
    const run: RunRecord = {
      runId: 'r',
      sessionId: 's',
      status: 'failed',
      startedAt: at,
      finishedAt: at,
      errorCode: 'FALLBACK_EXHAUSTED',
      errorMessage: 'every candidate failed',
      attempts: [
        { n: 1, provider: 'p', model: 'm', profileId: 'k1', outcome: 'failed', reason: 'auth', scope: 'profile', status: 401, message: 'bad key', startedAt: at, durationMs: 0 },
        { n: 2, provider: 'p', model: 'm', profileId: 'k2', outcome: 'failed', reason: 'auth', scope: 'profile', status: 401, message: 'bad key', startedAt: at, durationMs: 0 },
      ],
      decisions: [
        { kind: 'select', at, reason: 'first_usable', detail: 'starting on p/m with k1' },
        { kind: 'rotate', at, reason: 'auth', detail: 'rotating p/m from k1 to k2 after auth' },
        { kind: 'fail', at, reason: 'exhausted', detail: 'no candidate left to call' },
      ],
    };
    expect(runTimeline(run)).toEqual([
      '+    0 ms  starting on p/m with k1',
      '+    0 ms  call 1  p/m as k1',
      '+    0 ms    ✗ 401 auth [scope profile] bad key',
      '+    0 ms  rotating p/m from k1 to k2 after auth',
      '+    0 ms  call 2  p/m as k2',
      '+    0 ms    ✗ 401 auth [scope profile] bad key',
      '+    0 ms  no candidate left to call',
      '+    0 ms  ✗ run failed after 2 call(s): FALLBACK_EXHAUSTED',
    ]);
  });

  it('tells a real rotation as the engine decided it', async () => {
    const store = openSqliteStore();
    const provider = scriptedCall({ 'openai/gpt@openai:main': [httpError(401, { error: { message: 'Incorrect API key provided' } })], 'openai/gpt@openai:alt': [reply('hi')] });
    const actor = createRunActor({ runId: 'rot', sessionId: 's', messages: [{ role: 'user', content: 'hello' }], chain: ['openai/gpt'], profiles: { openai: ['openai:main', 'openai:alt'] }, call: provider.call, store });
    actor.start();
    await toPromise(actor);
    const run = (await store.getRun('rot'))!;
    await store.close();
    expect(runTimeline(run).map((l) => l.replace(/^\+ *\d+ ms {2}/, '').replace(/\d+ ms$/, 'N ms'))).toEqual([
      'starting on openai/gpt with openai:main',
      'call 1  openai/gpt as openai:main',
      '  ✗ 401 auth [scope profile] Incorrect API key provided',
      'rotating openai/gpt from openai:main to openai:alt after auth',
      'call 2  openai/gpt as openai:alt',
      '  ✓ answered in N ms',
      'appended 2 turn(s) to session s',
      '✓ run served by openai/gpt with 2 call(s)',
    ]);
  });
});
