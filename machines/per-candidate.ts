/**
 * The last value kept for each candidate (provider, model), shared by every run of the process.
 * Bounded in candidates: a host uses a few chains, and the bound keeps made-up names from
 * growing it (full, it starts again rather than tracking which candidate was used last).
 */
export class PerCandidate<T> {
  readonly #byProvider = new Map<string, Map<string, T>>();
  #count = 0;

  constructor(readonly max: number) {}

  get(provider: string, model: string): T | undefined {
    return this.#byProvider.get(provider)?.get(model);
  }

  set(provider: string, model: string, value: T): void {
    let models = this.#byProvider.get(provider);
    if (!models?.has(model)) {
      if (this.#count >= this.max) {
        this.#byProvider.clear();
        this.#count = 0;
        models = undefined;
      }
      if (!models) this.#byProvider.set(provider, (models = new Map()));
      this.#count++;
    }
    models.set(model, value);
  }
}
