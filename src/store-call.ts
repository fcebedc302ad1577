import { isLlmFailoverError, StoreError, type LlmFailoverError } from './errors.js';
import type { RunStore } from './store/types.js';

/**
 * Turns whatever a store throws into a typed error: our own errors pass as they are, anything
 * else (a custom store's plain Error, a synchronous throw) becomes a StoreError `STORE_FAILED`
 * that names what the run was doing and keeps the original as `cause`.
 */
export function toRunStoreError(e: unknown, where: string, doing: string): LlmFailoverError {
  if (isLlmFailoverError(e)) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return new StoreError('STORE_FAILED', where, `The session store (${where}) failed while ${doing}: ${detail}`, { cause: e });
}

/** How errors name the store: its path, or `custom store`. */
export const storeWhere = (store: RunStore): string => (typeof store.path === 'string' && store.path !== '' ? store.path : 'custom store');

/** Calls a store method, typing its errors (see toRunStoreError). */
export function storeCall(store: RunStore) {
  const where = storeWhere(store);
  // not an async function: one derived promise per call, not a chain (a run makes several)
  return <T>(doing: string, fn: () => Promise<T>): Promise<T> => {
    let pending: Promise<T>;
    try {
      pending = fn();
    } catch (e) {
      return Promise.reject(toRunStoreError(e, where, doing));
    }
    return Promise.resolve(pending).catch((e: unknown) => {
      throw toRunStoreError(e, where, doing);
    });
  };
}
