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

  it('pino logs each decision with its reason at info and each attempt at debug, and no API key', async () => {
    const { logger, lines } = captureLogger();
    const key = 'sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX1234567890abcd';
    const provider = scriptedCall({
      a: [httpError(401, { error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error', code: 'invalid_api_key' } })],
    });
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'x' }], chain: ['a/m', 'b/m'], call: provider.call, logger, store: openSqliteStore() });
    actor.start();
    await toPromise(actor);
    const info = lines.filter((l) => l.level === 30).map((l) => l.msg);
    const debug = lines.filter((l) => l.level === 20).map((l) => l.msg);
    expect(info).toEqual(expect.arrayContaining(['cooldown.set', 'model.escalated', 'session.persisted', 'run.succeeded']));
    expect(debug).toEqual(expect.arrayContaining(['attempt.started', 'attempt.failed', 'attempt.succeeded']));
    const escalated = lines.find((l) => l.msg === 'model.escalated') as { event: { reason: string } };
    expect(escalated.event.reason).toBe('auth');
    expect(lines.every((l) => l.runId !== undefined)).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(key);
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
