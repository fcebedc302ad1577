import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { turnOf } from '../../src/store/turn-rows.js';
import type { Message } from '../../src/types.js';

// A commit makes each message's turn with turnOf (src/store/turn-rows.ts), which copies the
// messages the engine makes as a literal: the turn must always be the spread `{ ...m, seq, runId }`.

const sym = Symbol('tag');
const base = fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 'tool'), content: fc.oneof(fc.string(), fc.constant([{ type: 'text', text: 'x' }])) });
const message = fc.oneof(
  base,
  base.map((m) => ({ ...m, providerOptions: { openai: { a: 1 } } })),
  base.map((m) => ({ ...m, providerOptions: undefined })),
  base.map((m) => Object.freeze({ ...m })),
  base.map(({ role, content }) => ({ content, role })),
  base.map((m) => ({ ...m, extra: 1 })),
  base.map((m) => ({ ...m, [sym]: 'kept' })),
  base.map(({ role, content }) => Object.assign(Object.create({ role }), { content })),
  base.map((m) => Object.defineProperty({ ...m }, 'hidden', { value: 1, enumerable: false })),
  base.map(({ role }) => ({ role })),
);

const shape = (t: object) => ({ keys: Reflect.ownKeys(t), proto: Object.getPrototypeOf(t) as unknown, values: Reflect.ownKeys(t).map((k) => (t as Record<PropertyKey, unknown>)[k]) });

describe('turnOf', () => {
  test.prop([message, fc.integer({ min: 1 }), fc.string()])('is the spread of the message with its seq and run id', (m, seq, runId) => {
    const turn = turnOf(m as Message, seq, runId);
    expect(shape(turn)).toEqual(shape({ ...m, seq, runId }));
  });

  it('copies a message the engine makes as a literal, keys in the same order', () => {
    expect(Object.keys(turnOf({ role: 'user', content: 'hi' }, 3, 'r'))).toEqual(['role', 'content', 'seq', 'runId']);
    expect(Object.keys(turnOf({ role: 'user', content: 'hi', providerOptions: { p: {} } }, 3, 'r'))).toEqual(['role', 'content', 'providerOptions', 'seq', 'runId']);
  });
});
