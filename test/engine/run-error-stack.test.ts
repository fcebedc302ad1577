import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore } from '../../src/index.js';
import { withoutFrames } from '../../src/errors.js';
import { httpError, scriptedCall } from '../helpers/scripted-call.js';

// A failed run's error is made without stack frames (src/errors.ts withoutFrames): they only showed
// the library's steps and XState's internals, and capturing them was most of a failed run's error
// handling. What a host reads of it (name, code, message) is unchanged, and the process's own
// Error.stackTraceLimit is left as it was.

const QUOTA = httpError(429, { error: { type: 'insufficient_quota', message: 'You exceeded your current quota' } });

describe("a failed run's error", () => {
  it('has its name and message as its stack, no frames, and the limit is restored', async () => {
    const before = Error.stackTraceLimit;
    const store = openSqliteStore();
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m', 'b/m'], call: scriptedCall({ a: [QUOTA], b: [QUOTA] }).call, store });
    const out = await toPromise(actor.start());
    await store.close();
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error.code).toBe('FALLBACK_EXHAUSTED');
    expect(out.error.stack).toBe(`${out.error.name}: ${out.error.message}`);
    expect(out.error.message).toMatch(/^No candidate could serve run /);
    expect(Error.stackTraceLimit).toBe(before);
    // other errors keep their frames
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });

  it('withoutFrames restores the limit when the making throws', () => {
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 7;
    try {
      expect(() =>
        withoutFrames(() => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(Error.stackTraceLimit).toBe(7);
    } finally {
      Error.stackTraceLimit = before;
    }
  });
});
