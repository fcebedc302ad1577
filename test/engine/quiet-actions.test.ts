import { describe, expect, it } from 'vitest';
import { getNextSnapshot, SimulatedClock, toPromise } from 'xstate';
import { createRunActor, openSqliteStore } from '../../src/index.js';
import { httpError, scriptedCall, type Outcome } from '../helpers/scripted-call.js';

// A run made without `inspect` takes quiet steps and effects (src/create-run-actor.ts): their work is
// done in their resolve instead of XState's execute. What a host sees must not tell the two apart.

interface Seen {
  log: string[];
  output: unknown;
  inspected: string[];
}

async function runOnce(scripts: Record<string, Outcome[]>, chain: string[], inspect: boolean, abortAfterCalls?: number): Promise<Seen> {
  const log: string[] = [];
  const inspected: string[] = [];
  const scripted = scriptedCall(scripts);
  const store = openSqliteStore();
  const actor = createRunActor({
    runId: 'r1',
    sessionId: 's',
    messages: [{ role: 'user', content: 'hi' }],
    chain,
    call: (req) => {
      // the call's start among the events: an effect started earlier or later than its step's events shows here
      log.push(`call ${req.provider}/${req.model} in ${String(actor.getSnapshot().value)}`);
      if (abortAfterCalls !== undefined && scripted.calls.length + 1 >= abortAfterCalls) queueMicrotask(() => actor.send({ type: 'run.abort', reason: 'stop' }));
      return scripted.call(req);
    },
    store,
    // the same times in both runs: outputs and events compare whole
    clock: new SimulatedClock(),
    ...(inspect ? { inspect: (e: { type: string; action?: { type: string } }) => void (e.type === '@xstate.action' && inspected.push(e.action!.type)) } : {}),
  });
  actor.on('*', (e) => log.push(`${JSON.stringify(e)} in ${String(actor.getSnapshot().value)}`));
  actor.subscribe((snap) => log.push(`state ${String(snap.value)}`));
  actor.start();
  const output = await toPromise(actor);
  const strip = (o: unknown): unknown => JSON.parse(JSON.stringify(o, (k, v) => (k === 'stack' ? undefined : v)));
  return { log, output: strip(output), inspected };
}

const cases: [string, Record<string, Outcome[]>, string[], number?][] = [
  ['a success', {}, ['a/m', 'b/m']],
  ['one failure, then the next candidate', { a: [httpError(503, { error: { message: 'overloaded' } })] }, ['a/m', 'b/m']],
  ['every candidate fails', { a: [httpError(401, { error: { message: 'bad key' } })], b: [httpError(400, { error: { message: 'bad request' } })] }, ['a/m', 'b/m']],
  ['an abort during the call', { a: [{ hang: true }] }, ['a/m', 'b/m'], 1],
];

describe('runs with and without an inspector', () => {
  it.each(cases)('%s: the same events, states, calls and output, in the same order', async (_name, scripts, chain, abortAfter) => {
    const quiet = await runOnce(scripts, chain, false, abortAfter);
    const inspected = await runOnce(scripts, chain, true, abortAfter);
    expect(quiet.log).toEqual(inspected.log);
    expect(quiet.output).toEqual(inspected.output);
    expect(quiet.log.length).toBeGreaterThan(3);
    // the inspector still shows every step and effect as an action
    expect(inspected.inspected).toContain('openSession');
    expect(inspected.inspected).toContain('llm-failover.step');
    expect(inspected.inspected.filter((t) => t === 'callProvider').length).toBeGreaterThan(0);
  });
});

describe('XState pure transitions on a quiet run', () => {
  it('getNextSnapshot into attempting resolves the call effect without starting it (no call, no throw)', async () => {
    const calls: string[] = [];
    const store = openSqliteStore();
    const actor = createRunActor({
      runId: 'r-pure',
      sessionId: 's-pure',
      messages: [{ role: 'user', content: 'hi' }],
      chain: ['openai/gpt-4o'],
      call: (req) => {
        calls.push(req.model);
        return { message: { role: 'assistant', content: 'ok' } } as never;
      },
      store,
      clock: new SimulatedClock(),
    });
    // the run's logic, as a host holding the actor has it; the snapshot before the open answered
    const opening = actor.getSnapshot();
    expect(opening.value).toBe('opening');
    const next = getNextSnapshot(actor.logic, opening, { type: 'openSession.done', output: { history: [], cooldowns: [], at: 0 } } as never);
    expect(next.value).toBe('attempting');
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual([]);
    await store.close();
  });
});
