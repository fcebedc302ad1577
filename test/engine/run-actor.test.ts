import { getEventListeners } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { toPromise, waitFor } from 'xstate';
import { ConfigError, createRunActor, openSqliteStore, type OpenRunArgs, type RunActorOptions } from '../../src/index.js';
import { scriptedCall } from '../helpers/scripted-call.js';

const base = { sessionId: 's1', messages: [{ role: 'user' as const, content: 'hi' }], chain: ['a/m', 'b/m'] };
const stores: ReturnType<typeof openSqliteStore>[] = [];
const freshStore = () => {
  const store = openSqliteStore();
  stores.push(store);
  return store;
};
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

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

// Long enough for XState's reportUnhandledError (a setTimeout 0) to have fired, had it been used.
const timersRan = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('what createRunActor hands the host', () => {
  it('the output carries the runId, the one store.getRun knows', async () => {
    const store = freshStore();
    const actor = createRunActor({ ...base, call: scriptedCall().call, store });
    actor.start();
    const out = await toPromise(actor);
    expect(out.runId).toMatch(/[0-9a-f-]{36}/);
    expect(await store.getRun(out.runId)).toMatchObject({ runId: out.runId, status: 'succeeded' });
  });

  it('toPromise(actor) after actor.stop() mid-run gives a failed RUN_ABORTED output, and the session is let go', async () => {
    const store = freshStore();
    const provider = scriptedCall({ a: [{ hang: true }] });
    const actor = createRunActor({ ...base, call: provider.call, store, policy: { lockWaitMs: 0 } });
    actor.start();
    await waitFor(actor, (s) => s.matches('attempting') && provider.calls.length === 1);
    actor.stop();
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error.code).toBe('RUN_ABORTED');
    expect(out.error.message).toContain('actor.stop()');
    expect(provider.calls[0]!.signal.aborted).toBe(true);
    expect(await store.getRun(out.runId)).toMatchObject({ status: 'aborted', errorCode: 'RUN_ABORTED' });
    // the lease is free at once: a run that may not wait at all takes the session
    const next = createRunActor({ ...base, call: scriptedCall().call, store, policy: { lockWaitMs: 0 } });
    next.start();
    expect((await toPromise(next)).status).toBe('succeeded');
  });

  it('toPromise(actor) after a stop() before start() gives RUN_ABORTED without touching the store', async () => {
    const store = freshStore();
    const provider = scriptedCall();
    const actor = createRunActor({ ...base, call: provider.call, store, runId: 'never-started' });
    actor.stop();
    const out = await toPromise(actor);
    expect(out).toMatchObject({ status: 'failed', runId: 'never-started', error: { code: 'RUN_ABORTED' } });
    expect(provider.calls).toHaveLength(0);
    expect(await store.getRun('never-started')).toBeUndefined();
    actor.start(); // a run runs once
    expect(provider.calls).toHaveLength(0);
  });

  it('stop() after the run ended changes nothing', async () => {
    const actor = createRunActor({ ...base, call: scriptedCall().call, store: freshStore() });
    actor.start();
    const out = await toPromise(actor);
    actor.stop();
    expect(await toPromise(actor)).toBe(out);
    expect(out.status).toBe('succeeded');
  });

  it('an AbortSignal gets its listener at start(), not at creation, and loses it when the run ends', async () => {
    const controller = new AbortController();
    const store = freshStore();
    const created = Array.from({ length: 1000 }, (_, i) =>
      createRunActor({ ...base, sessionId: `s${i}`, call: scriptedCall().call, store, signal: controller.signal }),
    );
    expect(created).toHaveLength(1000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const actor = created[0]!;
    actor.start();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await toPromise(actor);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an already aborted signal ends the run at start() without opening the session', async () => {
    const store = freshStore();
    const actor = createRunActor({ ...base, call: scriptedCall().call, store, signal: AbortSignal.abort(), runId: 'aborted-early' });
    actor.start();
    expect(await toPromise(actor)).toMatchObject({ status: 'failed', error: { code: 'RUN_ABORTED' } });
    expect(await store.getRun('aborted-early')).toBeUndefined();
  });

  it('send() takes run.abort and refuses the engine\'s internal commands with a ConfigError', async () => {
    const provider = scriptedCall({ a: [{ hang: true }] });
    const actor = createRunActor({ ...base, call: provider.call, store: freshStore() });
    actor.start();
    await waitFor(actor, (s) => s.matches('attempting'));
    const internal = { type: 'reply.delta', text: 'injected' } as unknown as Parameters<typeof actor.send>[0];
    expect(() => actor.send(internal)).toThrow(ConfigError);
    actor.send({ type: 'run.abort', reason: 'user left' });
    const out = await toPromise(actor);
    expect(out.status === 'failed' && out.error.message).toContain('user left');
  });
});

