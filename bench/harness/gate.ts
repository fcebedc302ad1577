/**
 * Where parked runs wait: while closed, `pass()` holds each caller until `open()`, and
 * `closeFor(n)` settles once n callers are held. Open (the default), `pass()` is not called at
 * all by its users, so timed runs pay nothing for it.
 */
export class Gate {
  #closed = false;
  #held: (() => void)[] = [];
  #expected = 0;
  #allHeld: (() => void) | undefined;

  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the gate; the promise settles when `count` callers wait at it. */
  closeFor(count: number): Promise<void> {
    this.#closed = true;
    this.#expected = count;
    return new Promise((resolve) => {
      this.#allHeld = resolve;
      if (count === 0) resolve();
    });
  }

  pass(): Promise<void> {
    return new Promise((resolve) => {
      this.#held.push(resolve);
      if (this.#held.length === this.#expected) this.#allHeld?.();
    });
  }

  open(): void {
    this.#closed = false;
    this.#allHeld = undefined;
    const held = this.#held;
    this.#held = [];
    for (const r of held) r();
  }
}
