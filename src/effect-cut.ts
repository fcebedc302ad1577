/**
 * The cut of one effect: aborted when the machine leaves the effect's state (a timeout, an
 * abort, the deadline). Its AbortSignal is made only when something reads `signal`: Node's
 * AbortController is costly to make and to collect (several µs, mostly GC), XState's
 * `fromPromise` made one per invoked actor, and most effects (an answered call whose host never
 * looks at `req.signal`, a commit, a close) end without anyone using it.
 */
export class EffectCut {
  #controller: AbortController | undefined;
  #stopped = false;

  /** Whether the effect was cut, without making a signal to say so. */
  get aborted(): boolean {
    return this.#stopped;
  }

  /** The signal aborted when the effect is cut: already aborted if it was before it is first read. */
  get signal(): AbortSignal {
    let controller = this.#controller;
    if (controller === undefined) {
      controller = this.#controller = new AbortController();
      if (this.#stopped) controller.abort();
    }
    return controller.signal;
  }

  /** The machine left the effect's state (src/effect-action.ts). */
  cut(): void {
    this.#stopped = true;
    this.#controller?.abort();
  }
}
