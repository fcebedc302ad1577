import { afterEach } from 'vitest';
import type { SessionStore } from '../../../src/store/types.js';

export interface StoreOpenOptions {
  /** The store clock while a run waits for a busy session (a test moves it by hand). */
  now?: () => number;
  /** The history cache's bound (the same option on every store); 0 turns the cache off. */
  historyCacheBytes?: number;
}

/**
 * How the contract suite gets stores of one implementation. The SQLite suite
 * (test/store/sqlite-contract.test.ts) gives one; another store (PostgreSQL) gives its own and
 * runs the same suite.
 */
export interface StoreFactory {
  /** Shown in the suite's titles. */
  readonly name: string;
  /** A fresh store over its own empty database, for one test. */
  open(options?: StoreOpenOptions): Promise<SessionStore>;
  /** A second connection to the database of `store`, as another process would open it. */
  connect(store: SessionStore, options?: StoreOpenOptions): Promise<SessionStore>;
  /** Removes what the test's stores left (called after they are closed). */
  cleanup?(): Promise<void>;
}

export interface StoreHarness {
  open(options?: StoreOpenOptions): Promise<SessionStore>;
  connect(store: SessionStore, options?: StoreOpenOptions): Promise<SessionStore>;
}

/** Opens stores for the tests of one describe block and closes them after each test. */
export function useStores(factory: StoreFactory): StoreHarness {
  const opened: SessionStore[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await factory.cleanup?.();
  });
  return {
    async open(options) {
      const store = await factory.open(options);
      opened.push(store);
      return store;
    },
    async connect(store, options) {
      const other = await factory.connect(store, options);
      opened.push(other);
      return other;
    },
  };
}
