import { toPromise } from 'xstate';
import { createRunActor, type Message, type RunActor, type RunOutput, type RunStore } from '../../src/index.js';
import { Gate } from '../harness/gate.js';
import type { Parked } from '../harness/types.js';
import { clockAt, leapingOffsets } from './clocks.js';
import { scriptedCall, type Answer } from './scripted-call.js';

/** What one run of a case is: its chain, what the providers answer, and what the run must do. */
export interface Scenario {
  chain: readonly string[];
  answer: Answer;
  /** Provider calls per run, and how the run ends: every timed run is checked against them. */
  expect: { calls: number; status: 'succeeded' | 'failed' };
  /** Runs write cooldowns that must not reach the next run (see clocks.ts). */
  leap: boolean;
  messages: readonly Message[];
}

/** Runs of a scenario through createRunActor over a store, each checked. */
export class EngineRuns {
  readonly gate = new Gate();
  readonly #store: RunStore;
  readonly #sc: Scenario;
  readonly #calls;
  readonly #offsets = leapingOffsets();

  constructor(store: RunStore, sc: Scenario) {
    this.#store = store;
    this.#sc = sc;
    this.#calls = scriptedCall(sc.answer, sc.expect.calls, this.gate);
  }

  get calls(): number {
    return this.#calls.calls();
  }

  start(sessionId: string): RunActor {
    const sc = this.#sc;
    const actor = createRunActor({
      sessionId,
      messages: sc.messages,
      chain: sc.chain,
      call: this.#calls.call,
      store: this.#store,
      ...(sc.leap ? { clock: clockAt(this.#offsets()) } : {}),
    });
    actor.start();
    return actor;
  }

  #check(outs: readonly RunOutput[], calls: number): void {
    const { expect } = this.#sc;
    for (const out of outs) {
      if (out.status !== expect.status) {
        throw new Error(`a run ended ${out.status} (${out.status === 'failed' ? out.error.message : ''}), expected ${expect.status}`);
      }
    }
    if (calls !== expect.calls * outs.length) throw new Error(`${outs.length} run(s) made ${calls} calls, expected ${expect.calls} each`);
  }

  async one(sessionId: string): Promise<RunOutput> {
    const before = this.calls;
    const out = await toPromise(this.start(sessionId));
    this.#check([out], this.calls - before);
    return out;
  }

  async batch(sessionIds: readonly string[]): Promise<void> {
    const before = this.calls;
    const outs = await Promise.all(sessionIds.map((id) => toPromise(this.start(id))));
    this.#check(outs, this.calls - before);
  }

  async park(sessionIds: readonly string[]): Promise<Parked> {
    const before = this.calls;
    const held = this.gate.closeFor(sessionIds.length);
    const runs = sessionIds.map((id) => toPromise(this.start(id)));
    await held;
    return {
      release: async () => {
        this.gate.open();
        this.#check(await Promise.all(runs), this.calls - before);
      },
    };
  }
}
