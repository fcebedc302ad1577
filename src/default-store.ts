import { openSqliteStore } from './store/index.js';
import type { SessionStore } from './store/types.js';

let shared: SessionStore | undefined;

/**
 * The store runs use when none is given: one in-memory SQLite database per process, so a later
 * run on the same session still sees the history and cooldowns of earlier ones.
 */
export function defaultStore(): SessionStore {
  shared ??= openSqliteStore({ path: ':memory:' });
  return shared;
}
