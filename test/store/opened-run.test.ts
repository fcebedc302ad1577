import { describe, expect, it, vi } from 'vitest';
import { openedRun } from '../../src/store/opened-run.js';
import type { Turn } from '../../src/types.js';

// What openRun gives (src/store/opened-run.ts): `history` is built when first read, once, per run.

const lease = { sessionId: 's', runId: 'r', token: 1, expiresAt: 10 };

describe('an opened run', () => {
  it('has its fields and an enumerable history, in that order', () => {
    const o = openedRun(lease, [], [], () => [], 's', 0);
    expect(Object.keys(o)).toEqual(['lease', 'messages', 'cooldowns', 'history']);
    const d = Object.getOwnPropertyDescriptor(o, 'history')!;
    expect(d.enumerable).toBe(true);
    expect(typeof d.get).toBe('function');
    expect(JSON.parse(JSON.stringify(o))).toEqual({ lease, messages: [], cooldowns: [], history: [] });
  });

  it('builds history only when read, once, and each run its own', () => {
    const turn = { seq: 1, role: 'user', content: 'hi', runId: 'r0' } as Turn;
    const a = vi.fn(() => [turn]);
    const b = vi.fn(() => [] as Turn[]);
    const first = openedRun(lease, [], [], a, 's', 1);
    const second = openedRun(lease, [], [], b, 't', 0);
    expect(a).not.toHaveBeenCalled();
    expect(first.history).toEqual([turn]);
    expect(first.history).toBe(first.history);
    expect(a).toHaveBeenCalledTimes(1);
    // the store's reader, told whose turns and up to which seq
    expect(a).toHaveBeenCalledWith('s', 1);
    expect(second.history).toEqual([]);
    expect(b).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledWith('t', 0);
  });
});
