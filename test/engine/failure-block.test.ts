import { describe, expect, it } from 'vitest';
import { blockForFailure } from '../../src/policy/block-for-failure.js';
import { runView } from '../helpers/run-view.js';
import type { Classification } from '../../src/classify/types.js';

// A run holds its own block of every failed key to its end (src/policy/block-for-failure.ts):
// when the block is shared, the run's own is that very entry, saying what the own block said.

const call = { provider: 'p', model: 'm', profileId: 'p:a' };
const failure = (f: Partial<Classification>): Classification => ({ reason: 'quota_exhausted', scope: 'profile', retryable: false, message: 'spent', ...f });

describe("a failure's blocks", () => {
  it('a shared block is the run\'s own block, with the key, end and reason an own block has', () => {
    const block = blockForFailure(runView({ chain: [], now: 1_000 }), failure({}), call);
    expect(block.shared).toBeDefined();
    expect(block.own).toBe(block.shared);
    expect(block.own).toMatchObject({ provider: 'p', profileId: 'p:a', until: block.shared!.until, reason: 'quota_exhausted' });
    expect(block.own.until).toBe(1_000 + block.waitMs);
  });

  it('a block not shared (a timeout: this run leaves the provider) is the run\'s own alone', () => {
    const block = blockForFailure(runView({ chain: [], now: 1_000 }), failure({ reason: 'timeout', scope: 'request', retryable: true }), call);
    expect(block.shared).toBeUndefined();
    expect(block.own).toEqual({ provider: 'p', until: 1_000 + block.waitMs, reason: 'timeout' });
  });
});
