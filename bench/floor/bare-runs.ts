import { Gate } from '../harness/gate.js';
import type { Parked } from '../harness/types.js';
import { runBare, type BareWork } from './bare-machine.js';

/** Runs of the bare machine: one at a time, in batches, or parked at their last call; each checked. */
export abstract class BareRuns {
  readonly gate = new Gate();
  readonly #ending: 'succeeded' | 'failed';

  constructor(ending: 'succeeded' | 'failed') {
    this.#ending = ending;
  }

  /** The I/O of one run on `sessionId`; the last call waits at `gate` while it is closed. */
  abstract work(sessionId: string): BareWork;

  #check(ends: readonly string[]): void {
    if (ends.some((e) => e !== this.#ending)) throw new Error(`a floor run did not end ${this.#ending}`);
  }

  async one(sessionId: string): Promise<void> {
    this.#check([await runBare(this.work(sessionId))]);
  }

  async batch(sessionIds: readonly string[]): Promise<void> {
    this.#check(await Promise.all(sessionIds.map((id) => runBare(this.work(id)))));
  }

  async park(sessionIds: readonly string[]): Promise<Parked> {
    const held = this.gate.closeFor(sessionIds.length);
    const runs = sessionIds.map((id) => runBare(this.work(id)));
    await held;
    return {
      release: async () => {
        this.gate.open();
        this.#check(await Promise.all(runs));
      },
    };
  }
}