describe("the signal of openRun's arguments", () => {
  /** Runs `fn` with AbortController counting what it makes (EffectCut makes its controller through the global). */
  async function countingControllers<T>(fn: () => Promise<T>): Promise<{ made: number; result: T }> {
    const Original = globalThis.AbortController;
    let made = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        made++;
      }
    };
    try {
      return { result: await fn(), made };
    } finally {
      globalThis.AbortController = Original;
    }
  }

  it('is made only when read: a run whose store never waits and whose host never reads req.signal makes no AbortController', async () => {
    const store = freshStore();
    const seen: OpenRunArgs[] = [];
    const watched = { ...store, openRun: (a: OpenRunArgs) => (seen.push(a), store.openRun(a)) };
    const { made, result } = await countingControllers(async () => {
      const actor = createRunActor({ ...base, call: scriptedCall().call, store: watched });
      actor.start();
      return toPromise(actor);
    });
    expect(result.status).toBe('succeeded');
    expect(made).toBe(0);
    // still an own enumerable AbortSignal for a store that reads it
    expect(Object.keys(seen[0]!)).toContain('signal');
    expect(seen[0]!.signal).toBeInstanceOf(AbortSignal);
  });

  it('a run stopped while its store waits for the busy session aborts the signal the store listens to', async () => {
    const store = freshStore();
    const seen: OpenRunArgs[] = [];
    const watched = { ...store, openRun: (a: OpenRunArgs) => (seen.push(a), store.openRun(a)) };
    const holder = createRunActor({ ...base, call: scriptedCall({ a: [{ hang: true }] }).call, store, policy: { lockWaitMs: 0 } });
    holder.start();
    await waitFor(holder, (s) => s.matches('attempting'));
    const waiter = createRunActor({ ...base, call: scriptedCall().call, store: watched, policy: { lockWaitMs: 60_000 } });
    waiter.start();
    await timersRan();
    expect(seen).toHaveLength(1);
    waiter.send({ type: 'run.abort', reason: 'user left' });
    const out = await toPromise(waiter);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error.code).toBe('RUN_ABORTED');
    expect(seen[0]!.signal!.aborted).toBe(true);
    holder.stop();
  });
});

describe('a host listener that throws', () => {
  const run = (o: Partial<RunActorOptions>) => createRunActor({ ...base, call: scriptedCall().call, store: freshStore(), ...o });

  it('in actor.on after the commit is logged and ignored: the process does not crash', async () => {
    const { logger, lines } = captureLogger();
    const actor = run({ logger });
    actor.on('run.succeeded', () => {
      throw new Error('listener bug after commit');
    });
    actor.start();
    expect((await toPromise(actor)).status).toBe('succeeded');
    await timersRan();
    const reported = lines.filter((l) => l.level === 50 && String(l.msg).includes('listener bug after commit'));
    expect(reported).toHaveLength(1);
    expect(reported[0]!.msg).toContain("actor.on('run.succeeded')");
  });

  it("in actor.on('*') mid-run does not stop the run", async () => {
    const { logger, lines } = captureLogger();
    const actor = run({ logger });
    let seen = 0;
    actor.on('*', () => {
      seen++;
      throw new Error('wildcard bug');
    });
    actor.start();
    expect((await toPromise(actor)).status).toBe('succeeded');
    await timersRan();
    expect(seen).toBeGreaterThan(2);
    expect(lines.filter((l) => String(l.msg).includes('wildcard bug'))).toHaveLength(seen);
  });

  it('in an actor.subscribe observer is logged and ignored, and toPromise still resolves', async () => {
    const { logger, lines } = captureLogger();
    const actor = run({ logger });
    actor.subscribe(() => {
      throw new Error('observer bug');
    });
    actor.start();
    expect((await toPromise(actor)).status).toBe('succeeded');
    await timersRan();
    expect(lines.some((l) => l.level === 50 && String(l.msg).includes('observer bug'))).toBe(true);
  });

  it('in an observer object: each handler called on the observer, complete without arguments, each throw reported', async () => {
    const { logger, lines } = captureLogger();
    const actor = run({ logger });
    const calls: { handler: string; self: unknown; args: number }[] = [];
    const observer = {
      next(this: unknown, ...args: unknown[]) {
        calls.push({ handler: 'next', self: this, args: args.length });
        throw new Error('next bug');
      },
      complete(this: unknown, ...args: unknown[]) {
        calls.push({ handler: 'complete', self: this, args: args.length });
        throw new Error('complete bug');
      },
    };
    actor.subscribe(observer);
    // handlers are the ones given when subscribing, as bound copies were
    observer.complete = () => {
      throw new Error('replaced after subscribing');
    };
    actor.start();
    expect((await toPromise(actor)).status).toBe('succeeded');
    await timersRan();
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((c) => c.self === observer)).toBe(true);
    expect(calls.filter((c) => c.handler === 'next').every((c) => c.args === 1)).toBe(true);
    expect(calls.filter((c) => c.handler === 'complete')).toEqual([{ handler: 'complete', self: observer, args: 0 }]);
    const errors = lines.filter((l) => l.level === 50).map((l) => String(l.msg));
    expect(errors.filter((m) => m.includes('next bug') && m.includes('actor.subscribe observer (next)'))).toHaveLength(calls.length - 1);
    expect(errors.filter((m) => m.includes('complete bug') && m.includes('actor.subscribe observer (complete)'))).toHaveLength(1);
    expect(errors.some((m) => m.includes('replaced after subscribing'))).toBe(false);
  });

  it('without a logger, is reported as a process warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const actor = run({});
      actor.on('session.persisted', () => {
        throw new Error('quiet bug');
      });
      actor.start();
      await toPromise(actor);
      await timersRan();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('quiet bug')]);
    expect((warnings[0] as Error & { code?: string }).code).toBe('LLM_FAILOVER_LISTENER_THREW');
  });
});
