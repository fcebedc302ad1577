import { describe, expect, it } from 'vitest';
import { assign, createActor, setup, SimulatedClock, toPromise } from 'xstate';
import { cutEffectAction, effectAction, type EffectRun } from '../../src/effect-action.js';
import { EffectCut } from '../../src/effect-cut.js';
import { createRunActor, openSqliteStore, type CallRequest } from '../../src/index.js';
import { nextDue } from '../property/harness/sim-driver.js';

// An effect's abort signal is made only when read (src/effect-cut.ts): whenever it is read,
// before or after the cut, it must say what a signal made at the start would say.

const tick = () => new Promise((r) => setImmediate(r));

describe('EffectCut', () => {
  it('a signal read before the cut aborts with it', () => {
    const cut = new EffectCut();
    const signal = cut.signal;
    expect(signal.aborted).toBe(false);
    expect(cut.aborted).toBe(false);
    let heard = 0;
    signal.addEventListener('abort', () => heard++);
    cut.cut();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect(heard).toBe(1);
    expect(cut.signal).toBe(signal);
  });

  it('a signal first read after the cut is already aborted', () => {
    const cut = new EffectCut();
    cut.cut();
    expect(cut.aborted).toBe(true);
    expect(cut.signal.aborted).toBe(true);
    expect(cut.signal).toBe(cut.signal);
  });
});

