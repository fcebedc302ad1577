import { afterEach, beforeEach } from 'vitest';
import { weakHold } from '../../src/store/history-cache.js';
import type { Message } from '../../src/types.js';

/**
 * Stands in for the collections that drop the history cache's messages (its collectable tier):
 * in each test of the calling describe block, the cache holds them through references that
 * `collect()` clears, all of them, even those a run still holds (stricter than a collection,
 * which drops only what nobody holds). Tests cannot force a collection; this one comes when
 * they choose.
 */
export function droppableMessages(): { collect(): void; built(): number } {
  const refs: { target: Message[] | undefined }[] = [];
  const original = weakHold.of;
  beforeEach(() => {
    weakHold.of = (messages) => {
      const ref = { target: messages as Message[] | undefined };
      refs.push(ref);
      return { deref: () => ref.target };
    };
  });
  afterEach(() => {
    weakHold.of = original;
    refs.length = 0;
  });
  return {
    collect() {
      for (const r of refs) r.target = undefined;
    },
    /** Message arrays the cache made (built, or copied to be extended) since the test began. */
    built: () => refs.length,
  };
}
