import { describe, expect, it } from 'vitest';
import { newRunId } from '../../src/run-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('default run ids (UUIDv7)', () => {
  it('are lowercase UUIDs of version 7 with the RFC 9562 variant', () => {
    for (let i = 0; i < 100; i++) expect(newRunId()).toMatch(UUID_V7);
  });

  it('carry the creation time in their first 48 bits', () => {
    const at = Date.now() + 10_000_000_000; // later than any id made so far in this file
    const id = newRunId(at);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sort in the order they were made, also many within one millisecond and when the clock steps back', () => {
    const t = Date.now() + 20_000_000_000;
    const ids = [
      ...Array.from({ length: 5_000 }, () => newRunId(t)),
      ...Array.from({ length: 10 }, () => newRunId(t - 5_000)), // a clock that went back
      ...Array.from({ length: 10 }, () => newRunId(t + 1)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});
