import type { SessionStore } from '../store/types.js';
import { EXIT, errorLine, openFailureCodeOf, type ExitCode } from './exit-codes.js';
import { openStoreAt, type OpenStoreAtOptions } from './open-store-at.js';
import { clean } from './output/text.js';

/** Where a command writes, and how it sets the exit code: the process's streams, or a test's. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export class CliContext {
  #exitCode: ExitCode = EXIT.ok;

  constructor(readonly io: CliIo) {}

  get exitCode(): ExitCode {
    return this.#exitCode;
  }

  /** The process ends with the highest code any step set. */
  setExitCode(code: ExitCode): void {
    if (code > this.#exitCode) this.#exitCode = code;
  }

  /** Human lines on stdout, each cleaned of control characters. */
  lines(lines: readonly string[]): void {
    for (const line of lines) this.io.out(`${clean(line)}\n`);
  }

  /** One JSON document on stdout (the `--json` form: the library's own objects, times in ms). */
  json(value: unknown): void {
    this.io.out(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One line on stderr and the exit code. */
  fail(e: unknown, code: ExitCode): void {
    this.io.err(`${clean(errorLine(e))}\n`);
    this.setExitCode(code);
  }

  /**
   * Runs `use` on the store at `location` (`--db`) and closes it, whatever happens. A store that
   * cannot be opened is one line on stderr and exit 2 (1 if it was only busy); `use` is not called.
   */
  async withStore(location: string, use: (store: SessionStore) => Promise<void>, options: OpenStoreAtOptions = {}): Promise<void> {
    let store: SessionStore;
    try {
      store = await openStoreAt(location, options);
    } catch (e) {
      this.fail(e, openFailureCodeOf(e));
      return;
    }
    try {
      await use(store);
    } finally {
      await store.close();
    }
  }
}