describe('effectAction: an effect started by an entry action, answered by an event', () => {
  type Input = { n: number };
  // the run an effect serves: a plain holder, as RunEffects is for the engine
  function harness(start: (input: Input, cut: EffectCut) => PromiseLike<unknown>, timeoutMs?: number) {
    const clock = new SimulatedClock();
    const run: EffectRun & { seen: string[] } = { effectCut: undefined, effectTimer: undefined, clock, seen: [], send: (event) => actor.send(event as never) };
    const runOf = () => run;
    const machine = setup({
      types: { events: {} as { type: 'leave' } | { type: 'claimProbe.done'; output: unknown } | { type: 'claimProbe.error'; error: unknown } | { type: 'claimProbe.timeout' } },
      actions: {
        claimProbe: effectAction('claimProbe', runOf, (_run, input, cut) => {
          run.seen.push(String(actor.getSnapshot().value));
          return start(input as unknown as Input, cut) as never;
        }),
        cutEffect: cutEffectAction(runOf),
      },
    }).createMachine({
      context: { output: undefined as unknown, error: undefined as unknown },
      initial: 'waiting',
      states: {
        waiting: {
          entry: { type: 'claimProbe', params: () => ({ n: 21, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }) as never },
          exit: 'cutEffect',
          on: {
            'claimProbe.timeout': 'timedOut',
            'claimProbe.done': { target: 'answered', actions: assign({ output: ({ event }) => event.output }) },
            'claimProbe.error': { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
            leave: 'left',
          },
        },
        answered: { on: { leave: 'left' } },
        failed: {},
        left: {},
        timedOut: {},
      },
    });
    const actor = createActor(machine);
    return { actor, run, clock };
  }

  it('starts once the transition is done, with its parameters, and answers `<effect>.done` with the output', async () => {
    const { actor, run } = harness(async ({ n }) => n * 2);
    actor.start();
    await tick();
    // started after the snapshot was the effect's state, as XState starts an invoked actor
    expect(run.seen).toEqual(['waiting']);
    expect(actor.getSnapshot().value).toBe('answered');
    expect(actor.getSnapshot().context.output).toBe(42);
    expect(run.effectCut).toBeUndefined();
  });

  it('a rejection, or a throw before any promise, answers `<effect>.error` with what was thrown', async () => {
    const boom = new Error('boom');
    for (const start of [() => Promise.reject(boom), () => { throw boom; }]) {
      const { actor } = harness(start);
      actor.start();
      await tick();
      expect(actor.getSnapshot().value).toBe('failed');
      expect(actor.getSnapshot().context.error).toBe(boom);
    }
  });

  it('leaving the state cuts the effect: its signal aborts and its late outcome is dropped', async () => {
    let cut: EffectCut | undefined;
    let answer!: (v: number) => void;
    const { actor, run } = harness((_input, c) => {
      cut = c;
      return new Promise<number>((r) => (answer = r));
    });
    actor.start();
    await tick();
    expect(cut!.aborted).toBe(false);
    actor.send({ type: 'leave' });
    expect(cut!.aborted).toBe(true);
    expect(cut!.signal.aborted).toBe(true);
    expect(run.effectCut).toBeUndefined();
    answer(1);
    await tick();
    expect(actor.getSnapshot().value).toBe('left');
    expect(actor.getSnapshot().context.output).toBeUndefined();
  });

  it('an effect whose state is left within the same transition is never started', async () => {
    let started = 0;
    const run: EffectRun = { effectCut: undefined, effectTimer: undefined, clock: new SimulatedClock(), send: () => undefined };
    const machine = setup({
      actions: {
        claimProbe: effectAction('claimProbe', () => run, async () => {
          started++;
          return { claimed: true, at: 0 };
        }),
        cutEffect: cutEffectAction(() => run),
      },
    }).createMachine({
      initial: 'passing',
      states: {
        // entered and left in one macrostep: its effect is cut before it would start
        passing: { entry: { type: 'claimProbe', params: { keys: [] } }, exit: 'cutEffect', always: 'done' },
        done: { type: 'final' },
      },
    });
    const actor = createActor(machine).start();
    await tick();
    expect(actor.getSnapshot().status).toBe('done');
    expect(started).toBe(0);
    expect(run.effectCut).toBeUndefined();
  });

  it('an effect that answered is not cut when its state is left afterwards', async () => {
    let cut: EffectCut | undefined;
    const { actor } = harness(async (_input, c) => {
      cut = c;
      return 1;
    });
    actor.start();
    await tick();
    expect(actor.getSnapshot().value).toBe('answered');
    actor.send({ type: 'leave' });
    expect(cut!.aborted).toBe(false);
  });

  describe('an effect with a time limit (timeoutMs in its input)', () => {
    it('not answered in time: `<effect>.timeout` is sent, and leaving the state cuts the effect', async () => {
      let cut: EffectCut | undefined;
      let answer!: (v: number) => void;
      const { actor, run, clock } = harness((_input, c) => {
        cut = c;
        return new Promise<number>((r) => (answer = r));
      }, 500);
      actor.start();
      await tick();
      expect(nextDue(clock)).toBe(500);
      clock.increment(499);
      expect(actor.getSnapshot().value).toBe('waiting');
      clock.increment(1);
      expect(actor.getSnapshot().value).toBe('timedOut');
      expect(cut!.aborted).toBe(true);
      expect([run.effectCut, run.effectTimer]).toEqual([undefined, undefined]);
      answer(1);
      await tick();
      expect(actor.getSnapshot().value).toBe('timedOut');
    });

    it('answered in time, or left first: the limit is disarmed', async () => {
      const answered = harness(async () => 1, 500);
      answered.actor.start();
      await tick();
      expect(answered.actor.getSnapshot().value).toBe('answered');
      expect([answered.run.effectTimer, nextDue(answered.clock)]).toEqual([undefined, undefined]);

      const left = harness(() => new Promise<number>(() => undefined), 500);
      left.actor.start();
      await tick();
      expect(nextDue(left.clock)).toBe(500);
      left.actor.send({ type: 'leave' });
      expect([left.run.effectTimer, nextDue(left.clock)]).toEqual([undefined, undefined]);
    });

    it('no timeoutMs, no timer', async () => {
      const { actor, clock } = harness(() => new Promise<number>(() => undefined));
      actor.start();
      await tick();
      expect(nextDue(clock)).toBeUndefined();
    });
  });
});

describe('the signal of a call', () => {
  it('is an own property of the request, kept by a spread, and aborts when the attempt times out', async () => {
    const clock = new SimulatedClock();
    const seen: { req: CallRequest; spread: CallRequest }[] = [];
    const call = (req: CallRequest) => {
      seen.push({ req, spread: { ...req } });
      return req.provider === 'a' ? new Promise<never>(() => undefined) : Promise.resolve({ content: 'ok' });
    };
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m', 'b/m'], call, clock, store: openSqliteStore() });
    actor.start();
    await tick();
    expect(seen).toHaveLength(1);
    const first = seen[0]!;
    expect(Object.keys(first.req)).toContain('signal');
    expect(first.spread.signal).toBe(first.req.signal);
    expect(first.req.signal.aborted).toBe(false);
    clock.increment(120_000);
    await tick();
    expect(first.req.signal.aborted).toBe(true);
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    // the answered call was not cut
    expect(seen[1]!.req.signal.aborted).toBe(false);
  });

  it('read only after the attempt timed out, it is already aborted', async () => {
    const clock = new SimulatedClock();
    const late: CallRequest[] = [];
    const call = (req: CallRequest) => {
      if (req.provider === 'a') {
        late.push(req); // the signal is not read during the call
        return new Promise<never>(() => undefined);
      }
      return Promise.resolve({ content: 'ok' });
    };
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m', 'b/m'], call, clock, store: openSqliteStore() });
    actor.start();
    await tick();
    clock.increment(120_000);
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    expect(late[0]!.signal.aborted).toBe(true);
  });
});
