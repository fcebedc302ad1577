import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createEventBus, createRunActor, openSqliteStore, type RunEvent } from '../../src/index.js';
import { httpError, scriptedCall } from '../helpers/scripted-call.js';

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

describe('events and logs', () => {
  it('one bus receives the typed events of every run, in order', async () => {
    const bus = createEventBus();
    const seen: RunEvent[] = [];
    bus.on('model.escalated', (e) => seen.push(e));
    bus.on('run.succeeded', (e) => seen.push(e));
    bus.on('session.persisted', (e) => seen.push(e));
    const store = openSqliteStore();
    const provider = scriptedCall({ a: [httpError(503, 'unavailable')] });
    for (const sessionId of ['s1', 's2']) {
      const actor = createRunActor({ sessionId, messages: [{ role: 'user', content: 'x' }], chain: ['a/m', 'b/m'], call: provider.call, store, events: bus });
      actor.start();
      await toPromise(actor);
    }
    const runs = new Set(seen.map((e) => e.runId));
    expect(runs.size).toBe(2);
    expect(seen.filter((e) => e.type === 'run.succeeded')).toHaveLength(2);
    const firstRun = seen.filter((e) => e.runId === [...runs][0]).map((e) => e.type);
    expect(firstRun).toEqual(['model.escalated', 'session.persisted', 'run.succeeded']);
  });

  it('a throwing bus listener does not break the run', async () => {
    const bus = createEventBus();
    bus.on('attempt.started', () => {
      throw new Error('listener bug');
    });
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'x' }], chain: ['a/m'], call: scriptedCall().call, events: bus, store: openSqliteStore() });
    actor.start();
    expect((await toPromise(actor)).status).toBe('succeeded');
  });

  it('log lines read as sentences: each decision logs its detail at info, each failed call one info line with its message, no API key', async () => {
    const { logger, lines } = captureLogger();
    const key = 'sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX1234567890abcd';
    const provider = scriptedCall({
      a: [httpError(401, { error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error', code: 'invalid_api_key' } })],
    });
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'x' }], chain: ['a/m', 'a/n', 'b/m'], call: provider.call, logger, store: openSqliteStore() });
    actor.start();
    const out = await toPromise(actor);
    const info = lines.filter((l) => l.level === 30).map((l) => String(l.msg));
    const debug = lines.filter((l) => l.level === 20).map((l) => String(l.msg));
    // every decision that has an event (skip, escalate, persist here) is logged as its own sentence
    const logged = out.decisions.filter((d) => d.kind !== 'select').map((d) => d.detail);
    expect(logged).toEqual([
      expect.stringMatching(/^skipped a\/n without a call: profile a:default cooling down \(auth\)/),
      'escalating from a/m to b/m on b:default after auth',
      'appended 2 turn(s) to session s',
    ]);
    expect(info).toEqual(expect.arrayContaining(logged));
    const failedCall = info.filter((m) => m.startsWith('call 1 to a/m on a:default failed'));
    expect(failedCall).toEqual([expect.stringMatching(/failed after \d+ ms: auth \(HTTP 401\), scope profile: Incorrect API key provided: sk-\*\*\*$/)]);
    expect(info).toEqual(expect.arrayContaining([expect.stringMatching(/^cooling down profile a:default of a until .* after auth/), 'run served by b/m on b:default after 2 call(s)']));
    expect(debug).toEqual(['call 1 to a/m on a:default', 'call 2 to b/m on b:default', expect.stringMatching(/^call 2 to b\/m on b:default answered in \d+ ms$/)]);
    // no line is only an event name any more
    expect(lines.every((l) => !/^[a-z]+\.[a-z]+$/.test(String(l.msg)))).toBe(true);
    expect(lines.every((l) => l.runId === out.runId && l.sessionId === 's')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(key);
  });

  it('a failed run logs at warn with its code and message; every failed call is one info line', async () => {
    const { logger, lines } = captureLogger();
    const provider = scriptedCall({ a: [httpError(404, { error: { type: 'not_found_error', message: 'model: m' } })], b: [httpError(402, { error: { message: 'Insufficient Balance' } })] });
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'x' }], chain: ['a/m', 'b/m'], call: provider.call, logger, store: openSqliteStore() });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    const warn = lines.filter((l) => l.level === 40);
    expect(warn.map((l) => l.msg)).toEqual([expect.stringMatching(/^run failed with FALLBACK_EXHAUSTED after 2 call\(s\): No candidate could serve run/)]);
    const failedCalls = lines.filter((l) => l.level === 30 && String(l.msg).includes(' failed after '));
    expect(failedCalls.map((l) => String(l.msg).replace(/after \d+ ms/, 'after N ms'))).toEqual([
      expect.stringMatching(/^call 1 to a\/m on a:default failed after N ms: model_not_found \(HTTP 404\)/),
      expect.stringMatching(/^call 2 to b\/m on b:default failed after N ms: billing \(HTTP 402\), scope profile: Insufficient Balance$/),
    ]);
  });

  it("a host's bug is a warn line naming it", async () => {
    const { logger, lines } = captureLogger();
    const call = async (): Promise<{ content: string }> => {
      throw new TypeError("Cannot read properties of undefined (reading 'choices')");
    };
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'x' }], chain: ['a/m'], call, logger, store: openSqliteStore() });
    actor.start();
    await toPromise(actor);
    const warn = lines.filter((l) => l.level === 40).map((l) => String(l.msg));
    expect(warn[0]).toMatch(/^call 1 to a\/m on a:default failed after \d+ ms: host_error, scope model: call\(\) threw TypeError: Cannot read properties of undefined \(reading 'choices'\)/);
    expect(warn[1]).toMatch(/^run failed with FALLBACK_EXHAUSTED/);
  });

  it('passes XState inspection events to the inspect option (what the Stately inspector consumes)', async () => {
    const seen: { type: string; value?: unknown }[] = [];
    const actor = createRunActor({
      sessionId: 's',
      messages: [{ role: 'user', content: 'x' }],
      chain: ['a/m'],
      call: scriptedCall().call,
      store: openSqliteStore(),
      inspect: (e) => seen.push({ type: e.type, value: e.type === '@xstate.snapshot' ? (e.snapshot as { value?: unknown }).value : undefined }),
    });
    actor.start();
    await toPromise(actor);
    expect(seen.some((e) => e.type === '@xstate.actor')).toBe(true);
    const states = seen.filter((e) => e.type === '@xstate.snapshot' && typeof e.value === 'string').map((e) => e.value);
    expect(states).toEqual(expect.arrayContaining(['opening', 'attempting', 'lockedPersist', 'succeeded']));
  });
});
